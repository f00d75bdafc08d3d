// Issue 5, acceptance 3 (namespaces): a namespace is verified by an HTTP challenge that serves the
// right token in time without redirects, or by an admin; publisher B cannot claim or use A's.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { fixedClock } from '../../src/clock.js';
import { CHALLENGE_TTL_MS } from '../../src/registry/namespace.js';
import {
  isOriginVerified,
  isServerOriginVerified,
} from '../../src/registry/origin-verification.js';
import { assertProblem } from '../support/problem.js';
import { startChallengeSite, type ChallengeSite } from '../support/registry.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';

describe('namespaces', () => {
  const clock = fixedClock(new Date('2026-03-01T10:00:00.000Z'));
  let ta: TestService;
  let site: ChallengeSite;
  let a: { publisherId: string; token: string };
  let b: { publisherId: string; token: string };

  before(async () => {
    ta = await startTestService({ clock, env: { TA_ALLOW_PRIVATE_CHALLENGES: '1' } });
    site = await startChallengeSite();
    a = await createPublisherWithToken(ta, 'Publisher A');
    b = await createPublisherWithToken(ta, 'Publisher B');
  });
  after(async () => {
    await site.close();
    await ta.stop();
  });
  beforeEach(() => site.handle((_req, res) => res.writeHead(404).end()));

  const claim = (token: string, namespace: string, url = site.url) =>
    ta.request('POST', '/v1/namespaces', { token, body: { namespace, url } });
  const serveToken = (token: string) =>
    site.handle((req, res) => {
      if (req.url === `/.well-known/mcps-challenge/${token}`)
        res.writeHead(200, { 'content-type': 'text/plain' }).end(`${token}\n`);
      else res.writeHead(404).end();
    });

  it('a publisher claims a namespace and verifies it by serving the token over HTTP', async () => {
    const c = await claim(a.token, 'com.example');
    assert.equal(c.status, 201, c.text);
    assert.equal(c.json.status, 'pending');
    assert.equal(c.json.domain, 'example.com');
    assert.equal(
      c.json.challenge_url,
      `${site.url}/.well-known/mcps-challenge/${c.json.challenge_token}`,
    );
    serveToken(c.json.challenge_token);
    const v = await ta.request('POST', '/v1/namespaces/com.example/verify', { token: a.token });
    assert.equal(v.status, 200, v.text);
    assert.equal(v.json.status, 'verified');
    assert.equal(v.json.verification_method, 'http-challenge');
    assert.ok(site.requests.includes(`/.well-known/mcps-challenge/${c.json.challenge_token}`));

    const audit = await ta.request('GET', '/v1/audit?limit=1000', { token: ta.adminToken });
    const actions = audit.json.items
      .filter((e: { subject: string }) => e.subject === 'namespace:com.example')
      .map((e: { action: string }) => e.action);
    assert.deepEqual(actions, ['namespace.claimed', 'namespace.verified']);
  });

  it('a challenge that serves the wrong token fails and the claim stays pending', async () => {
    const c = await claim(a.token, 'org.wrongtoken');
    site.handle((_req, res) => res.writeHead(200).end('not-the-token'));
    const v = await ta.request('POST', '/v1/namespaces/org.wrongtoken/verify', { token: a.token });
    assertProblem(v, 400, 'challenge_url');
    assert.match(v.json.detail, /did not serve the challenge token/);
    const g = await ta.request('GET', '/v1/namespaces/org.wrongtoken', { token: a.token });
    assert.equal(g.json.status, 'pending');
    assert.equal(g.json.challenge_token, c.json.challenge_token);
  });

  it('a challenge answered through a redirect fails, even when the target serves the token', async () => {
    const c = await claim(a.token, 'org.redirect');
    const token = c.json.challenge_token as string;
    site.handle((req, res) => {
      if (req.url === '/elsewhere') res.writeHead(200).end(token);
      else res.writeHead(302, { location: `${site.url}/elsewhere` }).end();
    });
    const v = await ta.request('POST', '/v1/namespaces/org.redirect/verify', { token: a.token });
    assertProblem(v, 400, 'challenge_url');
    assert.match(v.json.detail, /redirects are not followed/);
    assert.ok(!site.requests.includes('/elsewhere'));
  });

  it('a challenge verified after it expired fails', async () => {
    const c = await claim(a.token, 'org.late');
    serveToken(c.json.challenge_token);
    clock.advance(CHALLENGE_TTL_MS + 1000);
    const v = await ta.request('POST', '/v1/namespaces/org.late/verify', { token: a.token });
    assertProblem(v, 400, 'challenge_token');
    assert.match(v.json.detail, /expired/);
    assert.equal(
      (await ta.request('GET', '/v1/namespaces/org.late', { token: a.token })).json.status,
      'pending',
    );
  });

  it('a challenge body larger than the limit fails', async () => {
    const c = await claim(a.token, 'org.bigbody');
    site.handle((_req, res) =>
      res.writeHead(200).end(`${c.json.challenge_token}${' '.repeat(4096)}`),
    );
    const v = await ta.request('POST', '/v1/namespaces/org.bigbody/verify', { token: a.token });
    assertProblem(v, 400, 'challenge_url');
    assert.match(v.json.detail, /larger than/);
  });

  it("publisher B cannot claim A's verified namespace, a sub-namespace of it, or verify or read A's claim", async () => {
    assertProblem(await claim(b.token, 'com.example'), 403);
    assertProblem(await claim(b.token, 'com.example.api'), 403);
    const pending = await claim(a.token, 'net.pending-a');
    assert.equal(pending.status, 201);
    assertProblem(
      await ta.request('POST', '/v1/namespaces/net.pending-a/verify', { token: b.token }),
      403,
    );
    assertProblem(await ta.request('GET', '/v1/namespaces/net.pending-a', { token: b.token }), 403);
    const listB = await ta.request('GET', '/v1/namespaces', { token: b.token });
    assert.ok(
      !listB.json.items.some((n: { namespace: string }) => n.namespace === 'net.pending-a'),
    );
    // A pending claim blocks nobody: B's claim is a rival with its own token, and A's is untouched.
    const rival = await claim(b.token, 'net.pending-a');
    assert.equal(rival.status, 201, rival.text);
    assert.equal(rival.json.publisher_id, b.publisherId);
    assert.notEqual(rival.json.challenge_token, pending.json.challenge_token);
    const ofA = await ta.request('GET', '/v1/namespaces/net.pending-a', { token: a.token });
    assert.equal(ofA.json.publisher_id, a.publisherId);
    assert.equal(ofA.json.challenge_token, pending.json.challenge_token);
    assert.equal(
      (await ta.request('GET', '/v1/namespaces/net.pending-a', { token: b.token })).json
        .challenge_token,
      rival.json.challenge_token,
    );
  });

  it('a pending claim that lapsed may be claimed by another publisher', async () => {
    assert.equal((await claim(a.token, 'net.lapsed')).status, 201);
    clock.advance(CHALLENGE_TTL_MS + 1000);
    const c = await claim(b.token, 'net.lapsed');
    assert.equal(c.status, 201, c.text);
    assert.equal(c.json.publisher_id, b.publisherId);
  });

  it('an admin approves or rejects a claim; a publisher token may not', async () => {
    await claim(b.token, 'io.approved');
    assertProblem(
      await ta.request('POST', '/v1/namespaces/io.approved/approve', { token: b.token }),
      403,
    );
    const ok = await ta.request('POST', '/v1/namespaces/io.approved/approve', {
      token: ta.adminToken,
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.json.verification_method, 'admin');
    await claim(b.token, 'io.rejected');
    const no = await ta.request('POST', '/v1/namespaces/io.rejected/reject', {
      token: ta.adminToken,
      body: { reason: 'not your domain' },
    });
    assert.equal(no.status, 200);
    assert.equal(no.json.status, 'rejected');
    assert.equal(no.json.reason, 'not your domain');
    assertProblem(
      await ta.request('POST', '/v1/namespaces/io.rejected/verify', { token: b.token }),
      409,
    );
    const pending = await ta.request('GET', '/v1/namespaces?status=rejected', {
      token: ta.adminToken,
    });
    assert.deepEqual(
      pending.json.items.map((n: { namespace: string }) => n.namespace),
      ['io.rejected'],
    );
  });

  it('claims with a bad name or a challenge URL off the namespace domain are refused, naming the field', async () => {
    assertProblem(await claim(a.token, 'Example'), 400, 'body.namespace');
    assertProblem(await claim(a.token, 'com'), 400, 'body.namespace');
    assertProblem(
      await claim(a.token, 'org.offdomain', 'https://evil.example.net'),
      400,
      'body.url',
    );
    assertProblem(
      await claim(a.token, 'org.offdomain', 'https://offdomain.org.evil.net'),
      400,
      'body.url',
    );
    assertProblem(
      await claim(a.token, 'org.offdomain', 'https://offdomain.org/?x=1'),
      400,
      'body.url',
    );
    assert.equal(
      (await claim(a.token, 'org.offdomain', 'https://www.offdomain.org/base')).status,
      201,
    );
    assertProblem(
      await ta.request('POST', '/v1/namespaces', {
        token: ta.adminToken,
        body: { namespace: 'org.admin', url: 'https://admin.org' },
      }),
      400,
      'body.publisher_id',
    );
  });

  it('an origin is verified only within a namespace its own publisher verified', async () => {
    const stores = ta.persistence.stores;
    assert.equal(
      await isOriginVerified(stores.namespaces, {
        origin: 'https://mcp.example.com',
        publisherId: a.publisherId,
      }),
      true,
    );
    assert.equal(
      await isOriginVerified(stores.namespaces, {
        origin: 'https://example.com',
        publisherId: a.publisherId,
      }),
      true,
    );
    assert.equal(
      await isOriginVerified(stores.namespaces, {
        origin: 'https://mcp.example.com',
        publisherId: b.publisherId,
      }),
      false,
    );
    assert.equal(
      await isOriginVerified(stores.namespaces, {
        origin: 'http://mcp.example.com',
        publisherId: a.publisherId,
      }),
      false,
    );
    assert.equal(
      await isOriginVerified(stores.namespaces, {
        origin: 'https://example.com.evil.net',
        publisherId: a.publisherId,
      }),
      false,
    );
    assert.equal(
      await isOriginVerified(stores.namespaces, {
        origin: 'https://pending-a.net',
        publisherId: a.publisherId,
      }),
      false,
    );

    const r = await ta.request('POST', '/v1/servers', {
      token: a.token,
      body: {
        name: 'com.example/weather',
        origin: 'https://weather.example.com',
        description: 'Weather',
      },
    });
    assert.equal(r.status, 201, r.text);
    assert.equal(await isServerOriginVerified(stores, 'com.example/weather'), true);
    assert.equal(
      (await ta.request('GET', '/v1/servers/com.example/weather')).json.origin_verified,
      true,
    );
    // An origin off every namespace of the publisher is refused, so the proven one stays.
    assertProblem(
      await ta.request('PATCH', '/v1/servers/com.example/weather', {
        token: a.token,
        body: { origin: 'https://weather.example.org' },
      }),
      400,
      'body.origin',
    );
    assert.equal(await isServerOriginVerified(stores, 'com.example/weather'), true);
    // Losing the namespace loses the proof.
    assert.equal(
      (
        await ta.request('POST', '/v1/namespaces/com.example/revoke', {
          token: ta.adminToken,
          body: { reason: 'test' },
        })
      ).status,
      200,
    );
    assert.equal(await isServerOriginVerified(stores, 'com.example/weather'), false);
    assert.equal(
      (await ta.request('GET', '/v1/servers/com.example/weather')).json.origin_verified,
      false,
    );
  });
});
