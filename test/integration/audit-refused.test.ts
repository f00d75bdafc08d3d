// Issue 14: refused attempts that matter are audit events with outcome `refused`, rate-limited —
// a replayed proof-of-possession nonce, a passport refused for an unproven origin; and every
// event carries the standard schema (actor/subject typed, request id).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { challenge, newSubjectKey, popProof } from '../support/passports.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';

describe('refused attempts in the audit log', () => {
  let ta: TestService;
  let token: string;
  before(async () => {
    ta = await startTestService();
    ({ token } = await createPublisherWithToken(ta, 'Refusals'));
  });
  after(async () => ta.stop());

  const refused = async () =>
    (
      (await ta.request('GET', '/v1/audit?limit=1000', { token: ta.adminToken })).json
        .items as any[]
    ).filter((e) => e.outcome === 'refused');

  it('records a replayed nonce once per window however often it is replayed', async () => {
    const key = newSubjectKey();
    const proof = await popProof(key, await challenge(ta, token), { aud: ta.config.taName });
    const body = {
      subject_type: 'agent',
      name: 'replayer',
      capabilities: ['tools:read'],
      public_key: key.jwk,
      proof,
    };
    assert.equal((await ta.request('POST', '/v1/passports', { token, body })).status, 201);
    for (let i = 0; i < 5; i += 1)
      assert.equal((await ta.request('POST', '/v1/passports', { token, body })).status, 400);
    const events = await refused();
    assert.equal(events.length, 1, 'rate-limited to one event');
    const [e] = events;
    assert.equal(e.action, 'passport.issued');
    assert.equal(e.data.reason, 'nonce-rejected');
    assert.equal(e.document.outcome, 'refused');
    assert.equal(e.document.actor.type, 'token');
    assert.equal(typeof e.document.actor.publisher_id, 'string');
    assert.deepEqual(e.document.subject, { type: 'agent', id: 'replayer' });
    assert.match(e.document.request_id, /\S/);
  });

  it('records a passport refused for an origin the TA holds no proof of', async () => {
    const key = newSubjectKey();
    const proof = await popProof(key, await challenge(ta, token), { aud: ta.config.taName });
    const body = {
      subject_type: 'agent',
      name: 'claimer',
      origin: 'https://unproven.example',
      capabilities: ['tools:read'],
      public_key: key.jwk,
      proof,
    };
    assert.equal((await ta.request('POST', '/v1/passports', { token, body })).status, 400);
    const e = (await refused()).find((x) => x.data.reason === 'origin-unproven');
    assert.ok(e, 'refused event');
    assert.equal(e.data.origin, 'https://unproven.example');
    // Successful events carry the same schema, with outcome success.
    const ok = (
      (await ta.request('GET', '/v1/audit?limit=1000', { token: ta.adminToken })).json
        .items as any[]
    ).find((x) => x.action === 'passport.issued' && x.outcome === 'success');
    assert.equal(ok.document.outcome, 'success');
    assert.equal(ok.document.seq, ok.seq);
  });
});
