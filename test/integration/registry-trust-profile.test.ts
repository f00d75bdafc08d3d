// Issue 17, acceptance 5: the trust profile served on /v0.1 climbs Bronze → Silver → Gold as the
// TA gains proofs (signed manifest with typed schemas; verified namespace + proven origin + L3
// server passport; server signature + L4 audit approval + every tool classified), and goes back
// down at the next read when a proof is revoked (passport revoked; namespace revoked).
import assert from 'node:assert/strict';
import { sign as nodeSign } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { pae } from '../../src/crypto/dsse.js';
import { normaliseLowS } from '../../src/crypto/ecdsa.js';
import { canonicalBytes } from '../../src/crypto/jcs.js';
import { MANIFEST_CONTENT_PAYLOAD_TYPE } from '../../src/manifests/server-keys.js';
import { challenge, newSubjectKey, popProof, type SubjectKeyPair } from '../support/passports.js';
import { manifestsPath, registeredServer, verifiedNamespace } from '../support/registry.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';

const SERVER = 'com.example/profiled';
const ORIGIN = 'https://profiled.example.com';
const TYPED = {
  name: 'lookup',
  description: 'Look up a word',
  inputSchema: { type: 'object', properties: { word: { type: 'string' } } },
};
const UNTYPED = {
  name: 'anything',
  description: 'Takes anything',
  inputSchema: { type: 'object', properties: { x: {} } },
};
const CLASSIFIED = { ...TYPED, annotations: { readOnlyHint: true, openWorldHint: false } };

describe('trust profiles on /v0.1 (issue 17)', () => {
  let ta: TestService;
  let token: string;
  let key: SubjectKeyPair;
  let passportId: string;

  const trustOf = async (version: string) => {
    const r = await ta.request(
      'GET',
      `/v0.1/servers/${encodeURIComponent(SERVER)}/versions/${version}?include_deleted=true`,
    );
    assert.equal(r.status, 200, r.text);
    return r.json._meta['dev.mcps-ta/trust'];
  };
  const publish = async (version: string, tools: unknown[], signWith?: SubjectKeyPair) => {
    const body: Record<string, unknown> = { version, tools };
    if (signWith) {
      const content = canonicalBytes({
        mcps_manifest_version: '1.0',
        server: SERVER,
        version,
        origin: ORIGIN,
        tools,
        prompts: [],
        resources: [],
      });
      body.server_signature = normaliseLowS(
        nodeSign('sha256', pae(MANIFEST_CONTENT_PAYLOAD_TYPE, content), {
          key: signWith.privateKey,
          dsaEncoding: 'ieee-p1363',
        }),
      ).toString('base64');
    }
    const r = await ta.request('POST', manifestsPath(SERVER), { token, body });
    assert.equal(r.status, 201, r.text);
  };
  const issuePassport = async () => {
    key = newSubjectKey();
    const proof = await popProof(key, await challenge(ta, token), { aud: ta.config.taName });
    const r = await ta.request('POST', '/v1/passports', {
      token,
      body: { subject_type: 'server', name: SERVER, public_key: key.jwk, proof },
    });
    assert.equal(r.status, 201, r.text);
    passportId = r.json.passport.passport_id;
    return r.json.passport.trust_level as number;
  };

  before(async () => {
    ta = await startTestService();
    ({ token } = await createPublisherWithToken(ta, 'Profile Co'));
    await verifiedNamespace(ta, token, 'com.example');
    await registeredServer(ta, token, SERVER, ORIGIN);
  });
  after(async () => ta.stop());

  it('no profile: a tool whose input schema is not typed', async () => {
    await publish('0.9.0', [UNTYPED]);
    const t = await trustOf('0.9.0');
    assert.equal(t.signed_manifest, true);
    assert.equal(t.profile, null);
    assert.deepEqual(t.capability_classes, ['unclassified']);
  });

  it('Bronze: signed manifest with typed input schemas, but no server passport', async () => {
    await publish('1.0.0', [TYPED]);
    const t = await trustOf('1.0.0');
    assert.equal(t.verified_publisher, true);
    assert.equal(t.origin_proven, true);
    assert.equal(t.trust_level, null);
    assert.equal(t.profile, 'Bronze');
  });

  it('Silver: + verified publisher, proven origin and an L3 server passport', async () => {
    assert.equal(await issuePassport(), 3);
    const t = await trustOf('1.0.0');
    assert.equal(t.trust_level, 3);
    assert.equal(t.profile, 'Silver');
  });

  it('still Silver with a server signature at L3, and at L4 while a tool is unclassified', async () => {
    await publish('1.1.0', [TYPED], key);
    const signed = await trustOf('1.1.0');
    assert.equal(signed.server_signature, true);
    assert.equal(signed.profile, 'Silver');
    const approved = await ta.request('POST', `/v1/passports/${passportId}/approve`, {
      token: ta.adminToken,
      body: { note: 'audited' },
    });
    assert.equal(approved.status, 201, approved.text);
    passportId = approved.json.passport.passport_id;
    const t = await trustOf('1.1.0');
    assert.equal(t.trust_level, 4);
    assert.deepEqual(t.capability_classes, ['unclassified']);
    assert.equal(t.profile, 'Silver');
  });

  it('Gold: + server signature, L4 and every tool classified; an unsigned version of the same server stays Silver', async () => {
    await publish('1.2.0', [CLASSIFIED], key);
    const t = await trustOf('1.2.0');
    assert.deepEqual(t.capability_classes, ['read']);
    assert.equal(t.profile, 'Gold');
    assert.equal((await trustOf('1.0.0')).profile, 'Silver');
  });

  it('back to Bronze when the server passport is revoked; Silver again with a new L3 passport', async () => {
    const r = await ta.request('POST', `/v1/passports/${passportId}/revoke`, {
      token,
      body: { reason: 'keyCompromise' },
    });
    assert.equal(r.status, 200, r.text);
    const t = await trustOf('1.2.0');
    assert.equal(t.trust_level, null);
    assert.equal(t.profile, 'Bronze');
    assert.equal(await issuePassport(), 3);
    assert.equal(
      (await trustOf('1.2.0')).profile,
      'Silver',
      'a new passport is L3: Gold needs a new audit approval',
    );
  });

  it('back to Bronze when the namespace is revoked: no verified publisher, no proven origin', async () => {
    const r = await ta.request('POST', '/v1/namespaces/com.example/revoke', {
      token: ta.adminToken,
      body: { reason: 'domain transferred' },
    });
    assert.equal(r.status, 200, r.text);
    const t = await trustOf('1.2.0');
    assert.equal(t.verified_publisher, false);
    assert.equal(t.verified, false);
    assert.equal(t.origin_proven, false);
    assert.equal(t.profile, 'Bronze');
  });

  it('no profile once yanked; status carries the reason and the time', async () => {
    const y = await ta.request('POST', `${manifestsPath(SERVER)}/1.0.0/yank`, {
      token: ta.adminToken,
      body: { reason: 'malicious' },
    });
    assert.equal(y.status, 200, y.text);
    const t = await trustOf('1.0.0');
    assert.equal(t.profile, null);
    assert.equal(t.status.state, 'yanked');
    assert.equal(t.status.reason, 'malicious');
    assert.ok(!Number.isNaN(Date.parse(t.status.at)));
  });
});
