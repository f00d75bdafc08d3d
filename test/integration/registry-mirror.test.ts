// Issue 17, acceptance 4: a 500-server export in the official /v0.1/servers shape (generated
// here) is imported as an unverified source; re-import is idempotent and reports
// added/changed/removed; imported entries are never served as verified, signed or profiled, and
// never become servers (no passport, no certificate); a verified publisher's claim turns one
// verified. The CLI imports the same file format.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { seedEmptyPgliteDataDir } from '../support/database.js';
import { assertProblem } from '../support/problem.js';
import { entryArgs, NODE_FLAGS } from '../support/process.js';
import { officialServerValidator, projectValidators } from '../support/registry-schemas.js';
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

const name = (i: number) => `io.github.mirror${String(i).padStart(3, '0')}/server-${i}`;

/** An official-shape export: {servers: [{server, _meta: {official}}], metadata}. */
function officialExport(n: number, tweak: (i: number, e: any) => any = (_i, e) => e) {
  const servers = Array.from({ length: n }, (_, i) =>
    tweak(i, {
      server: {
        $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
        name: name(i),
        description: `Mirrored server ${i}`,
        version: '1.0.0',
        ...(i % 2 === 0
          ? { remotes: [{ type: 'streamable-http', url: `https://mirror${i}.example.net/mcp` }] }
          : {
              packages: [
                {
                  registryType: 'npm',
                  identifier: `@m/s${i}`,
                  version: '1.0.0',
                  transport: { type: 'stdio' },
                },
              ],
            }),
      },
      _meta: {
        'io.modelcontextprotocol.registry/official': {
          status: 'active',
          publishedAt: '2025-10-01T00:00:00Z',
          updatedAt: '2025-10-01T00:00:00Z',
          isLatest: true,
        },
      },
    }),
  );
  return { servers, metadata: { count: servers.length } };
}

