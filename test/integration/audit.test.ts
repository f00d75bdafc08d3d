// Acceptance (foundation) 7: state changes are audited in the same transaction; editing one
// audit row directly in the database makes /v1/audit/verify name that row's sequence number.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifyDocument } from '../../src/crypto/signed-document.js';
import { createPublisherWithToken, startTestService, type TestService } from '../support/service.js';

describe('audit log', () => {
  let ta: TestService;
  before(async () => {
    ta = await startTestService();
  });
  after(async () => ta.stop());

  it('records key creation, the bootstrap token, publishers and tokens, in order', async () => {
    const { publisherId, tokenId } = await createPublisherWithToken(ta, 'Audited');
    const res = await ta.request('GET', '/v1/audit?limit=1000', { token: ta.adminToken });
    assert.equal(res.status, 200);
    const actions = res.json.items.map((e: { action: string }) => e.action);
    assert.deepEqual(actions.slice(0, 3), ['authority_key.created', 'authority_key.created', 'authority_key.created']);
    const pub = res.json.items.find((e: { subject: string }) => e.subject === `publisher:${publisherId}`);
    assert.equal(pub.action, 'publisher.created');
    assert.match(pub.actor, /^token:tok_/);
    assert.ok(res.json.items.some((e: { subject: string }) => e.subject === `token:${tokenId}`));
    const seqs = res.json.items.map((e: { seq: number }) => e.seq);
    assert.deepEqual(seqs, seqs.map((_: number, i: number) => i + 1));
  });

  it('pages with after/limit', async () => {
    const first = await ta.request('GET', '/v1/audit?limit=2', { token: ta.adminToken });
    assert.equal(first.json.items.length, 2);
    const next = await ta.request('GET', `/v1/audit?after=${first.json.next_after}&limit=2`, { token: ta.adminToken });
    assert.equal(next.json.items[0].seq, first.json.items[1].seq + 1);
  });

  it('a failed change leaves no audit event (same transaction)', async () => {
    const before = (await ta.request('GET', '/v1/audit?limit=1000', { token: ta.adminToken })).json.items.length;
    const dup = await ta.request('POST', '/v1/publishers', { token: ta.adminToken, body: { name: 'Audited' } });
    assert.equal(dup.status, 409);
    const afterCount = (await ta.request('GET', '/v1/audit?limit=1000', { token: ta.adminToken })).json.items.length;
    assert.equal(afterCount, before);
  });

  it('verifies, and signs a checkpoint of the head with a JWKS key', async () => {
    const v = await ta.request('GET', '/v1/audit/verify', { token: ta.adminToken });
    assert.equal(v.status, 200);
    assert.equal(v.json.ok, true);
    assert.equal(v.json.first_broken_seq, null);
    const cp = await ta.request('GET', '/v1/audit/checkpoint', { token: ta.adminToken });
    assert.equal(cp.status, 200);
    assert.equal(cp.json.head_seq, v.json.head_seq);
    assert.equal(cp.json.head_hash, v.json.head_hash);
    assert.deepEqual(verifyDocument(cp.json, (kid) => ta.keyring.publicKeyFor(kid)), { ok: true, kid: cp.json.issuer_kid });
  });

  it('names the sequence number of a row edited directly in the database', async () => {
    await createPublisherWithToken(ta, 'Victim');
    const rows = await ta.db.sql('select seq from audit_events order by seq');
    const target = Number(rows[Math.floor(rows.length / 2)]!.seq);
    await ta.db.sql(`update audit_events set actor = 'mallory' where seq = $1`, [target]);
    const v = await ta.request('GET', '/v1/audit/verify', { token: ta.adminToken });
    assert.equal(v.json.ok, false);
    assert.equal(v.json.first_broken_seq, target);
    assert.equal(v.json.reason, 'hash-mismatch');
    assert.equal((await ta.request('GET', '/v1/audit/checkpoint', { token: ta.adminToken })).status, 409);
  });
});
