// Issue 11, acceptance 5 (namespace squatting): an unproven claim lapses after CHALLENGE_TTL_MS and
// its publisher cannot extend it by re-claiming; while it is pending it blocks nobody — another
// publisher claims under its own token and, on passing its challenge, takes the namespace over at
// once (audited, naming the squatter). A verified namespace still blocks everyone else.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { fixedClock } from '../../src/clock.js';
import { CHALLENGE_TTL_MS } from '../../src/registry/namespace.js';
import { assertProblem } from '../support/problem.js';
import { startChallengeSite, type ChallengeSite } from '../support/registry.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';

const HOUR = 60 * 60 * 1000;

describe('namespace squatting', () => {
  const clock = fixedClock(new Date('2026-04-01T08:00:00.000Z'));
  let ta: TestService;
  let site: ChallengeSite;
  let squatter: { publisherId: string; token: string };
  let owner: { publisherId: string; token: string };
  let third: { publisherId: string; token: string };

  before(async () => {
    ta = await startTestService({ clock, env: { TA_ALLOW_PRIVATE_CHALLENGES: '1' } });
    site = await startChallengeSite();
    squatter = await createPublisherWithToken(ta, 'Squatter');
    owner = await createPublisherWithToken(ta, 'Real Owner');
    third = await createPublisherWithToken(ta, 'Third Party');
  });
  after(async () => {
    await site.close();
    await ta.stop();
  });
  beforeEach(() => site.handle((_req, res) => res.writeHead(404).end()));

  const claim = (token: string, namespace: string, url = site.url) =>
    ta.request('POST', '/v1/namespaces', { token, body: { namespace, url } });
  const verify = (token: string, namespace: string) =>
    ta.request('POST', `/v1/namespaces/${namespace}/verify`, { token });
  const get = (token: string, namespace: string) =>
    ta.request('GET', `/v1/namespaces/${namespace}`, { token });
  /** Serves every token in `tokens` at its challenge path. */
  const serve = (...tokens: string[]) =>
    site.handle((req, res) => {
      const token = tokens.find((t) => req.url === `/.well-known/mcps-challenge/${t}`);
      if (token) res.writeHead(200, { 'content-type': 'text/plain' }).end(token);
      else res.writeHead(404).end();
    });
  const events = async (namespace: string) => {
    const audit = await ta.request('GET', '/v1/audit?limit=1000', { token: ta.adminToken });
    return (
      audit.json.items as Array<{ action: string; subject: string; data: Record<string, any> }>
    ).filter((e) => e.subject === `namespace:${namespace}`);
  };

  it('re-claiming does not extend an unproven claim; a fresh challenge comes only after it lapsed', async () => {
    const first = await claim(squatter.token, 'com.victim');
    assert.equal(first.status, 201, first.text);
    const expiry = first.json.challenge_expires_at as string;
    assert.equal(expiry, new Date(clock.now().getTime() + CHALLENGE_TTL_MS).toISOString());

    clock.advance(47 * HOUR);
    const again = await claim(squatter.token, 'com.victim');
    assert.equal(again.status, 200, again.text);
    assert.equal(again.json.challenge_expires_at, expiry, 're-claim must not extend the expiry');
    assert.equal(again.json.challenge_token, first.json.challenge_token);
    // A new URL is taken, but the token and the expiry stay.
    const moved = await claim(squatter.token, 'com.victim', `${site.url}/elsewhere`);
    assert.equal(moved.status, 200, moved.text);
    assert.equal(moved.json.challenge_expires_at, expiry);
    assert.equal(
      moved.json.challenge_url,
      `${site.url}/elsewhere/.well-known/mcps-challenge/${first.json.challenge_token}`,
    );
    assert.deepEqual(
      (await events('com.victim')).map((e) => [e.action, e.data.challenge_expires_at]),
      [
        ['namespace.claimed', expiry],
        ['namespace.claimed', expiry],
      ],
    );

    clock.advance(HOUR + 1000);
    serve(first.json.challenge_token);
    assertProblem(await verify(squatter.token, 'com.victim'), 400, 'challenge_token');
    assert.equal((await get(squatter.token, 'com.victim')).json.status, 'pending');
    const fresh = await claim(squatter.token, 'com.victim');
    assert.equal(fresh.status, 201, fresh.text);
    assert.notEqual(fresh.json.challenge_token, first.json.challenge_token);
    assert.equal(
      fresh.json.challenge_expires_at,
      new Date(clock.now().getTime() + CHALLENGE_TTL_MS).toISOString(),
    );
  });

  it("another publisher's passed challenge takes over an unproven claim at once, audited naming the squatter", async () => {
    const held = await claim(squatter.token, 'org.victim');
    assert.equal(held.status, 201);
    clock.advance(HOUR);
    const mine = await claim(owner.token, 'org.victim');
    assert.equal(mine.status, 201, mine.text);
    assert.equal(mine.json.publisher_id, owner.publisherId);
    assert.notEqual(mine.json.challenge_token, held.json.challenge_token);
    const bystander = await claim(third.token, 'org.victim');
    assert.equal(bystander.status, 201, bystander.text);

    // The squatter re-claiming neither extends its claim nor touches the owner's token.
    const reclaim = await claim(squatter.token, 'org.victim');
    assert.equal(reclaim.status, 200);
    assert.equal(reclaim.json.challenge_expires_at, held.json.challenge_expires_at);
    assert.equal(
      (await get(owner.token, 'org.victim')).json.challenge_token,
      mine.json.challenge_token,
    );
    // Nor can the squatter pass with the owner's token: its own claim is what it verifies.
    serve(mine.json.challenge_token);
    assertProblem(await verify(squatter.token, 'org.victim'), 400, 'challenge_url');

    const v = await verify(owner.token, 'org.victim');
    assert.equal(v.status, 200, v.text);
    assert.equal(v.json.status, 'verified');
    assert.equal(v.json.publisher_id, owner.publisherId);
    assert.equal(v.json.challenge_token, mine.json.challenge_token);
    assert.ok(
      new Date(held.json.challenge_expires_at) > clock.now(),
      "the squatter's claim had not lapsed",
    );

    const took = (await events('org.victim')).find((e) => e.action === 'namespace.verified');
    assert.equal(took?.data.publisher_id, owner.publisherId);
    assert.equal(took?.data.took_over_from.publisher_id, squatter.publisherId);
    assert.equal(took?.data.took_over_from.status, 'pending');

    // Verified now: it blocks the squatter and the bystander (whose rival claim is void) with 403.
    assertProblem(await get(squatter.token, 'org.victim'), 403);
    assertProblem(await verify(squatter.token, 'org.victim'), 403);
    assertProblem(await claim(squatter.token, 'org.victim'), 403);
    assertProblem(await get(third.token, 'org.victim'), 403);
    assertProblem(await claim(third.token, 'org.victim'), 403);
    const listed = await ta.request('GET', '/v1/namespaces', { token: third.token });
    assert.ok(!listed.json.items.some((n: { namespace: string }) => n.namespace === 'org.victim'));
    // And the owner uses it at once.
    const server = await ta.request('POST', '/v1/servers', {
      token: owner.token,
      body: {
        name: 'org.victim/tool',
        origin: 'https://tool.victim.org',
        description: 'The real one',
      },
    });
    assert.equal(server.status, 201, server.text);
    assertProblem(
      await ta.request('POST', '/v1/servers', {
        token: squatter.token,
        body: { name: 'org.victim/fake', origin: 'https://fake.victim.org', description: 'x' },
      }),
      403,
    );
  });

  it("an admin may approve a rival claim instead of the squatter's; it takes the namespace over, audited", async () => {
    await claim(squatter.token, 'io.victim');
    assert.equal((await claim(owner.token, 'io.victim')).status, 201);
    const approve = (body: unknown) =>
      ta.request('POST', '/v1/namespaces/io.victim/approve', { token: ta.adminToken, body });
    assertProblem(await approve({ publisher_id: third.publisherId }), 400, 'body.publisher_id');
    assertProblem(
      await ta.request('POST', '/v1/namespaces/io.victim/approve', {
        token: owner.token,
        body: { publisher_id: owner.publisherId },
      }),
      403,
    );
    const ok = await approve({ publisher_id: owner.publisherId });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.publisher_id, owner.publisherId);
    assert.equal(ok.json.verification_method, 'admin');
    const e = (await events('io.victim')).find((x) => x.action === 'namespace.approved');
    assert.deepEqual(e?.data.took_over_from, {
      publisher_id: squatter.publisherId,
      status: 'pending',
    });
    assertProblem(await claim(squatter.token, 'io.victim'), 403);
    assert.equal(
      (await approve({})).json.publisher_id,
      owner.publisherId,
      'approving again changes nothing',
    );
  });

  it('a rival claim is listed for its publisher and lapses like any claim, without extension', async () => {
    await claim(squatter.token, 'net.victim');
    const rival = await claim(owner.token, 'net.victim');
    assert.equal(rival.status, 201);
    const list = await ta.request('GET', '/v1/namespaces?status=pending', { token: owner.token });
    const row = list.json.items.find((n: { namespace: string }) => n.namespace === 'net.victim');
    assert.equal(row?.challenge_token, rival.json.challenge_token);
    clock.advance(CHALLENGE_TTL_MS - HOUR);
    assert.equal(
      (await claim(owner.token, 'net.victim')).json.challenge_expires_at,
      rival.json.challenge_expires_at,
    );
    clock.advance(HOUR + 1000);
    serve(rival.json.challenge_token);
    assertProblem(await verify(owner.token, 'net.victim'), 400, 'challenge_token');
    // Both claims lapsed: the owner's new claim takes the record, with a fresh token.
    const fresh = await claim(owner.token, 'net.victim');
    assert.equal(fresh.status, 201);
    assert.notEqual(fresh.json.challenge_token, rival.json.challenge_token);
    serve(fresh.json.challenge_token);
    const v = await verify(owner.token, 'net.victim');
    assert.equal(v.status, 200, v.text);
    const claimed = (await events('net.victim'))
      .filter((e) => e.action === 'namespace.claimed')
      .at(-1);
    assert.equal(claimed?.data.replaced_publisher_id, squatter.publisherId);
  });
});
