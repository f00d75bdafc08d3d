// Issue 5, acceptance 6: the MCP Registry read API (v0.1) pages through 250 servers with cursors
// without loss or duplicates; updated_since, search and version=latest filter; entries have the
// official server.json + _meta shape with our trust data under "dev.mcps-ta/trust".
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fixedClock } from '../../src/clock.js';
import { assertProblem } from '../support/problem.js';
import { manifestsPath, READ_FILE_TOOL, verifiedNamespace } from '../support/registry.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';

const T0 = new Date('2026-04-01T00:00:00.000Z');
const T1 = new Date('2026-04-02T00:00:00.000Z');
const T2 = new Date('2026-04-03T00:00:00.000Z');
const name = (i: number) => `com.example/srv-${String(i).padStart(3, '0')}`;
const enc = (n: string) => encodeURIComponent(n);

describe('MCP Registry API v0.1', () => {
  const clock = fixedClock(T0);
  let ta: TestService;
  let token: string;

  const publish = async (server: string, version: string) => {
    const r = await ta.request('POST', manifestsPath(server), {
      token,
      body: { version, tools: [READ_FILE_TOOL] },
    });
    if (r.status !== 201) throw new Error(`${server}@${version}: ${r.status} ${r.text}`);
  };

  /** Follows nextCursor to the end; returns every entry and each page's metadata. */
  async function allPages(query: string, limit: number) {
    const entries: any[] = [];
    const pages: any[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 100; i += 1) {
      const url = `/v0.1/servers?limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await ta.request('GET', url);
      assert.equal(res.status, 200, res.text);
      entries.push(...res.json.servers);
      pages.push(res.json.metadata);
      assert.equal(res.json.metadata.count, res.json.servers.length);
      cursor = res.json.metadata.nextCursor;
      if (!cursor) return { entries, pages };
    }
    assert.fail('pagination did not end');
  }

  before(async () => {
    ta = await startTestService({ clock });
    ({ token } = await createPublisherWithToken(ta, 'Registry Co'));
    await verifiedNamespace(ta, token, 'com.example');
    // Registered in a shuffled order, so the listing order comes from the API, not from insertion.
    const order = Array.from({ length: 250 }, (_, i) => (i * 97) % 250);
    for (const i of order) {
      const r = await ta.request('POST', '/v1/servers', {
        token,
        body: {
          name: name(i),
          origin: `https://srv${i}.example.com`,
          description: `Server number ${i}`,
        },
      });
      if (r.status !== 201) throw new Error(r.text);
      await publish(name(i), '1.0.0');
    }
    clock.set(T1);
    await publish(name(10), '1.1.0');
    await publish(name(20), '1.1.0');
  });
  after(async () => ta.stop());

  it('pages through 250 servers (version=latest) with cursors, without loss or duplicates', async () => {
    const { entries, pages } = await allPages('&version=latest', 30);
    const names = entries.map((e) => e.server.name);
    assert.equal(names.length, 250);
    assert.equal(new Set(names).size, 250);
    assert.deepEqual(
      names,
      Array.from({ length: 250 }, (_, i) => name(i)),
    );
    assert.equal(pages.length, 9);
    assert.ok(entries.every((e) => e._meta['io.modelcontextprotocol.registry/official'].isLatest));
    assert.equal(entries.find((e) => e.server.name === name(10)).server.version, '1.1.0');
  });

  it('lists every version without a version filter: 252 entries, none twice', async () => {
    const { entries } = await allPages('', 100);
    const keys = entries.map((e) => `${e.server.name}@${e.server.version}`);
    assert.equal(keys.length, 252);
    assert.equal(new Set(keys).size, 252);
  });

  it('serves entries in the official server.json + _meta shape, with our digest, signature and state', async () => {
    const res = await ta.request('GET', `/v0.1/servers/${enc(name(10))}/versions/latest`);
    assert.equal(res.status, 200, res.text);
    const { server, _meta } = res.json;
    assert.deepEqual(server, {
      $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
      name: name(10),
      description: 'Server number 10',
      version: '1.1.0',
    });
    const official = _meta['io.modelcontextprotocol.registry/official'];
    assert.deepEqual(official, {
      status: 'active',
      statusChangedAt: T1.toISOString(),
      publishedAt: T1.toISOString(),
      updatedAt: T1.toISOString(),
      isLatest: true,
    });
    const trust = _meta['dev.mcps-ta/trust'];
    const manifest = await ta.request('GET', `${manifestsPath(name(10))}/1.1.0`);
    assert.equal(trust.digest, manifest.json.digest);
    assert.deepEqual(trust.signatures, manifest.json.envelope.signatures);
    assert.equal(trust.state, 'published');
    assert.equal(trust.origin, 'https://srv10.example.com');
    assert.equal(trust.origin_proven, true);
    assert.equal(trust.manifest_url, `${ta.config.publicUrl}/v1/manifests/${trust.digest}`);
    assert.equal(trust.previous.version, '1.0.0');
  });

  it('lists the versions of one server, newest publication first', async () => {
    const res = await ta.request('GET', `/v0.1/servers/${enc(name(20))}/versions`);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(
      res.json.servers.map((e: any) => e.server.version),
      ['1.1.0', '1.0.0'],
    );
    assert.deepEqual(
      res.json.servers.map(
        (e: any) => e._meta['io.modelcontextprotocol.registry/official'].isLatest,
      ),
      [true, false],
    );
    assert.equal(res.json.metadata.count, 2);
    assertProblem(
      await ta.request('GET', `/v0.1/servers/${enc('com.example/none')}/versions`),
      404,
    );
    // Issue 17: a name that cannot match is 404, as the official registry answers.
    assertProblem(await ta.request('GET', `/v0.1/servers/${enc('no-slash')}/versions`), 404);
  });

  it('filters by updated_since: only entries changed after the instant', async () => {
    const since = new Date(T1.getTime() - 1).toISOString();
    const { entries } = await allPages(`&updated_since=${encodeURIComponent(since)}`, 50);
    // the two new versions, and the two old ones that stopped being latest
    assert.deepEqual(entries.map((e) => `${e.server.name}@${e.server.version}`).sort(), [
      `${name(10)}@1.0.0`,
      `${name(10)}@1.1.0`,
      `${name(20)}@1.0.0`,
      `${name(20)}@1.1.0`,
    ]);
    const latestOnly = await allPages(
      `&version=latest&updated_since=${encodeURIComponent(since)}`,
      50,
    );
    assert.deepEqual(
      latestOnly.entries.map((e) => e.server.name),
      [name(10), name(20)],
    );
    assert.equal(
      (await allPages(`&updated_since=${encodeURIComponent(T1.toISOString())}`, 50)).entries.length,
      0,
    );
  });

  it('filters by search: a case-insensitive substring of the name', async () => {
    const { entries } = await allPages('&version=latest&search=SRV-01', 7);
    assert.deepEqual(
      entries.map((e) => e.server.name),
      Array.from({ length: 10 }, (_, i) => name(10 + i)),
    );
    assert.equal(
      (await allPages('&search=%25', 50)).entries.length,
      0,
      'LIKE wildcards match literally',
    );
  });

  it('a yanked version is "deleted": hidden by default, shown when asked and to updated_since readers', async () => {
    clock.set(T2);
    const y = await ta.request('POST', `${manifestsPath(name(30))}/1.0.0/yank`, {
      token,
      body: { reason: 'compromised build' },
    });
    assert.equal(y.status, 200, y.text);
    assertProblem(await ta.request('GET', `/v0.1/servers/${enc(name(30))}/versions/1.0.0`), 404);
    const shown = await ta.request(
      'GET',
      `/v0.1/servers/${enc(name(30))}/versions/1.0.0?include_deleted=true`,
    );
    assert.equal(shown.status, 200);
    assert.equal(shown.json._meta['io.modelcontextprotocol.registry/official'].status, 'deleted');
    assert.equal(
      shown.json._meta['io.modelcontextprotocol.registry/official'].statusMessage,
      'compromised build',
    );
    assert.equal(shown.json._meta['dev.mcps-ta/trust'].state, 'yanked');
    assert.equal((await allPages('', 100)).entries.length, 251);
    const sync = await allPages(
      `&updated_since=${encodeURIComponent(new Date(T2.getTime() - 1).toISOString())}`,
      50,
    );
    assert.deepEqual(
      sync.entries.map((e) => e._meta['dev.mcps-ta/trust'].state),
      ['yanked'],
    );
  });

  it('answers lookups that cannot match as the official registry does, and refuses bad dates and limits', async () => {
    // Issue 17: a foreign cursor continues after that name; a version that is no version matches nothing.
    const foreign = await ta.request(
      'GET',
      `/v0.1/servers?version=latest&limit=5&cursor=${enc(`${name(247)}:1.0.0`)}`,
    );
    assert.equal(foreign.status, 200, foreign.text);
    assert.deepEqual(
      foreign.json.servers.map((e: any) => e.server.name),
      [name(248), name(249)],
    );
    const noVersion = await ta.request('GET', '/v0.1/servers?version=1.x');
    assert.equal(noVersion.status, 200);
    assert.deepEqual(noVersion.json, { servers: [], metadata: { count: 0 } });
    assert.equal(
      (await ta.request('GET', `/v0.1/servers/${enc(name(10))}/versions/1.0.0+build.1`)).status,
      404,
    );
    assert.equal(
      (
        await ta.request(
          'GET',
          `/v0.1/servers/${enc(name(10)).replace('%2F', '%252F')}/versions/latest`,
        )
      ).status,
      404,
    );
    const emptySearch = await ta.request('GET', '/v0.1/servers?search=&limit=3');
    assert.equal(emptySearch.status, 200);
    assert.equal(emptySearch.json.servers.length, 3);
    assertProblem(
      await ta.request('GET', '/v0.1/servers?updated_since=yesterday'),
      400,
      'query.updated_since',
    );
    // limit out of range: 422 in the official (huma) error shape, on /v0.1 and /v0.
    for (const [limit, message] of [
      ['1000', 'expected number <= 100'],
      ['0', 'expected number >= 1'],
      ['x', 'expected integer'],
    ] as const) {
      for (const prefix of ['/v0.1', '/v0']) {
        const r = await ta.request('GET', `${prefix}/servers?limit=${limit}`);
        assert.equal(r.status, 422, r.text);
        assert.match(r.headers.get('content-type') ?? '', /application\/problem\+json/);
        assert.equal(r.json.title, 'Unprocessable Entity');
        assert.equal(r.json.status, 422);
        assert.equal(r.json.errors[0].location, 'query.limit');
        assert.equal(r.json.errors[0].message, message);
      }
    }
  });

  it('is announced in the discovery document', async () => {
    const d = await ta.request('GET', '/.well-known/mcps-trust-authority');
    assert.equal(d.json.registry_uri, `${ta.config.publicUrl}/v0.1/servers`);
    assert.equal(d.json.manifest_uri, `${ta.config.publicUrl}/v1/manifests/{digest}`);
  });
});
