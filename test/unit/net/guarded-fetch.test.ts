// The namespace challenge fetch: public addresses only (every resolved address checked), https
// only, no redirects, bounded time and size — unless explicitly relaxed for local development.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GuardedFetchError, guardedFetchText } from '../../../src/net/guarded-fetch.js';
import { isLoopbackHost, isPublicAddress } from '../../../src/net/public-address.js';
import { startChallengeSite, type ChallengeSite } from '../../support/registry.js';

const strict = { timeoutMs: 2000, maxBytes: 1024, allowPrivate: false };
const relaxed = { ...strict, allowPrivate: true };

async function rejection(p: Promise<unknown>): Promise<GuardedFetchError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof GuardedFetchError, `expected GuardedFetchError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the fetch to fail');
}

describe('public addresses', () => {
  it('accepts globally routable unicast addresses', () => {
    for (const ip of ['8.8.8.8', '93.184.216.34', '2606:4700:4700::1111', '::ffff:8.8.8.8'])
      assert.equal(isPublicAddress(ip), true, ip);
  });

  it('refuses loopback, private, link-local, CGNAT, multicast, reserved and mapped forms of them', () => {
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '198.18.0.1',
      '::1',
      '::',
      'fe80::1',
      'fc00::1',
      'fd12:3456::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:10.0.0.1',
      '64:ff9b::a00:1',
      '2002:7f00:1::',
      'not-an-ip',
    ]) {
      assert.equal(isPublicAddress(ip), false, ip);
    }
  });

  it('recognises loopback hosts', () => {
    for (const h of ['localhost', '127.0.0.1', '127.5.6.7', '[::1]', 'api.localhost'])
      assert.equal(isLoopbackHost(h), true, h);
    for (const h of ['example.com', '10.0.0.1', '[fe80::1]'])
      assert.equal(isLoopbackHost(h), false, h);
  });
});

describe('guarded fetch', () => {
  let site: ChallengeSite;
  before(async () => {
    site = await startChallengeSite();
  });
  after(async () => site.close());

  it('returns a small 200 body when private addresses are allowed', async () => {
    site.handle((_req, res) => res.writeHead(200).end('token-123'));
    assert.equal(await guardedFetchText(`${site.url}/x`, relaxed), 'token-123');
    // by name: resolved by our lookup, then connected to the address it checked
    assert.equal(
      await guardedFetchText(`http://localhost:${new URL(site.url).port}/x`, relaxed),
      'token-123',
    );
  });

  it('refuses loopback addresses, by literal and by name, before connecting', async () => {
    const before = site.requests.length;
    const port = new URL(site.url).port;
    assert.equal(
      (await rejection(guardedFetchText(`https://127.0.0.1:${port}/x`, strict))).reason,
      'blocked-address',
    );
    const byName = await rejection(guardedFetchText(`https://localhost:${port}/x`, strict));
    assert.equal(byName.reason, 'blocked-address');
    // The caller learns that the name is refused, not what the TA's resolver answered.
    assert.equal(byName.message, 'localhost resolves to a non-public address');
    assert.equal(
      (await rejection(guardedFetchText(`https://[::1]:${port}/x`, strict))).reason,
      'blocked-address',
    );
    assert.equal(site.requests.length, before, 'no request reached the server');
  });

  it('refuses plain http unless relaxed', async () => {
    assert.equal((await rejection(guardedFetchText(`${site.url}/x`, strict))).reason, 'bad-url');
  });

  it('does not follow redirects', async () => {
    site.handle((req, res) =>
      req.url === '/target'
        ? res.writeHead(200).end('t')
        : res.writeHead(301, { location: '/target' }).end(),
    );
    assert.equal(
      (await rejection(guardedFetchText(`${site.url}/start`, relaxed))).reason,
      'redirect',
    );
    assert.ok(!site.requests.includes('/target'));
  });

  it('stops reading past the size limit, declared or not', async () => {
    site.handle((_req, res) =>
      res.writeHead(200, { 'content-length': '5000' }).end('x'.repeat(5000)),
    );
    assert.equal(
      (await rejection(guardedFetchText(`${site.url}/big`, relaxed))).reason,
      'too-large',
    );
    site.handle((_req, res) => {
      res.writeHead(200);
      res.write('x'.repeat(800));
      res.end('y'.repeat(800));
    });
    assert.equal(
      (await rejection(guardedFetchText(`${site.url}/chunked`, relaxed))).reason,
      'too-large',
    );
  });

  it('gives up after the timeout', async () => {
    site.handle((_req, res) => setTimeout(() => res.writeHead(200).end('late'), 1500).unref());
    const started = Date.now();
    assert.equal(
      (await rejection(guardedFetchText(`${site.url}/slow`, { ...relaxed, timeoutMs: 300 })))
        .reason,
      'timeout',
    );
    assert.ok(Date.now() - started < 1200);
  });

  it('reports non-200 answers', async () => {
    site.handle((_req, res) => res.writeHead(404).end());
    assert.equal(
      (await rejection(guardedFetchText(`${site.url}/missing`, relaxed))).reason,
      'status',
    );
  });
});
