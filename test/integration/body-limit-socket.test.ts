// The body limit on a real socket, where it is decided from HTTP/1.1 framing without building a
// web-standard Request: a declared Content-Length over the limit is refused before the body is
// read, a chunked body is counted as it streams, and bodies within the limit pass either way.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startTestService, type TestService } from '../support/service.js';

const LIMIT = 4096;

function post(
  url: string,
  token: string,
  body: string,
  framing: 'length' | 'chunked',
): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    };
    if (framing === 'length') headers['content-length'] = String(Buffer.byteLength(body));
    const req = http.request(`${url}/v1/publishers`, { method: 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(text) }));
    });
    req.on('error', reject);
    if (framing === 'chunked') {
      // Two chunks, so the body really is sent with Transfer-Encoding: chunked.
      req.write(body.slice(0, 10));
      req.end(body.slice(10));
    } else req.end(body);
  });
}

describe('request body limit over a socket', () => {
  let ta: TestService;
  before(async () => {
    ta = await startTestService({ listen: true, env: { TA_BODY_LIMIT_BYTES: String(LIMIT) } });
  });
  after(() => ta.stop());

  const big = JSON.stringify({ name: 'too big', padding: 'y'.repeat(LIMIT) });
  const small = (name: string) => JSON.stringify({ name });

  for (const framing of ['length', 'chunked'] as const) {
    it(`${framing}: over the limit → 413 naming the body, nothing created`, async () => {
      const before = (await ta.request('GET', '/v1/publishers', { token: ta.adminToken })).json;
      const res = await post(ta.url!, ta.adminToken, big, framing);
      assert.equal(res.status, 413, JSON.stringify(res.json));
      assert.equal(res.json.code, 'payload-too-large');
      assert.equal(res.json.errors[0].field, 'body');
      const after = (await ta.request('GET', '/v1/publishers', { token: ta.adminToken })).json;
      assert.deepEqual(after, before);
    });
    it(`${framing}: within the limit → created`, async () => {
      const res = await post(ta.url!, ta.adminToken, small(`within ${framing}`), framing);
      assert.equal(res.status, 201, JSON.stringify(res.json));
      assert.equal(res.json.name, `within ${framing}`);
    });
  }

  it('a body read off the socket decodes as UTF-8 (multi-byte characters split across chunks) and drops a leading BOM', async () => {
    // post() with 'chunked' splits after 10 bytes: inside the first multi-byte character.
    const name = 'Zürich Ωmega 東京 ✓';
    for (const framing of ['length', 'chunked'] as const) {
      const res = await post(ta.url!, ta.adminToken, small(`${name} ${framing}`), framing);
      assert.equal(res.status, 201, JSON.stringify(res.json));
      assert.equal(res.json.name, `${name} ${framing}`);
    }
    const bom = await post(ta.url!, ta.adminToken, `\uFEFF${small('after a BOM')}`, 'length');
    assert.equal(bom.status, 201, JSON.stringify(bom.json));
    assert.equal(bom.json.name, 'after a BOM');
  });

  it('a body cut short of its Content-Length creates nothing, and the service goes on', async () => {
    const before = (await ta.request('GET', '/v1/publishers', { token: ta.adminToken })).json;
    await new Promise<void>((resolve) => {
      const body = small('cut short');
      const req = http.request(`${ta.url!}/v1/publishers`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${ta.adminToken}`,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body) + 50),
        },
      });
      req.on('error', () => resolve());
      req.on('response', () => resolve());
      req.write(body, () => setTimeout(() => req.destroy(), 50));
    });
    const res = await post(ta.url!, ta.adminToken, small('after the cut'), 'length');
    assert.equal(res.status, 201, JSON.stringify(res.json));
    const after = (await ta.request('GET', '/v1/publishers', { token: ta.adminToken })).json;
    assert.equal(after.items.filter((p: { name: string }) => p.name === 'cut short').length, 0);
    assert.equal(after.items.length, before.items.length + 1);
  });

  it('a control character in a socket body is still refused by the input guard', async () => {
    const res = await post(ta.url!, ta.adminToken, small('nul\u0000byte'), 'length');
    assert.equal(res.status, 400, JSON.stringify(res.json));
    assert.equal(res.json.errors[0].field, 'body.name');
  });
});
