// Registered servers: register under a verified namespace, list and read publicly, change by the
// owner only, each change audited; bad input names its field.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertProblem } from '../support/problem.js';
import { verifiedNamespace } from '../support/registry.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';

describe('servers', () => {
  let ta: TestService;
  let a: { token: string; publisherId: string };

  before(async () => {
    ta = await startTestService();
    a = await createPublisherWithToken(ta, 'Server Co');
    await verifiedNamespace(ta, a.token, 'com.example');
  });
  after(async () => ta.stop());

  const register = (body: Record<string, unknown>) =>
    ta.request('POST', '/v1/servers', { token: a.token, body });

  it('registers a server with origin, description and repository', async () => {
    const repository = { url: 'https://github.com/example/weather', source: 'github' };
    const r = await register({
      name: 'com.example/weather',
      origin: 'https://weather.example.com/',
      description: 'Weather forecasts',
      repository,
    });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.origin, 'https://weather.example.com');
    assert.equal(r.json.publisher_id, a.publisherId);
    assert.deepEqual(r.json.repository, repository);
    const g = await ta.request('GET', '/v1/servers/com.example/weather');
    assert.equal(g.status, 200);
    assert.equal(g.json.description, 'Weather forecasts');
    assertProblem(
      await register({
        name: 'com.example/weather',
        origin: 'https://x.example.com',
        description: 'again',
      }),
      409,
      'body.name',
    );
  });

  it('refuses bad names, origins, descriptions and repositories naming the field', async () => {
    assertProblem(
      await register({ name: 'weather', origin: 'https://w.example.com', description: 'x' }),
      400,
      'body.name',
    );
    assertProblem(
      await register({
        name: 'com.example/a b',
        origin: 'https://w.example.com',
        description: 'x',
      }),
      400,
      'body.name',
    );
    assertProblem(
      await register({
        name: 'com.example/w2',
        origin: 'https://w.example.com/mcp',
        description: 'x',
      }),
      400,
      'body.origin',
    );
    assertProblem(
      await register({ name: 'com.example/w2', origin: 'ftp://w.example.com', description: 'x' }),
      400,
      'body.origin',
    );
    assertProblem(
      await register({
        name: 'com.example/w2',
        origin: 'https://w.example.com',
        description: 'x'.repeat(101),
      }),
      400,
      'body.description',
    );
    assertProblem(
      await register({
        name: 'com.example/w2',
        origin: 'https://w.example.com',
        description: 'x',
        repository: { url: 'javascript:alert(1)', source: 'github' },
      }),
      400,
      'body.repository.url',
    );
    assertProblem(
      await register({
        name: 'com.unclaimed/w2',
        origin: 'https://w.example.com',
        description: 'x',
      }),
      403,
    );
  });

  it('lists servers publicly with a cursor and a search', async () => {
    for (const n of ['alpha', 'beta', 'gamma'])
      assert.equal(
        (
          await register({
            name: `com.example/${n}`,
            origin: `https://${n}.example.com`,
            description: n,
          })
        ).status,
        201,
      );
    const first = await ta.request('GET', '/v1/servers?limit=2');
    assert.deepEqual(
      first.json.items.map((s: { name: string }) => s.name),
      ['com.example/alpha', 'com.example/beta'],
    );
    const second = await ta.request('GET', `/v1/servers?limit=2&cursor=${first.json.next_cursor}`);
    assert.deepEqual(
      second.json.items.map((s: { name: string }) => s.name),
      ['com.example/gamma', 'com.example/weather'],
    );
    assert.equal(second.json.next_cursor, null);
    const found = await ta.request('GET', '/v1/servers?search=AMM');
    assert.deepEqual(
      found.json.items.map((s: { name: string }) => s.name),
      ['com.example/gamma'],
    );
  });

  it('changes a server by its owner only, auditing the changed fields', async () => {
    const other = await createPublisherWithToken(ta, 'Other Co');
    assertProblem(
      await ta.request('PATCH', '/v1/servers/com.example/alpha', {
        token: other.token,
        body: { description: 'pwned' },
      }),
      403,
    );
    assertProblem(
      await ta.request('PATCH', '/v1/servers/com.example/alpha', { body: { description: 'anon' } }),
      401,
    );
    const p = await ta.request('PATCH', '/v1/servers/com.example/alpha', {
      token: a.token,
      body: { description: 'Alpha v2', repository: null },
    });
    assert.equal(p.status, 200, p.text);
    assert.equal(p.json.description, 'Alpha v2');
    assertProblem(
      await ta.request('PATCH', '/v1/servers/com.example/missing', {
        token: a.token,
        body: { description: 'x' },
      }),
      404,
    );
    const audit = await ta.request('GET', '/v1/audit?limit=1000', { token: ta.adminToken });
    const updates = audit.json.items.filter(
      (e: { action: string }) => e.action === 'server.updated',
    );
    assert.equal(updates.length, 1);
    // The changed fields, and the publisher the event belongs to (what its auditors read).
    assert.deepEqual(updates[0].data, {
      description: { from: 'alpha', to: 'Alpha v2' },
      publisher_id: a.publisherId,
    });
  });
});
