// Acceptance (foundation) 6: revoked tokens get 401, a publisher token on an admin endpoint gets
// 403, token secrets never appear after creation — not in responses, not in logs.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertProblem } from '../support/problem.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';

describe('API tokens', () => {
  let ta: TestService;
  before(async () => {
    ta = await startTestService();
  });
  after(async () => ta.stop());

  it('the bootstrap admin token (TA_ADMIN_TOKEN) is an admin token', async () => {
    const res = await ta.request('GET', '/v1/token', { token: ta.adminToken });
    assert.equal(res.status, 200);
    assert.equal(res.json.role, 'admin');
  });

  it('a new token is shown once, works, and is listed without its secret', async () => {
    const { publisherId, token, tokenId } = await createPublisherWithToken(ta, 'Acme');
    assert.match(token, /^mcpsta_tok_/);
    const me = await ta.request('GET', '/v1/token', { token });
    assert.deepEqual(me.json, { token_id: tokenId, role: 'publisher', publisher_id: publisherId });
    const list = await ta.request('GET', `/v1/publishers/${publisherId}/tokens`, {
      token: ta.adminToken,
    });
    assert.equal(list.status, 200);
    assert.ok(list.json.items.some((t: { id: string }) => t.id === tokenId));
    assert.ok(!list.text.includes(token));
    assert.ok(!list.text.includes(token.slice(-43)));
  });

  it('a missing or unknown token gets 401', async () => {
    assertProblem(await ta.request('POST', '/v1/publishers', { body: { name: 'X' } }), 401);
    assertProblem(
      await ta.request('GET', '/v1/token', {
        token: 'mcpsta_tok_0000000000000000_' + 'A'.repeat(43),
      }),
      401,
    );
    assertProblem(
      await ta.request('GET', '/v1/token', { headers: { authorization: 'Basic abc' } }),
      401,
    );
  });

  it('a revoked token gets 401', async () => {
    const { publisherId, token, tokenId } = await createPublisherWithToken(ta, 'Revoked Co');
    const r = await ta.request('POST', `/v1/publishers/${publisherId}/tokens/${tokenId}/revoke`, {
      token: ta.adminToken,
    });
    assert.equal(r.status, 200);
    assert.ok(r.json.revoked_at);
    const res = await ta.request('GET', '/v1/token', { token });
    assertProblem(res, 401);
    assert.match(res.json.detail, /revoked/);
  });

  it('an expired token gets 401', async () => {
    const p = await ta.request('POST', '/v1/publishers', {
      token: ta.adminToken,
      body: { name: 'Expiring' },
    });
    const soon = new Date(Date.now() + 1500).toISOString();
    const t = await ta.request('POST', `/v1/publishers/${p.json.id}/tokens`, {
      token: ta.adminToken,
      body: { role: 'publisher', expires_at: soon },
    });
    assert.equal(t.status, 201);
    assert.equal((await ta.request('GET', '/v1/token', { token: t.json.token })).status, 200);
    await new Promise((r) => setTimeout(r, 1600));
    assertProblem(await ta.request('GET', '/v1/token', { token: t.json.token }), 401);
  });

  it('a publisher token on an admin endpoint gets 403', async () => {
    const { token } = await createPublisherWithToken(ta, 'Not Admin');
    assertProblem(
      await ta.request('POST', '/v1/publishers', { token, body: { name: 'Sneaky' } }),
      403,
    );
    assertProblem(await ta.request('GET', '/v1/publishers', { token }), 403);
    assertProblem(await ta.request('GET', '/v1/audit', { token }), 403);
  });

  it("publisher A cannot read or revoke publisher B's tokens", async () => {
    const a = await createPublisherWithToken(ta, 'Publisher A');
    const b = await createPublisherWithToken(ta, 'Publisher B');
    assertProblem(
      await ta.request('GET', `/v1/publishers/${b.publisherId}`, { token: a.token }),
      403,
    );
    assertProblem(
      await ta.request('GET', `/v1/publishers/${b.publisherId}/tokens`, { token: a.token }),
      403,
    );
    assertProblem(
      await ta.request('POST', `/v1/publishers/${b.publisherId}/tokens/${b.tokenId}/revoke`, {
        token: a.token,
      }),
      403,
    );
    // B's token still works
    assert.equal((await ta.request('GET', '/v1/token', { token: b.token })).status, 200);
    // A may revoke its own
    assert.equal(
      (
        await ta.request('POST', `/v1/publishers/${a.publisherId}/tokens/${a.tokenId}/revoke`, {
          token: a.token,
        })
      ).status,
      200,
    );
  });

  it('an auditor token reads the audit log but cannot write', async () => {
    const { token } = await createPublisherWithToken(ta, 'Audit Dept', 'auditor');
    assert.equal((await ta.request('GET', '/v1/audit', { token })).status, 200);
    assertProblem(
      await ta.request('POST', '/v1/publishers', { token, body: { name: 'Nope' } }),
      403,
    );
  });

  it('no token secret ever reaches the logs', async () => {
    const { token } = await createPublisherWithToken(ta, 'Logged');
    await ta.request('GET', '/v1/token', { token });
    await ta.request('GET', '/v1/token', { token: `${token}x` });
    const logs = ta.logs();
    assert.ok(logs.length > 0);
    assert.ok(!logs.includes(token.slice(-43)), 'token secret found in logs');
    assert.ok(!logs.includes(ta.adminToken), 'admin token found in logs');
  });
});
