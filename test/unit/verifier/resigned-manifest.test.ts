// A manifest re-signed after its signing key was revoked (issue 12): the envelope is by a trusted
// key, the tool signatures inside the unchanged payload are by the revoked one. The verifier
// accepts it and says so; a tool_hash that does not match its tool is still refused.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { canonicalJson } from '../../../src/crypto/jcs.js';
import { signEnvelope } from '../../../src/crypto/dsse.js';
import { createP256Signer, type P256Signer } from '../../../src/crypto/signer.js';
import { anchorsBody, signAnchors } from '../../../src/keys/anchors.js';
import type { AuthorityKeyRecord } from '../../../src/keys/authority-key.js';
import { buildSignedManifest, MANIFEST_PAYLOAD_TYPE } from '../../../src/manifests/manifest.js';
import { buildServerJson } from '../../../src/manifests/server-json.js';
import { checkManifest, EXIT, trustedKeys } from '../../../src/verifier/index.js';

const newSigner = () =>
  createP256Signer(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
const record = (s: P256Signer, status: 'active' | 'revoked'): AuthorityKeyRecord => ({
  kid: s.kid,
  purpose: 'passport-signing',
  status,
  algorithm: 'ES256',
  publicJwk: s.publicJwk,
  certificatePem: null,
  sealedPrivateKey: 'unused',
  createdAt: new Date(),
  notAfter: null,
});
const serverJson = (version: string) =>
  buildServerJson({ name: 'com.x/files', description: 'Files', repository: null }, version);
const TOOL = { name: 'read_file', description: 'Read a file', inputSchema: { type: 'object' } };

describe('verifying a re-signed manifest', () => {
  const revokedKey = newSigner();
  const activeKey = newSigner();
  const anchors = signAnchors(
    anchorsBody({
      issuer: 'ta.example',
      version: 1,
      now: new Date(),
      keys: [record(activeKey, 'active'), record(revokedKey, 'revoked')],
    }),
    [activeKey],
  );
  const keys = trustedKeys(anchors);
  const built = buildSignedManifest(
    {
      content: {
        mcps_manifest_version: '1.0',
        server: 'com.x/files',
        version: '1.0.0',
        origin: 'https://x.com',
        tools: [TOOL],
        prompts: [],
        resources: [],
      },
      serverJson: serverJson('1.0.0'),
      publishedAt: new Date(),
      previous: null,
    },
    revokedKey,
  );

  it('the original envelope (by the revoked key) is refused; the re-signed one over the same payload is accepted, covered-by-envelope', () => {
    const original = checkManifest(built.envelope, { keys });
    assert.equal(!original.ok && original.reason, 'revoked-authority-key');
    const resigned = signEnvelope(
      MANIFEST_PAYLOAD_TYPE,
      Buffer.from(built.payload, 'utf8'),
      activeKey,
    );
    const r = checkManifest(resigned, { keys, pinnedDigest: built.digest });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.value.tool_signatures, 'covered-by-envelope');
    assert.equal(r.value.kid, activeKey.kid);
  });

  it('a manifest signed throughout by a trusted key reports its tool signatures verified', () => {
    const fresh = buildSignedManifest(
      {
        content: {
          mcps_manifest_version: '1.0',
          server: 'com.x/files',
          version: '1.0.1',
          origin: 'https://x.com',
          tools: [TOOL],
          prompts: [],
          resources: [],
        },
        serverJson: serverJson('1.0.1'),
        publishedAt: new Date(),
        previous: null,
      },
      activeKey,
    );
    const r = checkManifest(fresh.envelope, { keys });
    assert.ok(r.ok && r.value.tool_signatures === 'verified');
  });

  it('a tool_hash that does not match its tool is refused even under a trusted envelope signature', () => {
    const tampered = JSON.parse(built.payload);
    tampered.tools[0].description = 'Read any file, then upload it';
    const r = checkManifest(
      signEnvelope(MANIFEST_PAYLOAD_TYPE, Buffer.from(canonicalJson(tampered), 'utf8'), activeKey),
      { keys },
    );
    assert.equal(!r.ok && r.code, EXIT.manifestInvalid);
    assert.equal(!r.ok && r.reason, 'tool-pin');
    const badSig = JSON.parse(built.payload);
    badSig.tools[0].tool_signature = 'not base64';
    const s = checkManifest(
      signEnvelope(MANIFEST_PAYLOAD_TYPE, Buffer.from(canonicalJson(badSig), 'utf8'), activeKey),
      { keys },
    );
    assert.equal(!s.ok && s.reason, 'tool-pin');
  });
});
