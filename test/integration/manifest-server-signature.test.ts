// The optional server signature of a manifest: checked at publish time against the server's
// active passport key (an in-memory ServerKeyDirectory here; the passports feature supplies the
// real one), kept inside the manifest and covered by the TA's envelope signature.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { pae } from '../../src/crypto/dsse.js';
import { canonicalBytes } from '../../src/crypto/jcs.js';
import { jwkThumbprint } from '../../src/crypto/jwk.js';
import { createP256Signer, type P256Signer } from '../../src/crypto/signer.js';
import { InvalidRequestError } from '../../src/errors.js';
import type { Principal } from '../../src/auth/principal.js';
import { publishManifest } from '../../src/manifests/publish.js';
import {
  inMemoryServerKeys,
  MANIFEST_CONTENT_PAYLOAD_TYPE,
  verifyServerSignature,
} from '../../src/manifests/server-keys.js';
import { READ_FILE_TOOL, registeredServer, verifiedNamespace } from '../support/registry.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';

const SERVER = 'com.example/signed';
const ORIGIN = 'https://signed.example.com';

const newSigner = () =>
  createP256Signer(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);

/** What the server signs: the content it chose, as documented for server_signature. */
function contentBytes(version: string, tools: unknown[]): Buffer {
  return canonicalBytes({
    mcps_manifest_version: '1.0',
    server: SERVER,
    version,
    origin: ORIGIN,
    tools,
    prompts: [],
    resources: [],
  });
}

function signContent(signer: P256Signer, version: string, tools: unknown[]): string {
  return signer
    .sign(pae(MANIFEST_CONTENT_PAYLOAD_TYPE, contentBytes(version, tools)))
    .toString('base64');
}

async function refusal(p: Promise<unknown>): Promise<InvalidRequestError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof InvalidRequestError, String(err));
    return err;
  }
  assert.fail('expected the publish to be refused');
}

describe('manifest server signatures', () => {
  let ta: TestService;
  let principal: Principal;
  const serverKey = newSigner();

  before(async () => {
    ta = await startTestService();
    const a = await createPublisherWithToken(ta, 'Signer Co');
    await verifiedNamespace(ta, a.token, 'com.example');
    await registeredServer(ta, a.token, SERVER, ORIGIN);
    principal = {
      kind: 'token',
      tokenId: a.tokenId,
      role: 'publisher',
      publisherId: a.publisherId,
    };
  });
  after(async () => ta.stop());

  const deps = () => ({
    signer: ta.keyring.documentSigner,
    serverKeys: inMemoryServerKeys({ [SERVER]: serverKey.publicJwk }),
  });

  it('accepts a signature by the active passport key and keeps it in the signed manifest', async () => {
    const sig = signContent(serverKey, '1.0.0', [READ_FILE_TOOL]);
    const { record, created } = await publishManifest(ta.persistence, deps(), principal, SERVER, {
      version: '1.0.0',
      tools: [READ_FILE_TOOL],
      server_signature: sig,
    });
    assert.equal(created, true);
    const manifest = JSON.parse(record.payload);
    assert.deepEqual(manifest.server_signature, {
      keyid: jwkThumbprint(serverKey.publicJwk),
      payload_type: MANIFEST_CONTENT_PAYLOAD_TYPE,
      sig,
    });
    assert.ok(
      verifyServerSignature(
        contentBytes('1.0.0', [READ_FILE_TOOL]),
        manifest.server_signature.sig,
        serverKey.publicJwk,
      ),
    );
    const served = await ta.request('GET', `/v1/servers/${SERVER}/manifests/1.0.0`);
    assert.deepEqual(served.json.manifest.server_signature, manifest.server_signature);
  });

  it('refuses a signature by another key, over other content, or in high-S form', async () => {
    const other = newSigner();
    const e1 = await refusal(
      publishManifest(ta.persistence, deps(), principal, SERVER, {
        version: '1.1.0',
        tools: [READ_FILE_TOOL],
        server_signature: signContent(other, '1.1.0', [READ_FILE_TOOL]),
      }),
    );
    assert.equal(e1.issues[0]!.field, 'body.server_signature');
    const e2 = await refusal(
      publishManifest(ta.persistence, deps(), principal, SERVER, {
        version: '1.1.0',
        tools: [READ_FILE_TOOL],
        server_signature: signContent(serverKey, '1.0.9', [READ_FILE_TOOL]),
      }),
    );
    assert.equal(e2.issues[0]!.field, 'body.server_signature');
    const low = Buffer.from(signContent(serverKey, '1.1.0', [READ_FILE_TOOL]), 'base64');
    const n = BigInt('0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551');
    const high = Buffer.concat([
      low.subarray(0, 32),
      Buffer.from(
        (n - BigInt(`0x${low.subarray(32).toString('hex')}`)).toString(16).padStart(64, '0'),
        'hex',
      ),
    ]);
    const e3 = await refusal(
      publishManifest(ta.persistence, deps(), principal, SERVER, {
        version: '1.1.0',
        tools: [READ_FILE_TOOL],
        server_signature: high.toString('base64'),
      }),
    );
    assert.equal(e3.issues[0]!.field, 'body.server_signature');
    assert.equal((await ta.request('GET', `/v1/servers/${SERVER}/manifests`)).json.items.length, 1);
  });

  it('refuses any signature while the server has no active passport', async () => {
    const e = await refusal(
      publishManifest(
        ta.persistence,
        { signer: ta.keyring.documentSigner, serverKeys: inMemoryServerKeys({}) },
        principal,
        SERVER,
        {
          version: '1.2.0',
          tools: [READ_FILE_TOOL],
          server_signature: signContent(serverKey, '1.2.0', [READ_FILE_TOOL]),
        },
      ),
    );
    assert.deepEqual(e.issues, [
      { field: 'body.server_signature', message: 'server has no active passport' },
    ]);
  });
});
