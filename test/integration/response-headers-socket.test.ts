// Headers every response carries, checked over a real socket (where they are set on Node's
// ServerResponse rather than on the Hono response): nosniff on all, the public-read CORS grant
// on GET and HEAD outside the admin UI, whatever built the response — a JSON route, a problem
// document, a DER body, a HEAD.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestService, type TestService } from '../support/service.js';

describe('response headers over a socket', () => {
  let ta: TestService;
  before(async () => {
    ta = await startTestService({ listen: true });
  });
  after(() => ta.stop());

  const reads: Array<[string, string, number]> = [
    ['GET', '/healthz', 200],
    ['HEAD', '/healthz', 200],
    ['GET', '/v1/passports/no-such-passport', 400],
    ['GET', '/v1/servers/com.example/nothing-here', 404],
    ['GET', '/v1/crl', 200],
    ['GET', '/v1/revocations', 200],
  ];
  for (const [method, path, status] of reads) {
    it(`${method} ${path} → ${status} with nosniff and the CORS grant`, async () => {
      const res = await fetch(`${ta.url}${path}`, { method });
      await res.arrayBuffer();
      assert.equal(res.status, status);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
      assert.match(res.headers.get('access-control-expose-headers') ?? '', /ETag/);
    });
  }

  it('writes, and the admin UI, get nosniff but no CORS grant', async () => {
    const post = await fetch(`${ta.url}/v1/publishers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ta.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'headers' }),
    });
    await post.arrayBuffer();
    assert.equal(post.status, 201);
    assert.equal(post.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(post.headers.get('access-control-allow-origin'), null);
    const admin = await fetch(`${ta.url}/admin/login`);
    await admin.arrayBuffer();
    assert.equal(admin.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(admin.headers.get('access-control-allow-origin'), null);
  });
});
