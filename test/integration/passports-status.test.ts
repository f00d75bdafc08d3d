// Acceptance (passports) 5: after a revocation /api/verify/{id} says REVOKED with the reason
// within 1 s, signed with a JWKS key; unknown ids get 404 UNKNOWN; malformed ids get 400 without
// the database being touched. Also /api/crl, /api/passport and discovery.
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { verifyDocument } from '../../src/crypto/signed-document.js';
import { issueAgentPassport, rotate } from '../support/passports.js';
import { assertProblem } from '../support/problem.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';

const UNKNOWN_ID = `asp_${'0'.repeat(32)}`;

/** Verifies a signed document with the JWKS as a client fetches it. */
async function verifiesWithJwks(ta: TestService, doc: Record<string, unknown>): Promise<boolean> {
  const keys = (await ta.request('GET', '/v1/trust/jwks')).json.keys as Array<
    Record<string, string>
  >;
  const keyFor = (kid: string) => {
    const k = keys.find((j) => j.kid === kid);
    return k
      ? createPublicKey({ key: { kty: k.kty, crv: k.crv, x: k.x, y: k.y } as never, format: 'jwk' })
      : undefined;
  };
  return verifyDocument(doc, keyFor).ok;
}

describe('passport status (MCPS-compatible API)', () => {
  let ta: TestService;
  let token: string;
  before(async () => {
    ta = await startTestService();
    token = (await createPublisherWithToken(ta, 'Status Co')).token;
  });
  after(async () => ta.stop());

  it('a fresh passport is VALID, in a signed status document', async () => {
    const { res } = await issueAgentPassport(ta, token, { name: 'valid-agent' });
    const s = await ta.request('GET', `/api/verify/${res.json.passport_id}`);
    assert.equal(s.status, 200);
    assert.equal(s.json.status, 'VALID');
    assert.equal(s.json.reason, null);
    assert.equal(s.json.revocation_reason, null);
    assert.equal(s.json.trust_level, 2);
    assert.equal(s.json.expires_at, res.json.passport.expires_at);
    assert.ok(Date.parse(s.json.next_update) > Date.parse(s.json.checked_at));
    assert.ok(await verifiesWithJwks(ta, s.json));
  });

  it('the first read after a revocation is REVOKED with the reason, signed with a JWKS key (npm run bench measures the delay)', async () => {
    const { res } = await issueAgentPassport(ta, token, { name: 'doomed-agent' });
    const id = res.json.passport_id;
    const revoke = await ta.request('POST', `/v1/passports/${id}/revoke`, {
      token,
      body: { reason: 'keyCompromise' },
    });
    assert.equal(revoke.status, 200, revoke.text);
    assert.equal(revoke.json.status, 'revoked');
    const s = await ta.request('GET', `/api/verify/${id}`);
    assert.equal(s.json.status, 'REVOKED');
    assert.equal(s.json.reason, 'keyCompromise');
    assert.equal(s.json.revocation_reason, 'keyCompromise');
    assert.equal(s.json.revoked_at, revoke.json.revoked_at);
    assert.ok(await verifiesWithJwks(ta, s.json));
    assert.ok(
      !(await verifiesWithJwks(ta, { ...s.json, status: 'VALID' })),
      'a doctored status must not verify',
    );
    // the revocation is audited, and revoking again changes nothing
    const again = await ta.request('POST', `/v1/passports/${id}/revoke`, {
      token: ta.adminToken,
      body: { reason: 'unspecified' },
    });
    assert.equal(again.json.revocation_reason, 'keyCompromise');
    const events = (await ta.request('GET', '/v1/audit?limit=1000', { token: ta.adminToken })).json
      .items;
    assert.equal(
      events.filter(
        (e: { action: string; subject: string }) =>
          e.action === 'passport.revoked' && e.subject === `passport:${id}`,
      ).length,
      1,
    );
  });

  it('rejects reasons that are not RFC 5280 names', async () => {
    const { res } = await issueAgentPassport(ta, token, { name: 'reasonable-agent' });
    assertProblem(
      await ta.request('POST', `/v1/passports/${res.json.passport_id}/revoke`, {
        token,
        body: { reason: 'KeyCompromise' },
      }),
      400,
      'body.reason',
    );
    assertProblem(
      await ta.request('POST', `/v1/passports/${res.json.passport_id}/revoke`, {
        token,
        body: { reason: 'removeFromCRL' },
      }),
      400,
      'body.reason',
    );
  });

  it('a superseded passport is REVOKED with reason superseded', async () => {
    const { res, key } = await issueAgentPassport(ta, token, { name: 'rotated-agent' });
    await rotate(ta, token, res.json.passport_id, key);
    const s = await ta.request('GET', `/api/verify/${res.json.passport_id}`);
    assert.equal(s.json.status, 'REVOKED');
    assert.equal(s.json.reason, 'superseded');
  });

  it('an unknown id is a 404 with status UNKNOWN', async () => {
    const s = await ta.request('GET', `/api/verify/${UNKNOWN_ID}`);
    assert.equal(s.status, 404);
    assert.equal(s.json.status, 'UNKNOWN');
    assert.equal(s.json.passport_id, UNKNOWN_ID);
    assert.ok(await verifiesWithJwks(ta, s.json));
    assertProblem(await ta.request('GET', `/api/passport/${UNKNOWN_ID}`), 404);
    assertProblem(await ta.request('GET', `/v1/passports/${UNKNOWN_ID}`), 404);
  });

  it('/api/crl lists revoked and superseded passports, signed with a JWKS key', async () => {
    const crl = await ta.request('GET', '/api/crl');
    assert.equal(crl.status, 200);
    assert.ok(await verifiesWithJwks(ta, crl.json));
    const reasons = new Set(crl.json.revoked.map((r: { reason: string }) => r.reason));
    assert.ok(reasons.has('keyCompromise') && reasons.has('superseded'));
    for (const r of crl.json.revoked) assert.equal(r.reason, r.revocation_reason);
  });

  it('discovery names the status URI template', async () => {
    const d = await ta.request('GET', '/.well-known/mcps-trust-authority');
    assert.match(d.json.passport_status_uri, /\/api\/verify\/\{passport_id\}$/);
  });
});

describe('malformed passport ids', () => {
  let ta: TestService;
  before(async () => {
    ta = await startTestService();
  });
  after(async () => ta.stop());

  it('get 400 without touching the database (it is closed: any query would fail)', async () => {
    await ta.database.close();
    const bad = [
      '..%2F..%2Fadmin',
      'asp_XYZ',
      `asp_${'A'.repeat(32)}`,
      `asp_${'0'.repeat(31)}`,
      `asp_${'0'.repeat(33)}`,
      '%27%20or%201%3D1--',
      'asp_%00',
    ];
    for (const id of bad) {
      for (const path of [
        `/api/verify/${id}`,
        `/api/passport/${id}`,
        `/v1/passports/${id}`,
        `/v1/passports/${id}/chain`,
      ]) {
        const res = await ta.request('GET', path);
        assertProblem(res, 400, path.startsWith('/api/') ? 'path.passport_id' : 'path.id');
      }
    }
    // proof that the database really is unreachable: a well-formed id fails
    const res = await ta.request('GET', `/api/verify/${UNKNOWN_ID}`);
    assert.ok(res.status >= 500);
  });
});
