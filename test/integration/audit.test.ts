// Acceptance (foundation) 7: state changes are audited in the same transaction; editing one
// audit row directly in the database makes /v1/audit/verify name that row's sequence number.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifyDocument } from '../../src/crypto/signed-document.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';

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
    assert.deepEqual(actions.slice(0, 3), [
      'authority_key.created',
      'authority_key.created',
      'authority_key.created',
    ]);
    const pub = res.json.items.find(
      (e: { subject: string }) => e.subject === `publisher:${publisherId}`,
    );
    assert.equal(pub.action, 'publisher.created');
    assert.match(pub.actor, /^token:tok_/);
    assert.ok(res.json.items.some((e: { subject: string }) => e.subject === `token:${tokenId}`));
    const seqs = res.json.items.map((e: { seq: number }) => e.seq);
    assert.deepEqual(
      seqs,
      seqs.map((_: number, i: number) => i + 1),
    );
  });

  it('pages with after/limit', async () => {
    const first = await ta.request('GET', '/v1/audit?limit=2', { token: ta.adminToken });
    assert.equal(first.json.items.length, 2);
    const next = await ta.request('GET', `/v1/audit?after=${first.json.next_after}&limit=2`, {
      token: ta.adminToken,
    });
    assert.equal(next.json.items[0].seq, first.json.items[1].seq + 1);
  });

  it('a failed change leaves no audit event (same transaction)', async () => {
    const before = (await ta.request('GET', '/v1/audit?limit=1000', { token: ta.adminToken })).json
      .items.length;
    const dup = await ta.request('POST', '/v1/publishers', {
      token: ta.adminToken,
      body: { name: 'Audited' },
    });
    assert.equal(dup.status, 409);
    const afterCount = (await ta.request('GET', '/v1/audit?limit=1000', { token: ta.adminToken }))
      .json.items.length;
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
    assert.deepEqual(
      verifyDocument(cp.json, (kid) => ta.keyring.publicKeyFor(kid)),
      { ok: true, kid: cp.json.issuer_kid },
    );
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
    assert.equal(
      (await ta.request('GET', '/v1/audit/checkpoint', { token: ta.adminToken })).status,
      409,
    );
  });
});

