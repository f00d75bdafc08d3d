// Delegated issuers: an admin gives a publisher an intermediate issuer (a TA-signed passport with
// mcps:issue and bounds); the publisher signs passports under it offline; the TA's strict
// verifier (POST /v1/passports/verify) enforces the bounds and the issuer's revocation.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createP256Signer } from '../../src/crypto/signer.js';
import { signDelegatedPassport, type PassportDocument } from '../../src/passports/index.js';
import {
  challenge,
  issueAgentPassport,
  newSubjectKey,
  popProof,
  type SubjectKeyPair,
} from '../support/passports.js';
import { assertProblem } from '../support/problem.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';

describe('delegated issuers', () => {
  let ta: TestService;
  let pub: { publisherId: string; token: string };
  let issuerKey: SubjectKeyPair;
  let issuer: PassportDocument;

  before(async () => {
    ta = await startTestService();
    pub = await createPublisherWithToken(ta, 'Acme');
  });
  after(async () => ta.stop());

  function leaf(o: { trustLevel?: 2 | 3 | 4; capabilities?: string[]; origin?: string } = {}) {
    const subject = newSubjectKey();
    return signDelegatedPassport({
      issuerPassport: issuer,
      issuerChain: [],
      signer: createP256Signer(issuerKey.privateKey),
      subjectType: 'agent',
      name: 'acme-bot',
      capabilities: o.capabilities ?? ['tools:read'],
      publicKey: subject.jwk,
      origin: o.origin ?? 'https://bot.acme.example',
      trustLevel: o.trustLevel ?? 3,
      issuedAt: new Date(Date.now() - 1000),
      expiresAt: new Date(Date.now() + 86_400_000),
    }).passport;
  }

  it('an admin creates an issuer for a key the publisher proved it holds', async () => {
    issuerKey = newSubjectKey();
    // the publisher makes the proof; the admin submits it
    const nonce = await challenge(ta, pub.token);
    const body = {
      publisher_id: pub.publisherId,
      name: 'Acme issuing',
      capabilities: ['tools:read', 'tools:write'],
      origin: 'https://*.acme.example',
      max_trust_level: 3,
      public_key: issuerKey.jwk,
      proof: await popProof(issuerKey, nonce, { aud: ta.config.taName }),
    };
    assertProblem(
      await ta.request('POST', '/v1/passports/issuers', { token: pub.token, body }),
      403,
    );
    const res = await ta.request('POST', '/v1/passports/issuers', { token: ta.adminToken, body });
    assert.equal(res.status, 201, res.text);
    issuer = res.json.passport;
    assert.equal(issuer.subject_type, 'issuer');
    assert.equal(issuer.trust_level, 3);
    assert.deepEqual(issuer.agent.capabilities, ['mcps:issue', 'tools:read', 'tools:write']);
    assert.equal(issuer.origin, 'https://*.acme.example');
  });

  it('a passport the publisher signs under it verifies, naming its chain', async () => {
    const p = leaf();
    assert.equal(p.issuer, issuer.passport_id);
    const r = await ta.request('POST', '/v1/passports/verify', { body: { passport: p } });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, {
      valid: true,
      passport_id: p.passport_id,
      trust_level: 3,
      chain: [issuer.passport_id],
      problem: null,
      message: null,
      depth: null,
    });
  });

  it('passports wider than the issuer fail verification', async () => {
    for (const p of [
      leaf({ trustLevel: 4 }),
      leaf({ capabilities: ['tools:admin'] }),
      leaf({ origin: 'https://evil.example' }),
    ]) {
      const r = await ta.request('POST', '/v1/passports/verify', { body: { passport: p } });
      assert.equal(r.json.valid, false);
      assert.equal(r.json.problem, 'wider-than-parent');
    }
  });

  it('TA-issued passports verify too', async () => {
    const { res } = await issueAgentPassport(ta, pub.token, { name: 'plain-agent' });
    const r = await ta.request('POST', '/v1/passports/verify', {
      body: { passport: res.json.passport },
    });
    assert.equal(r.json.valid, true);
  });

  it('once the issuer is revoked, passports under it fail, and /api/crl lists it', async () => {
    const p = leaf();
    const rev = await ta.request('POST', `/v1/passports/${issuer.passport_id}/revoke`, {
      token: pub.token,
      body: { reason: 'cessationOfOperation' },
    });
    assert.equal(rev.status, 200, rev.text);
    const r = await ta.request('POST', '/v1/passports/verify', { body: { passport: p } });
    assert.equal(r.json.valid, false);
    assert.equal(r.json.problem, 'revoked');
    assert.equal(r.json.depth, 1);
    const crl = await ta.request('GET', '/api/crl');
    assert.ok(
      crl.json.revoked.some((e: { passport_id: string }) => e.passport_id === issuer.passport_id),
    );
  });
});
