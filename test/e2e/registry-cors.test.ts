// Issue 17, acceptance 2, in a real browser: a page served from another origin fetches
// /v0.1/servers (a simple GET, and a GET that needs a preflight), the preflight gets 204, and a
// cross-origin write is refused — with a token (preflight refused: never sent) and without one
// (sent as a "simple" request, but its answer stays unreadable to the page).
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import {
  manifestsPath,
  READ_FILE_TOOL,
  registeredServer,
  verifiedNamespace,
} from '../support/registry.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';

const SERVER = 'com.example/cors';

describe('registry read API from another origin (Chromium)', () => {
  let ta: TestService;
  let browser: Browser;
  let page: Page;
  let site: Server;
  let siteUrl = '';
  let token = '';
  /** Requests the TA logged (its access log: method, path, status), e.g. the browser's preflights. */
  const logged = (method: string, path: string) =>
    ta
      .logs()
      .split('\n')
      .filter((l) => l.includes('"msg":"request"'))
      .map((l) => JSON.parse(l) as { method: string; path: string; status: number })
      .filter((l) => l.method === method && l.path === path);

  before(async () => {
    ta = await startTestService({ listen: true });
    ({ token } = await createPublisherWithToken(ta, 'Cors Co'));
    await verifiedNamespace(ta, token, 'com.example');
    await registeredServer(ta, token, SERVER);
    const r = await ta.request('POST', manifestsPath(SERVER), {
      token,
      body: { version: '1.0.0', tools: [READ_FILE_TOOL] },
    });
    assert.equal(r.status, 201, r.text);
    // The other origin: same host, another port.
    site = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end('<!doctype html><title>client</title><p>MCP client page</p>');
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(`${siteUrl}/`);
  });
  after(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (site ? site.close(() => resolve()) : resolve()));
    await ta?.stop();
  });

  it('the page is on another origin than the TA', () => {
    assert.notEqual(new URL(siteUrl).origin, new URL(ta.url).origin);
  });

  it('fetches /v0.1/servers with a simple GET', async () => {
    const got = await page.evaluate(async (url) => {
      const r = await fetch(url);
      return { status: r.status, body: await r.json() };
    }, `${ta.url}/v0.1/servers`);
    assert.equal(got.status, 200);
    assert.deepEqual(
      got.body.servers.map((e: any) => e.server.name),
      [SERVER],
    );
  });

  it('a GET that needs a preflight: the preflight the browser sends gets 204 and the GET succeeds', async () => {
    assert.equal(logged('OPTIONS', '/v0.1/servers').length, 0);
    const got = await page.evaluate(async (url) => {
      const r = await fetch(url, { headers: { 'Content-Type': 'application/json' } });
      return { status: r.status, count: (await r.json()).metadata.count };
    }, `${ta.url}/v0.1/servers?version=latest`);
    assert.deepEqual(got, { status: 200, count: 1 });
    assert.deepEqual(
      logged('OPTIONS', '/v0.1/servers').map((l) => l.status),
      [204],
      'the browser sent one preflight, answered 204',
    );
  });

  it('refuses a cross-origin write: with a token the preflight fails and nothing is published', async () => {
    const outcome = await page.evaluate(
      async ({ url, token, name }) => {
        try {
          const r = await fetch(url, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
            body: JSON.stringify({ name, description: 'from a page', version: '9.9.9' }),
          });
          return `answered ${r.status}`;
        } catch (e) {
          return `refused: ${(e as Error).name}`;
        }
      },
      { url: `${ta.url}/v0.1/publish`, token, name: SERVER },
    );
    assert.equal(outcome, 'refused: TypeError');
    assert.deepEqual(
      logged('OPTIONS', '/v0.1/publish').map((l) => l.status),
      [403],
      'the preflight was refused',
    );
    assert.equal(logged('POST', '/v0.1/publish').length, 0, 'the write itself was never sent');
    assert.equal(
      (await ta.request('GET', `/v0.1/servers/${encodeURIComponent(SERVER)}/versions/9.9.9`))
        .status,
      404,
      'nothing was published',
    );
    const direct = await ta.request('OPTIONS', '/v0.1/publish', {
      headers: { origin: siteUrl, 'access-control-request-method': 'POST' },
    });
    assert.equal(direct.status, 403);
    assert.equal(direct.headers.get('access-control-allow-origin'), null);
  });

  it('a "simple" cross-origin POST (no preflight) gets no CORS grant: the page cannot read the answer', async () => {
    const outcome = await page.evaluate(async (url) => {
      try {
        const r = await fetch(url, {
          method: 'POST',
          headers: { 'Content-Type': 'text/plain' },
          body: '{}',
        });
        return `answered ${r.status}`;
      } catch (e) {
        return `refused: ${(e as Error).name}`;
      }
    }, `${ta.url}/v0.1/publish`);
    assert.equal(outcome, 'refused: TypeError');
  });
});
