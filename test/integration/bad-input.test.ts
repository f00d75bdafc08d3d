// Acceptance (foundation) 8: malformed JSON, wrong types, unknown enum values and an oversize body
// each get a 4xx problem document naming the field; none gets a 500.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertProblem } from '../support/problem.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';

describe('bad input', () => {
  let ta: TestService;
  let publisherId: string;
  before(async () => {
    ta = await startTestService({ env: { TA_BODY_LIMIT_BYTES: '4096' } });
    ({ publisherId } = await createPublisherWithToken(ta, 'Input Co'));
  });
  after(async () => ta.stop());

  const post = (path: string, body: unknown, headers?: Record<string, string>) =>
    ta.request('POST', path, { token: ta.adminToken, body, headers });

  it('malformed JSON → 400 naming the body', async () => {
    const res = await post('/v1/publishers', '{"name": "x",');
    assertProblem(res, 400, 'body');
    assert.equal(res.json.code, 'malformed-json');
  });

  it('wrong types → 400 naming the field', async () => {
    assertProblem(await post('/v1/publishers', { name: 42 }), 400, 'body.name');
    assertProblem(await post('/v1/publishers', { name: ['a'] }), 400, 'body.name');
    assertProblem(await post('/v1/publishers', []), 400, 'body');
    assertProblem(await post('/v1/publishers', 'null'), 400, 'body');
    assertProblem(
      await post(`/v1/publishers/${publisherId}/tokens`, { role: 'publisher', expires_at: 17 }),
      400,
      'body.expires_at',
    );
  });

  it('missing and out-of-range fields → 400 naming them', async () => {
    assertProblem(await post('/v1/publishers', {}), 400, 'body.name');
    assertProblem(await post('/v1/publishers', { name: ' padded ' }), 400, 'body.name');
    assertProblem(await post('/v1/publishers', { name: 'x'.repeat(129) }), 400, 'body.name');
    assertProblem(await post('/v1/publishers', { name: 'bell\u0007' }), 400, 'body.name');
    assertProblem(
      await ta.request('GET', '/v1/publishers?limit=0', { token: ta.adminToken }),
      400,
      'query.limit',
    );
    assertProblem(
      await ta.request('GET', '/v1/publishers?cursor=%%%', { token: ta.adminToken }),
      400,
      'query.cursor',
    );
    assertProblem(
      await ta.request('GET', '/v1/audit?after=-1', { token: ta.adminToken }),
      400,
      'query.after',
    );
  });

  it('unknown enum values → 400 naming the field', async () => {
    const res = await post(`/v1/publishers/${publisherId}/tokens`, { role: 'superuser' });
    assertProblem(res, 400, 'body.role');
    assertProblem(
      await post(`/v1/publishers/${publisherId}/tokens`, { role: 'admin' }),
      400,
      'body.role',
    );
  });

  it('malformed path parameters → 400 naming the parameter, before any lookup', async () => {
    assertProblem(
      await ta.request('GET', '/v1/publishers/..%2F..%2Fadmin', { token: ta.adminToken }),
      400,
      'path.id',
    );
    assertProblem(
      await ta.request('POST', `/v1/publishers/${publisherId}/tokens/nope/revoke`, {
        token: ta.adminToken,
      }),
      400,
      'path.token_id',
    );
  });

  it('an oversize body → 413 naming the body', async () => {
    const res = await post('/v1/publishers', { name: 'x', padding: 'y'.repeat(10_000) });
    assertProblem(res, 413, 'body');
    assert.equal(res.json.code, 'payload-too-large');
  });

  it('hostile JSON (prototype keys, deep nesting, lone surrogates) → 4xx, never 500', async () => {
    const deep = '['.repeat(1500) + ']'.repeat(1500);
    const cases: unknown[] = [
      '{"__proto__": {"admin": true}, "name": "Proto"}',
      '{"constructor": {"prototype": {"x": 1}}}',
      deep,
      '{"name": "\\ud800"}',
      '{"name": "a", "name": 5}',
    ];
    for (const body of cases) {
      const res = await post('/v1/publishers', body);
      assert.ok(res.status < 500, `status ${res.status} for ${String(body).slice(0, 40)}`);
    }
    assert.equal(({} as Record<string, unknown>).admin, undefined);
  });

  it('unknown routes → 404 problem', async () => {
    assertProblem(await ta.request('GET', '/v1/nothing-here'), 404);
  });
});