// Acceptance (issue 13): a publisher's auditor reads that publisher's events only — those about
// its resources (even when an admin acted) or done with its tokens — never another publisher's,
// whose webhook target URLs the webhooks API rightly hides. Admins read everything.
describe("audit log as seen by a publisher's auditor", () => {
  let ta: TestService;
  let A: { publisherId: string; token: string; tokenId: string };
  let B: { publisherId: string; token: string; tokenId: string };
  let auditorA: string;
  const secretUrlB = 'http://127.0.0.1:9/b-private-hook-target';
  before(async () => {
    ta = await startTestService({ env: { TA_ALLOW_PRIVATE_WEBHOOKS: '1' } });
    A = await createPublisherWithToken(ta, 'Scope A');
    B = await createPublisherWithToken(ta, 'Scope B');
    const aud = await ta.request('POST', `/v1/publishers/${A.publisherId}/tokens`, {
      token: ta.adminToken,
      body: { role: 'auditor' },
    });
    auditorA = aud.json.token;
    for (const [who, ns] of [
      [A, 'com.scopea'],
      [B, 'com.scopeb'],
    ] as const) {
      const claim = await ta.request('POST', '/v1/namespaces', {
        token: who.token,
        body: { namespace: ns, url: `https://${ns.split('.').reverse().join('.')}` },
      });
      assert.equal(claim.status, 201, claim.text);
      assert.equal(
        (await ta.request('POST', `/v1/namespaces/${ns}/approve`, { token: ta.adminToken })).status,
        200,
      );
    }
    const hookA = await ta.request('POST', '/v1/webhooks', {
      token: A.token,
      body: { url: 'http://127.0.0.1:9/a-hook', secret: 'a'.repeat(32) },
    });
    assert.equal(hookA.status, 201, hookA.text);
    const hookB = await ta.request('POST', '/v1/webhooks', {
      token: B.token,
      body: { url: secretUrlB, secret: 'b'.repeat(32) },
    });
    assert.equal(hookB.status, 201, hookB.text);
  });
  after(async () => ta.stop());

  const events = async (token: string) => {
    const res = await ta.request('GET', '/v1/audit?limit=1000', { token });
    assert.equal(res.status, 200, res.text);
    return res.json.items as Array<{
      seq: number;
      actor: string;
      action: string;
      subject: string;
      data: Record<string, unknown>;
    }>;
  };

  it("shows A's auditor A's events, including the admin's approval of A's namespace, and nothing of B's", async () => {
    const seen = await events(auditorA);
    assert.ok(seen.length > 0);
    assert.ok(
      seen.every((e) => e.data.publisher_id === A.publisherId),
      JSON.stringify(seen.map((e) => [e.action, e.data.publisher_id])),
    );
    const has = (action: string, subject: string) =>
      seen.some((e) => e.action === action && e.subject === subject);
    assert.ok(has('publisher.created', `publisher:${A.publisherId}`));
    assert.ok(has('token.created', `token:${A.tokenId}`));
    assert.ok(has('namespace.claimed', 'namespace:com.scopea'));
    assert.ok(
      has('namespace.approved', 'namespace:com.scopea'),
      'an admin acting on A is an event of A',
    );
    assert.ok(seen.some((e) => e.action === 'webhook.created' && e.actor === `token:${A.tokenId}`));
    const text = JSON.stringify(seen);
    for (const foreign of [
      B.publisherId,
      B.tokenId,
      'com.scopeb',
      secretUrlB,
      'b-private-hook-target',
    ])
      assert.ok(!text.includes(foreign), `auditor of A sees ${foreign}`);
    // Paging with after= stays inside A's events.
    const page = await ta.request('GET', `/v1/audit?after=${seen[0]!.seq}&limit=2`, {
      token: auditorA,
    });
    assert.deepEqual(
      page.json.items.map((e: { seq: number }) => e.seq),
      seen.slice(1, 3).map((e) => e.seq),
    );
  });

  it("admins see every publisher's events and the TA's own", async () => {
    const all = await events(ta.adminToken);
    assert.ok(
      all.some((e) => e.data.publisher_id === B.publisherId && e.action === 'webhook.created'),
    );
    assert.ok(all.some((e) => e.action === 'authority_key.created'));
    assert.equal(
      new Set(all.map((e) => e.seq)).size,
      all[all.length - 1]!.seq,
      'every sequence number',
    );
  });

  it('the chain check (counts and hashes only) is open to the auditor and covers the whole chain', async () => {
    const mine = await ta.request('GET', '/v1/audit/verify', { token: auditorA });
    const admin = await ta.request('GET', '/v1/audit/verify', { token: ta.adminToken });
    assert.equal(mine.status, 200);
    assert.equal(mine.json.ok, true);
    assert.deepEqual(mine.json, admin.json);
    assert.deepEqual(Object.keys(mine.json).sort(), [
      'checked',
      'checkpoints_checked',
      'first_broken_seq',
      'head_hash',
      'head_seq',
      'ok',
      'reason',
    ]);
  });
});

