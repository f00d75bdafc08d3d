// Where passports meet the registry, through the real HTTP API: a server passport needs a
// registered server of the caller; it reaches trust level 3 only once the server's origin is
// proven and it has a signed tool manifest; its key then signs manifests (server_signature).
import assert from 'node:assert/strict';
import { sign as nodeSign } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { pae } from '../../src/crypto/dsse.js';
import { normaliseLowS } from '../../src/crypto/ecdsa.js';
import { canonicalBytes } from '../../src/crypto/jcs.js';
import { MANIFEST_CONTENT_PAYLOAD_TYPE } from '../../src/manifests/server-keys.js';
import {
  challenge,
  newSubjectKey,
  popProof,
  rotate,
  type SubjectKeyPair,
} from '../support/passports.js';
import { assertProblem } from '../support/problem.js';
import {
  manifestsPath,
  READ_FILE_TOOL,
  registeredServer,
  verifiedNamespace,
} from '../support/registry.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';

const SERVER = 'com.example/weather';
const ORIGIN = 'https://weather.example.com';

describe('server passports and the registry', () => {
  let ta: TestService;
  let A: { publisherId: string; token: string };
  let B: { publisherId: string; token: string };
  before(async () => {
    ta = await startTestService();
    A = await createPublisherWithToken(ta, 'Weather Inc');
    B = await createPublisherWithToken(ta, 'Other Inc');
  });
  after(async () => ta.stop());

  async function issueServerPassport(
    token: string,
    name = SERVER,
    key: SubjectKeyPair = newSubjectKey(),
  ) {
    const proof = await popProof(key, await challenge(ta, token), { aud: ta.config.taName });
    const res = await ta.request('POST', '/v1/passports', {
      token,
      body: { subject_type: 'server', name, public_key: key.jwk, proof },
    });
    return { res, key };
  }

  function serverSignature(key: SubjectKeyPair, version: string): string {
    const content = canonicalBytes({
      mcps_manifest_version: '1.0',
      server: SERVER,
      version,
      origin: ORIGIN,
      tools: [READ_FILE_TOOL],
      prompts: [],
      resources: [],
    });
    const sig = nodeSign('sha256', pae(MANIFEST_CONTENT_PAYLOAD_TYPE, content), {
      key: key.privateKey,
      dsaEncoding: 'ieee-p1363',
    });
    return normaliseLowS(sig).toString('base64');
  }

  it('an unregistered server gets a 400 naming body.name', async () => {
    assertProblem((await issueServerPassport(A.token)).res, 400, 'body.name');
  });

  it('a registered server with a proven origin but no signed manifest yet gets trust level 2', async () => {
    await verifiedNamespace(ta, A.token, 'com.example');
    await registeredServer(ta, A.token, SERVER, ORIGIN);
    const { res } = await issueServerPassport(A.token);
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.passport.subject_type, 'server');
    assert.equal(res.json.passport.agent.name, SERVER);
    // The namespace is verified, but there is no signed manifest yet: L3 needs both.
    assert.equal(res.json.passport.trust_level, 2);
  });

  it('another publisher cannot get a passport for that server', async () => {
    assertProblem((await issueServerPassport(B.token)).res, 400, 'body.name');
  });

  it('with a verified origin and a signed manifest the passport is L3, and its key signs manifests', async () => {
    const first = await ta.request('POST', manifestsPath(SERVER), {
      token: A.token,
      body: { version: '1.0.0', tools: [READ_FILE_TOOL] },
    });
    assert.equal(first.status, 201, first.text);
    const { res, key } = await issueServerPassport(A.token);
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.passport.trust_level, 3);

    const signed = await ta.request('POST', manifestsPath(SERVER), {
      token: A.token,
      body: {
        version: '1.1.0',
        tools: [READ_FILE_TOOL],
        server_signature: serverSignature(key, '1.1.0'),
      },
    });
    assert.equal(signed.status, 201, signed.text);
    assert.equal(signed.json.manifest.server_signature.keyid, key.kid);

    // A rotation keeps L3 and the new key becomes the one that signs.
    const rotated = await rotate(ta, A.token, res.json.passport.passport_id, key);
    assert.equal(rotated.res.status, 201, rotated.res.text);
    assert.equal(rotated.res.json.passport.trust_level, 3);
    assertProblem(
      await ta.request('POST', manifestsPath(SERVER), {
        token: A.token,
        body: {
          version: '1.2.0',
          tools: [READ_FILE_TOOL],
          server_signature: serverSignature(key, '1.2.0'),
        },
      }),
      400,
      'body.server_signature',
    );
    const withNewKey = await ta.request('POST', manifestsPath(SERVER), {
      token: A.token,
      body: {
        version: '1.2.0',
        tools: [READ_FILE_TOOL],
        server_signature: serverSignature(rotated.key, '1.2.0'),
      },
    });
    assert.equal(withNewKey.status, 201, withNewKey.text);
  });

  it('an agent passport stays at L2 whatever it claims', async () => {
    const key = newSubjectKey();
    const proof = await popProof(key, await challenge(ta, A.token), { aud: ta.config.taName });
    const res = await ta.request('POST', '/v1/passports', {
      token: A.token,
      body: { subject_type: 'agent', name: 'helper', public_key: key.jwk, proof, trust_level: 4 },
    });
    assert.ok(res.status === 201 || res.status === 400, res.text);
    if (res.status === 201) assert.equal(res.json.passport.trust_level, 2);
  });
});