describe('mirroring an official-registry export (issue 17)', () => {
  let ta: TestService;
  let token: string;
  const SOURCE = 'https://registry.modelcontextprotocol.io/v0.1/servers';
  const importIt = (doc: unknown) =>
    ta.request('POST', '/v1/registry/mirror/imports', {
      token: ta.adminToken,
      body: { source: SOURCE, export: doc },
    });

  async function all(query = '') {
    const out: any[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 50; i += 1) {
      const r = await ta.request(
        'GET',
        `/v0.1/servers?limit=100${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      assert.equal(r.status, 200, r.text);
      out.push(...r.json.servers);
      cursor = r.json.metadata.nextCursor;
      if (!cursor) return out;
    }
    assert.fail('no end');
  }

  before(async () => {
    ta = await startTestService();
    ({ token } = await createPublisherWithToken(ta, 'Native'));
    await verifiedNamespace(ta, token, 'com.example');
    await registeredServer(ta, token, 'com.example/native');
    const r = await ta.request('POST', manifestsPath('com.example/native'), {
      token,
      body: { version: '1.0.0', tools: [READ_FILE_TOOL] },
    });
    assert.equal(r.status, 201, r.text);
  });
  after(async () => ta.stop());

  it('imports 500 servers; /v0.1 serves them merged with the native ones, in name order, none verified', async () => {
    const r = await importIt(officialExport(500));
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, {
      source: SOURCE,
      added: 500,
      changed: 0,
      removed: 0,
      unchanged: 0,
      rejected: [],
    });
    const entries = await all();
    assert.equal(entries.length, 501);
    const names = entries.map((e) => e.server.name);
    assert.deepEqual(names, [...names].sort(), 'one keyset order across both sources');
    assert.equal(new Set(names).size, 501);
    for (const e of entries.filter((x) => x.server.name !== 'com.example/native')) {
      const t = e._meta['dev.mcps-ta/trust'];
      assert.equal(t.source, 'mirror');
      assert.equal(t.verified, false);
      assert.equal(t.verified_publisher, false);
      assert.equal(t.signed_manifest, false);
      assert.equal(t.trust_level, null);
      assert.equal(t.profile, null);
      assert.deepEqual(t.signatures, []);
    }
    const native = entries.find((e) => e.server.name === 'com.example/native');
    assert.equal(native._meta['dev.mcps-ta/trust'].source, 'ta');
    const one = await ta.request(
      'GET',
      `/v0.1/servers/${encodeURIComponent(name(7))}/versions/latest`,
    );
    assert.equal(one.status, 200, one.text);
    assert.deepEqual(one.json.server, officialExport(500).servers[7].server, 'served as exported');
  });

  it('re-importing the same export changes nothing; a changed export reports added/changed/removed', async () => {
    assert.deepEqual((await importIt(officialExport(500))).json, {
      source: SOURCE,
      added: 0,
      changed: 0,
      removed: 0,
      unchanged: 500,
      rejected: [],
    });
    const next = officialExport(501, (i, e) => {
      if (i === 3) return { ...e, server: { ...e.server, description: 'Changed description' } };
      if (i === 4)
        return {
          ...e,
          _meta: {
            'io.modelcontextprotocol.registry/official': {
              ...e._meta['io.modelcontextprotocol.registry/official'],
              status: 'deleted',
              statusMessage: 'malware',
            },
          },
        };
      return e;
    }).servers.filter((_e, i) => i !== 10 && i !== 11);
    const r = await importIt({ servers: next, metadata: { count: next.length } });
    assert.deepEqual(r.json, {
      source: SOURCE,
      added: 1,
      changed: 2,
      removed: 2,
      unchanged: 496,
      rejected: [],
    });
    assert.deepEqual((await importIt({ servers: next, metadata: {} })).json, {
      source: SOURCE,
      added: 0,
      changed: 0,
      removed: 0,
      unchanged: 499,
      rejected: [],
    });
    assert.equal(
      (await ta.request('GET', `/v0.1/servers/${encodeURIComponent(name(10))}/versions`)).status,
      404,
      'removed from the source',
    );
    assert.equal(
      (await ta.request('GET', `/v0.1/servers/${encodeURIComponent(name(4))}/versions/1.0.0`))
        .status,
      404,
      'deleted upstream: hidden by default',
    );
    const deleted = await ta.request(
      'GET',
      `/v0.1/servers/${encodeURIComponent(name(4))}/versions/1.0.0?include_deleted=true`,
    );
    assert.equal(deleted.json._meta['io.modelcontextprotocol.registry/official'].status, 'deleted');
    assert.equal(
      deleted.json._meta['io.modelcontextprotocol.registry/official'].statusMessage,
      'malware',
    );
    assert.equal((await all()).length, 1 + 498);
  });

  it('a mirrored name is never a server here: no passport, no certificate, no manifest for it', async () => {
    const owner = await createPublisherWithToken(ta, 'Mirror 7 owner');
    await verifiedNamespace(ta, owner.token, 'io.github.mirror007');
    const manifest = await ta.request('POST', manifestsPath(name(7)), {
      token: owner.token,
      body: { version: '1.0.0', tools: [READ_FILE_TOOL] },
    });
    assert.equal(manifest.status, 404, 'no registered server of that name');
    const cert = await ta.request('POST', '/v1/certificates', {
      token: owner.token,
      body: { csr: 'x', profile: 'server', subject: name(7) },
    });
    assert.ok(cert.status >= 400 && cert.status < 500, cert.text);
  });

  it('a claim by the publisher holding the namespace verified turns that entry verified; others are refused', async () => {
    const stranger = await createPublisherWithToken(ta, 'Stranger');
    assertProblem(
      await ta.request('POST', `/v1/registry/mirror/${encodeURIComponent(name(8))}/claim`, {
        token: stranger.token,
        body: {},
      }),
      403,
    );
    const owner = await createPublisherWithToken(ta, 'Mirror 8 owner');
    await verifiedNamespace(ta, owner.token, 'io.github.mirror008');
    assertProblem(
      await ta.request('POST', `/v1/registry/mirror/${encodeURIComponent(name(9))}/claim`, {
        token: owner.token,
        body: {},
      }),
      403,
    );
    const claim = await ta.request(
      'POST',
      `/v1/registry/mirror/${encodeURIComponent(name(8))}/claim`,
      { token: owner.token, body: {} },
    );
    assert.equal(claim.status, 200, claim.text);
    assert.deepEqual(claim.json, { name: name(8), claimed_by: owner.publisherId, versions: 1 });
    const entries = await all();
    const verified = entries.filter(
      (e) =>
        e._meta['dev.mcps-ta/trust'].source === 'mirror' && e._meta['dev.mcps-ta/trust'].verified,
    );
    assert.deepEqual(
      verified.map((e) => e.server.name),
      [name(8)],
    );
    const t = verified[0]._meta['dev.mcps-ta/trust'];
    assert.deepEqual(
      [t.signed_manifest, t.trust_level, t.profile],
      [false, null, null],
      'claimed, still unsigned: never L3+',
    );
    // A later import without the entry removes it from /v0.1 (the claim stays on the stored row).
    await importIt(officialExport(3));
    assert.equal(
      (await ta.request('GET', `/v0.1/servers/${encodeURIComponent(name(8))}/versions/latest`))
        .status,
      404,
      'removed in that import',
    );
  });

  it('refuses each entry that breaks the server.json schema, naming it by index and name; imports the rest', async () => {
    const source = 'https://other.example/v0.1/servers';
    const breaks: Record<number, (e: any) => any> = {
      1: (e) => ({ ...e, server: { ...e.server, name: 'no-slash' } }),
      2: (e) => ({
        ...e,
        server: {
          ...e.server,
          packages: [
            {
              registryType: 'npm',
              identifier: 'x',
              version: 'latest',
              transport: { type: 'stdio' },
            },
          ],
        },
      }),
      3: (e) => ({ ...e, server: { ...e.server, unknownMember: true } }),
      4: (e) => ({ ...e, server: { ...e.server, description: 'x'.repeat(101) } }),
      5: (e) => {
        const { $schema: _drop, ...server } = e.server;
        return { ...e, server };
      },
      6: (e) => ({ ...e, server: { ...e.server, remotes: [{ type: 'stdio' }] } }),
    };
    const doc = officialExport(8, (i, e) => {
      const renamed = { ...e, server: { ...e.server, name: `io.github.other/s-${i}` } };
      return breaks[i] ? breaks[i](renamed) : renamed;
    });
    doc.servers.push(doc.servers[0]); // a repeated name@version
    const r = await ta.request('POST', '/v1/registry/mirror/imports', {
      token: ta.adminToken,
      body: { source, export: doc },
    });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(
      [r.json.added, r.json.changed, r.json.removed, r.json.unchanged],
      [2, 0, 0, 0],
    );
    const rejected = r.json.rejected.map((x: any) => [x.index, x.name, x.field]);
    assert.deepEqual(rejected, [
      [1, 'no-slash', 'body.export.servers.1.server.name'],
      [2, 'io.github.other/s-2', 'body.export.servers.2.server.packages.0.version'],
      [3, 'io.github.other/s-3', 'body.export.servers.3.server'],
      [4, 'io.github.other/s-4', 'body.export.servers.4.server.description'],
      [5, 'io.github.other/s-5', 'body.export.servers.5.server.$schema'],
      [6, 'io.github.other/s-6', 'body.export.servers.6.server.remotes.0.type'],
      [8, 'io.github.other/s-0', 'body.export.servers.8.server.version'],
    ]);
    for (const x of r.json.rejected) assert.ok(x.message.length > 0, JSON.stringify(x));
    const served = (await all())
      .filter((e) => e._meta['dev.mcps-ta/trust'].mirror_source === source)
      .map((e) => e.server.name);
    assert.deepEqual(served, ['io.github.other/s-0', 'io.github.other/s-7']);
    for (const i of [1, 2, 3])
      assert.equal(
        (
          await ta.request(
            'GET',
            `/v0.1/servers/${encodeURIComponent(`io.github.other/s-${i}`)}/versions`,
          )
        ).status,
        404,
      );

    // Fixed upstream, the entry comes in; broken again later, the copy is no longer served.
    const fixed = officialExport(3, (i, e) => ({
      ...e,
      server: { ...e.server, name: `io.github.other/s-${i}` },
    }));
    const again = await ta.request('POST', '/v1/registry/mirror/imports', {
      token: ta.adminToken,
      body: { source, export: fixed },
    });
    assert.deepEqual(
      [again.json.added, again.json.removed, again.json.unchanged, again.json.rejected],
      [2, 1, 1, []],
    );
    fixed.servers[2] = breaks[3]!(fixed.servers[2]);
    const broken = await ta.request('POST', '/v1/registry/mirror/imports', {
      token: ta.adminToken,
      body: { source, export: fixed },
    });
    assert.deepEqual(
      [broken.json.removed, broken.json.rejected.map((x: any) => x.index)],
      [1, [2]],
    );
    assert.equal(
      (
        await ta.request(
          'GET',
          `/v0.1/servers/${encodeURIComponent('io.github.other/s-2')}/versions`,
        )
      ).status,
      404,
    );
  });

  it('what /v0.1 serves for mirrored entries validates against the project schema and envelope', async () => {
    const statuses = ['active', 'deprecated', 'deleted'] as const;
    const doc = officialExport(6, (i, e) => ({
      server: {
        ...e.server,
        name: 'io.github.checked/srv',
        version: `1.${i}.0`,
        title: `Checked ${i}`,
      },
      _meta: {
        'io.modelcontextprotocol.registry/official': {
          ...e._meta['io.modelcontextprotocol.registry/official'],
          status: statuses[i % 3],
          ...(i % 3 === 0 ? {} : { statusMessage: `status ${statuses[i % 3]}` }),
          isLatest: i === 4,
        },
      },
    }));
    const r = await ta.request('POST', '/v1/registry/mirror/imports', {
      token: ta.adminToken,
      body: { source: 'validation', export: doc },
    });
    assert.deepEqual([r.json.added, r.json.rejected], [6, []]);
    const v = projectValidators();
    const official = officialServerValidator();
    if (typeof official === 'string')
      console.log(`# official server.json schema: skipped — ${official}`);
    let mirrored = 0;
    for (const prefix of ['/v0.1', '/v0']) {
      for (const query of [
        '',
        '&include_deleted=true',
        '&search=checked',
        '&version=latest',
        '&updated_since=2020-01-01T00:00:00Z',
      ]) {
        let cursor: string | undefined;
        do {
          const page = await ta.request(
            'GET',
            `${prefix}/servers?limit=7${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          );
          assert.equal(page.status, 200, page.text);
          assert.equal(v.list(page.json), undefined, `${prefix} ${query}`);
          const own = page.json.servers.filter(
            (e: any) => e._meta['dev.mcps-ta/trust'].source === 'mirror',
          );
          if (typeof official !== 'string')
            for (const e of own) assert.equal(official.check(e.server), undefined, e.server.name);
          mirrored += own.length;
          cursor = page.json.metadata.nextCursor;
        } while (cursor);
      }
      const base = `${prefix}/servers/${encodeURIComponent('io.github.checked/srv')}/versions`;
      for (const path of [base, `${base}?include_deleted=true`]) {
        const list = await ta.request('GET', path);
        assert.equal(list.status, 200, list.text);
        assert.equal(v.list(list.json), undefined, path);
      }
      for (const path of [
        `${base}/latest`,
        `${base}/1.1.0`,
        `${base}/1.2.0?include_deleted=true`,
      ]) {
        const one = await ta.request('GET', path);
        assert.equal(one.status, 200, `${path}: ${one.text}`);
        assert.equal(v.entry(one.json), undefined, path);
      }
    }
    assert.ok(mirrored > 0, 'mirrored entries were checked');
    const deleted = await ta.request(
      'GET',
      `/v0.1/servers/${encodeURIComponent('io.github.checked/srv')}/versions/1.2.0?include_deleted=true`,
    );
    assert.deepEqual(
      [
        deleted.json._meta['io.modelcontextprotocol.registry/official'].status,
        deleted.json._meta['dev.mcps-ta/trust'].state,
      ],
      ['deleted', 'yanked'],
    );
  });

  it('refuses what is no export at all (400), and imports from a non-admin (403), storing nothing', async () => {
    const before = await all('&include_deleted=true');
    assertProblem(await importIt({ nope: true }), 400, 'body.export.servers');
    assertProblem(await importIt({ servers: 'x' }), 400);
    assert.equal((await all('&include_deleted=true')).length, before.length);
    assertProblem(
      await ta.request('POST', '/v1/registry/mirror/imports', {
        token,
        body: { source: 's', export: { servers: [] } },
      }),
      403,
    );
  });

  it('npm run ta -- registry import FILE imports the same format (idempotent)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mirror-cli-'));
    try {
      await seedEmptyPgliteDataDir(join(dir, 'data'));
      const file = join(dir, 'export.json');
      writeFileSync(file, JSON.stringify(officialExport(5)));
      const env = {
        ...process.env,
        DATA_DIR: join(dir, 'data'),
        TA_KEK: '11'.repeat(32),
        DATABASE_URL: '',
      };
      delete (env as Record<string, string | undefined>).DATABASE_URL;
      const run = () =>
        spawnSync(
          process.execPath,
          [
            ...NODE_FLAGS,
            ...entryArgs('src/cli.ts'),
            'registry',
            'import',
            file,
            '--source',
            'test-export',
          ],
          { env, encoding: 'utf8', timeout: 120_000 },
        );
      const first = run();
      assert.equal(first.status, 0, first.stderr);
      assert.match(
        first.stdout,
        /imported test-export: added 5, changed 0, removed 0, unchanged 0, rejected 0/,
      );
      const second = run();
      assert.equal(second.status, 0, second.stderr);
      assert.match(second.stdout, /added 0, changed 0, removed 0, unchanged 5, rejected 0/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