// Issue 13: a TA-wide auditor exists only when an admin creates one explicitly; it reads every
// publisher's events and nothing else of any publisher, while a publisher's auditor stays scoped.
describe('TA-wide auditor token', () => {
  let ta: TestService;
  let A: { publisherId: string; token: string; tokenId: string };
  let B: { publisherId: string; token: string; tokenId: string };
  let auditorA: { publisherId: string; token: string; tokenId: string };
  before(async () => {
    ta = await startTestService({ env: { TA_ALLOW_PRIVATE_WEBHOOKS: '1' } });
    A = await createPublisherWithToken(ta, 'Wide A');
    B = await createPublisherWithToken(ta, 'Wide B');
    auditorA = await createPublisherWithToken(ta, 'Wide A auditor', 'auditor');
    assert.equal(
      (
        await ta.request('POST', '/v1/webhooks', {
          token: ta.adminToken,
          body: { url: 'http://127.0.0.1:9/ta-own-hook', secret: 't'.repeat(32) },
        })
      ).status,
      201,
    );
  });
  after(async () => ta.stop());

  it('only an admin creates one, explicitly; an auditor token without publisher cannot be had otherwise', async () => {
    for (const token of [A.token, auditorA.token])
      assert.equal(
        (await ta.request('POST', '/v1/auditor-tokens', { token, body: {} })).status,
        403,
      );
    // The publisher-token route keeps requiring a publisher.
    assert.equal(
      (
        await ta.request('POST', `/v1/publishers/${A.publisherId}/tokens`, {
          token: ta.adminToken,
          body: { role: 'auditor' },
        })
      ).json.publisher_id,
      A.publisherId,
    );
    const created = await ta.request('POST', '/v1/auditor-tokens', {
      token: ta.adminToken,
      body: { label: 'external auditor' },
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.json.role, 'auditor');
    assert.equal(created.json.publisher_id, null);
    assert.match(created.json.token, /^mcpsta_/);
    assert.equal(created.headers.get('cache-control'), 'no-store');
    const listed = await ta.request('GET', '/v1/auditor-tokens', { token: ta.adminToken });
    assert.deepEqual(
      listed.json.items.map((t: { id: string }) => t.id),
      [created.json.id],
    );
    assert.ok(!listed.text.includes(created.json.token));
    const events = (await ta.request('GET', '/v1/audit?limit=1000', { token: ta.adminToken })).json
      .items as Array<{ action: string; subject: string; data: Record<string, unknown> }>;
    const event = events.find(
      (e) => e.action === 'token.created' && e.subject === `token:${created.json.id}`,
    );
    assert.equal(event?.data.scope, 'ta');
    assert.equal(event?.data.publisher_id, null);

    const wide = created.json.token as string;
    const all = (await ta.request('GET', '/v1/audit?limit=1000', { token: wide })).json
      .items as Array<{ data: Record<string, unknown>; action: string }>;
    assert.ok(all.some((e) => e.data.publisher_id === A.publisherId));
    assert.ok(all.some((e) => e.data.publisher_id === B.publisherId));
    assert.ok(all.some((e) => e.action === 'authority_key.created'));
    assert.equal(all.length, events.length, 'the same events as an admin reads');
    assert.equal((await ta.request('GET', '/v1/audit/verify', { token: wide })).json.ok, true);
    const scoped = (await ta.request('GET', '/v1/audit?limit=1000', { token: auditorA.token })).json
      .items as Array<{ data: Record<string, unknown> }>;
    assert.ok(
      scoped.length > 0 && scoped.every((e) => e.data.publisher_id === auditorA.publisherId),
      "the publisher's auditor stays scoped",
    );

    // Nothing else: no publisher's resources, no webhooks (not even the TA's own), no writes.
    assert.equal(
      (await ta.request('GET', `/v1/publishers/${A.publisherId}`, { token: wide })).status,
      403,
    );
    assert.equal(
      (await ta.request('GET', `/v1/publishers/${A.publisherId}/tokens`, { token: wide })).status,
      403,
    );
    assert.deepEqual((await ta.request('GET', '/v1/webhooks', { token: wide })).json.items, []);
    assert.equal(
      (await ta.request('POST', '/v1/publishers', { token: wide, body: { name: 'nope' } })).status,
      403,
    );
    assert.equal(
      (await ta.request('POST', '/v1/auditor-tokens', { token: wide, body: {} })).status,
      403,
    );

    const revoked = await ta.request('POST', `/v1/auditor-tokens/${created.json.id}/revoke`, {
      token: ta.adminToken,
    });
    assert.equal(revoked.status, 200);
    assert.ok(revoked.json.revoked_at);
    assert.equal((await ta.request('GET', '/v1/audit', { token: wide })).status, 401);
    // The revoke route revokes TA-wide auditor tokens only, never a publisher's token.
    assert.equal(
      (
        await ta.request('POST', `/v1/auditor-tokens/${auditorA.tokenId}/revoke`, {
          token: ta.adminToken,
        })
      ).status,
      404,
    );
  });
});
