// Agents appear on first passport issuance; a publisher sees only its own, admins see all.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { issueAgentPassport } from '../support/passports.js';
import { assertProblem } from '../support/problem.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';

describe('agents', () => {
  let ta: TestService;
  let a: { publisherId: string; token: string };
  let b: { publisherId: string; token: string };
  before(async () => {
    ta = await startTestService();
    a = await createPublisherWithToken(ta, 'Agent Owner A');
    b = await createPublisherWithToken(ta, 'Agent Owner B');
    await issueAgentPassport(ta, a.token, { name: 'alpha' });
    await issueAgentPassport(ta, a.token, { name: 'alpha' });
    await issueAgentPassport(ta, a.token, { name: 'beta' });
    await issueAgentPassport(ta, b.token, { name: 'alpha' });
  });
  after(async () => ta.stop());

  it('a publisher lists its own agents only, each name once', async () => {
    const res = await ta.request('GET', '/v1/agents', { token: a.token });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json.items.map((x: { name: string }) => x.name).sort(), ['alpha', 'beta']);
    assert.ok(
      res.json.items.every((x: { publisher_id: string }) => x.publisher_id === a.publisherId),
    );
    assertProblem(
      await ta.request('GET', `/v1/agents?publisher_id=${b.publisherId}`, { token: a.token }),
      403,
    );
  });

  it('an agent shows its passports; another publisher gets 404 for it', async () => {
    const list = await ta.request('GET', '/v1/agents', { token: a.token });
    const alpha = list.json.items.find((x: { name: string }) => x.name === 'alpha');
    const res = await ta.request('GET', `/v1/agents/${alpha.id}`, { token: a.token });
    assert.equal(res.status, 200);
    assert.equal(res.json.passports.length, 2);
    assert.ok(
      res.json.passports.every(
        (p: { status: string; trust_level: number }) =>
          p.status === 'active' && p.trust_level === 2,
      ),
    );
    assertProblem(await ta.request('GET', `/v1/agents/${alpha.id}`, { token: b.token }), 404);
    assertProblem(
      await ta.request('GET', '/v1/agents/agt_nope', { token: a.token }),
      400,
      'path.id',
    );
  });

  it('admins list every agent, or one publisher’s, page by page', async () => {
    const all = await ta.request('GET', '/v1/agents', { token: ta.adminToken });
    assert.equal(all.json.items.length, 3);
    const page = await ta.request('GET', '/v1/agents?limit=2', { token: ta.adminToken });
    assert.equal(page.json.items.length, 2);
    const next = await ta.request('GET', `/v1/agents?limit=2&cursor=${page.json.next_cursor}`, {
      token: ta.adminToken,
    });
    assert.equal(next.json.items.length, 1);
    assert.equal(next.json.next_cursor, null);
    const onlyB = await ta.request('GET', `/v1/agents?publisher_id=${b.publisherId}`, {
      token: ta.adminToken,
    });
    assert.deepEqual(
      onlyB.json.items.map((x: { publisher_id: string }) => x.publisher_id),
      [b.publisherId],
    );
  });
});
