// Acceptance (issue 13) 5: the README's restore drill, run as written — backup, wipe, restore,
// start — on the embedded database and on PostgreSQL: the restored TA serves the same JWKS and
// CA certificates, its audit log verifies, and tokens issued before the backup still work.
// Restore refuses (exit 3, nothing changed) a KEK that cannot unseal the keys and a non-empty
// database without --force; the backup never contains the KEK.
// Each drill runs in the suite of its database kind (CI runs `npm test` once on each): the
// PGlite drill where DATABASE_URL is unset, the PostgreSQL drill against DATABASE_URL.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import postgres from 'postgres';
import { listArchive, readEntry } from '../../src/ops/backup-archive.js';
import { parseManifest } from '../../src/ops/backup-manifest.js';
import { freePort, runOperatorCli, spawnService, type ServiceProcess } from '../support/process.js';
import { seedEmptyPgliteDataDir, usingPostgres } from '../support/database.js';
import { realPostgres, type RealPostgres } from '../support/postgres.js';

const KEK = randomBytes(32).toString('hex');
const ADMIN = `drill-admin-${'cd'.repeat(16)}`;

const runCli = (args: string[], env: Record<string, string>) => runOperatorCli(args, env);

interface Snapshot {
  jwks: string;
  ca: string;
  verify: { ok: boolean; checked: number; head_seq: number; head_hash: string };
  audit: Array<{ seq: number; hash: string }>;
}

async function snapshot(url: string): Promise<Snapshot> {
  const auth = { authorization: `Bearer ${ADMIN}` };
  const jwks = await (await fetch(`${url}/v1/trust/jwks`)).text();
  const ca = await (await fetch(`${url}/v1/trust/ca.pem`)).text();
  const verify = (await (
    await fetch(`${url}/v1/audit/verify`, { headers: auth })
  ).json()) as Snapshot['verify'];
  const audit = (
    (await (await fetch(`${url}/v1/audit?limit=1000`, { headers: auth })).json()) as {
      items: Snapshot['audit'];
    }
  ).items;
  return { jwks, ca, verify, audit: audit.map((e) => ({ seq: e.seq, hash: e.hash })) };
}

async function start(
  env: Record<string, string>,
  procs: ServiceProcess[],
): Promise<ServiceProcess> {
  const p = spawnService({ ...env, PORT: String(await freePort()) });
  procs.push(p);
  await p.ready(300_000);
  return p;
}

/** Starts the service and creates the publisher `after-backup`, which a restore must undo. */
async function startWithPublisherAfterBackup(
  env: Record<string, string>,
  procs: ServiceProcess[],
): Promise<{ service: ServiceProcess; headers: Record<string, string> }> {
  const service = await start(env, procs);
  const headers = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
  const res = await fetch(`${service.url}/v1/publishers`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ name: 'after-backup' }),
  });
  assert.equal(res.status, 201);
  return { service, headers };
}

/** Makes some state: a publisher and its token (audited), returns the token. */
async function populate(url: string): Promise<string> {
  const headers = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
  const pub = await fetch(`${url}/v1/publishers`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ name: 'drill' }),
  });
  assert.equal(pub.status, 201);
  const { id } = (await pub.json()) as { id: string };
  const tok = await fetch(`${url}/v1/publishers/${id}/tokens`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ role: 'publisher' }),
  });
  assert.equal(tok.status, 201);
  return ((await tok.json()) as { token: string }).token;
}

function assertNoKek(bytes: Buffer, what: string): void {
  assert.ok(!bytes.includes(Buffer.from(KEK, 'hex')), `${what} contains the raw KEK`);
  assert.ok(!bytes.includes(Buffer.from(KEK)), `${what} contains the KEK in hex`);
  assert.ok(
    !bytes.includes(Buffer.from(Buffer.from(KEK, 'hex').toString('base64'))),
    `${what} contains the KEK in base64`,
  );
}

function readManifest(file: string) {
  const entries = listArchive(file);
  assert.deepEqual(
    entries.map((e) => e.name),
    ['manifest.json', entries[1]!.name],
  );
  const m = parseManifest(readEntry(file, entries[0]!));
  assert.ok(typeof m !== 'string', String(m));
  return { manifest: m, dump: readEntry(file, entries[1]!) };
}

async function afterRestore(
  env: Record<string, string>,
  procs: ServiceProcess[],
  before: Snapshot,
  publisherToken: string,
): Promise<void> {
  const service = await start(env, procs);
  const now = await snapshot(service.url);
  assert.equal(now.jwks, before.jwks, 'same JWKS');
  assert.equal(now.ca, before.ca, 'same CA certificates');
  assert.equal(now.verify.ok, true, JSON.stringify(now.verify));
  assert.ok(now.verify.checked >= before.verify.checked);
  for (const e of before.audit)
    assert.deepEqual(
      now.audit.find((x) => x.seq === e.seq),
      e,
      `audit event ${e.seq} unchanged`,
    );
  const mine = await fetch(`${service.url}/v1/publishers`, {
    headers: { authorization: `Bearer ${publisherToken}` },
  });
  assert.notEqual(
    mine.status,
    401,
    'the publisher token from before the backup still authenticates',
  );
  assert.equal(await service.stop(), 0, service.output());
}

describe(
  'restore drill on the embedded database (PGlite)',
  { skip: usingPostgres && 'PGlite drill: runs in the suite without DATABASE_URL' },
  () => {
    const work = mkdtempSync(path.join(os.tmpdir(), 'mcps-ta-drill-'));
    const dataDir = path.join(work, 'data');
    const file = path.join(work, 'ta-backup.tar');
    const env = { DATA_DIR: dataDir, TA_KEK: KEK, TA_ADMIN_TOKEN: ADMIN, TA_NAME: 'drill.example' };
    const procs: ServiceProcess[] = [];
    let saved: Snapshot;
    let publisherToken: string;
    after(async () => {
      for (const p of procs) await p.stop('SIGKILL');
      rmSync(work, { recursive: true, force: true });
    });

    it('backup refuses while the service holds DATA_DIR (exit 4), and works once it is stopped', async () => {
      await seedEmptyPgliteDataDir(dataDir);
      const service = await start(env, procs);
      publisherToken = await populate(service.url);
      saved = await snapshot(service.url);
      assert.equal(saved.verify.ok, true);
      const busy = await runCli(['backup', '--out', file], env);
      assert.equal(busy.code, 4, busy.stdout + busy.stderr);
      assert.ok(!existsSync(file));
      assert.equal(await service.stop(), 0, service.output());

      const res = await runCli(['backup', '--out', file], env);
      assert.equal(res.code, 0, res.stderr);
      assert.match(res.stdout, /wrote .*ta-backup\.tar: pglite 18\.\d+ at migration \d{4}_/);
      assert.match(res.stdout, /key-encryption key is NOT in the backup/);
      const { manifest, dump } = readManifest(file);
      assert.equal(manifest.source.kind, 'pglite');
      assert.equal(manifest.dump.format, 'pglite-datadir-tar-gzip');
      assert.equal(manifest.kek_included, false);
      assert.match(manifest.schema_migration.tag, /^\d{4}_/);
      assertNoKek(gunzipSync(dump), 'the data-directory dump');
      assertNoKek(readEntry(file, listArchive(file)[0]!), 'the manifest');
      const again = await runCli(['backup', '--out', file], env);
      assert.equal(again.code, 3, 'a backup never overwrites another');
    });

    it('wipe; a wrong KEK is refused and nothing is written; restore; the TA is the same', async () => {
      rmSync(dataDir, { recursive: true, force: true });
      const wrong = await runCli(['restore', '--in', file], {
        ...env,
        TA_KEK: randomBytes(32).toString('hex'),
      });
      assert.equal(wrong.code, 3, wrong.stdout + wrong.stderr);
      assert.match(
        wrong.stderr,
        /refused, nothing was changed: the key-encryption key from TA_KEK cannot unseal authority key/,
      );
      assert.ok(
        !existsSync(path.join(dataDir, 'pglite')) ||
          readdirSync(path.join(dataDir, 'pglite')).length === 0,
        'nothing restored',
      );
      assert.deepEqual(
        existsSync(dataDir) ? readdirSync(dataDir).filter((f) => f.startsWith('pglite.')) : [],
        [],
        'no staging left behind',
      );

      const ok = await runCli(['restore', '--in', file], env);
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout, /restored pglite backup of /);
      const refused = await runCli(['restore', '--in', file], env);
      assert.equal(refused.code, 3);
      assert.match(refused.stderr, /is not empty; .* pass --force/);
      await afterRestore(env, procs, saved, publisherToken);
    });

    it('--force replaces a non-empty database; a corrupted archive is refused', async () => {
      const { service, headers } = await startWithPublisherAfterBackup(env, procs);
      const busy = await runCli(['restore', '--in', file, '--force'], env);
      assert.equal(
        busy.code,
        4,
        `restore while the service holds DATA_DIR: ${busy.stdout}${busy.stderr}`,
      );
      assert.match(
        busy.stderr,
        /nothing was written: the embedded database in .* is in use by service pid/,
      );
      assert.equal(await service.stop(), 0);
      const forced = await runCli(['restore', '--in', file, '--force'], env);
      assert.equal(forced.code, 0, forced.stderr);
      assert.match(forced.stdout, /replacing the previous database/);
      const again = await start(env, procs);
      const list = await (await fetch(`${again.url}/v1/publishers`, { headers })).text();
      assert.ok(list.includes('"drill"') && !list.includes('after-backup'), list);
      assert.equal(await again.stop(), 0);

      const bad = path.join(work, 'corrupt.tar');
      const bytes = readFileSync(file);
      bytes[bytes.length - 2048] = bytes[bytes.length - 2048]! ^ 0xff; // inside the dump
      writeFileSync(bad, bytes);
      const corrupt = await runCli(['restore', '--in', bad, '--force'], env);
      assert.equal(corrupt.code, 3, corrupt.stdout + corrupt.stderr);
      assert.match(corrupt.stderr, /does not match the SHA-256 in its manifest/);
    });
  },
);

describe(
  'restore drill on PostgreSQL',
  { skip: !usingPostgres && 'PostgreSQL drill: runs in the suite with DATABASE_URL set' },
  () => {
    let pg: RealPostgres | undefined;
    const work = mkdtempSync(path.join(os.tmpdir(), 'mcps-ta-drill-pg-'));
    const file = path.join(work, 'ta-backup.tar');
    const dbName = `ta_drill_${randomBytes(5).toString('hex')}`;
    let env: Record<string, string>;
    let admin: postgres.Sql;
    const procs: ServiceProcess[] = [];
    let saved: Snapshot;
    let publisherToken: string;
    before(
      async () => {
        pg = await realPostgres();
        if (!pg) return;
        admin = postgres(pg.url, { max: 1, onnotice: () => {} });
        await admin.unsafe(`create database ${dbName}`);
        const u = new URL(pg.url);
        u.pathname = `/${dbName}`;
        env = {
          DATABASE_URL: u.toString(),
          DATA_DIR: path.join(work, 'unused'),
          TA_KEK: KEK,
          TA_ADMIN_TOKEN: ADMIN,
          TA_NAME: 'drill-pg.example',
        };
      },
      { timeout: 180_000 },
    );
    after(async () => {
      for (const p of procs) await p.stop('SIGKILL');
      if (admin) {
        await admin.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => {});
        await admin.end();
      }
      await pg?.stop();
      rmSync(work, { recursive: true, force: true });
    });

    async function relations(): Promise<number> {
      const sql = postgres(env.DATABASE_URL!, { max: 1, onnotice: () => {} });
      try {
        const [r] = await sql<
          Array<{ n: number }>
        >`select count(*)::int as n from pg_tables where schemaname not in ('pg_catalog','information_schema')`;
        return r!.n;
      } finally {
        await sql.end();
      }
    }

    it('backup while the service runs (pg_dump of the server major), wipe, refuse a wrong KEK, restore, same TA', async (t) => {
      if (!pg) return t.skip('no PostgreSQL: set DATABASE_URL or install the server binaries');
      const service = await start(env, procs);
      publisherToken = await populate(service.url);
      saved = await snapshot(service.url);
      const res = await runCli(['backup', '--out', file], env);
      assert.equal(res.code, 0, res.stderr);
      const serverVersion = (
        await admin<Array<{ v: string }>>`select current_setting('server_version') as v`
      )[0]!.v;
      assert.ok(res.stdout.includes(`postgres ${serverVersion} at migration`), res.stdout);
      const { manifest } = readManifest(file);
      assert.equal(manifest.dump.format, 'pg_dump-custom');
      const major = serverVersion.split('.')[0];
      const pgRestore =
        [`/usr/lib/postgresql/${major}/bin/pg_restore`].find((f) => existsSync(f)) ?? 'pg_restore';
      const dumpDir = path.join(work, 'x');
      execFileSync('mkdir', ['-p', dumpDir]);
      execFileSync('tar', ['-xf', file, '-C', dumpDir]); // a plain tar: usable by hand too
      const script = execFileSync(pgRestore, ['-f', '-', path.join(dumpDir, 'database.pgdump')], {
        maxBuffer: 256 << 20,
      });
      assertNoKek(script, 'the pg_dump archive');
      assert.equal(await service.stop(), 0, service.output());

      // Wipe: a new, empty database under the same name.
      await admin.unsafe(`drop database ${dbName} with (force)`);
      await admin.unsafe(`create database ${dbName}`);
      const wrong = await runCli(['restore', '--in', file], {
        ...env,
        TA_KEK: randomBytes(32).toString('hex'),
      });
      assert.equal(wrong.code, 3, wrong.stdout + wrong.stderr);
      assert.match(wrong.stderr, /cannot unseal authority key/);
      assert.equal(await relations(), 0, 'nothing was restored with the wrong KEK');

      const ok = await runCli(['restore', '--in', file], env);
      assert.equal(ok.code, 0, ok.stderr);
      const refused = await runCli(['restore', '--in', file], env);
      assert.equal(refused.code, 3);
      assert.match(refused.stderr, /not empty; .* --force/);
      await afterRestore(env, procs, saved, publisherToken);
    });

    it('--force replaces the database in one transaction', async (t) => {
      if (!pg) return t.skip('no PostgreSQL');
      const { service, headers } = await startWithPublisherAfterBackup(env, procs);
      assert.equal(await service.stop(), 0);
      const forced = await runCli(['restore', '--in', file, '--force'], env);
      assert.equal(forced.code, 0, forced.stderr);
      const again = await start(env, procs);
      const list = await (await fetch(`${again.url}/v1/publishers`, { headers })).text();
      assert.ok(list.includes('"drill"') && !list.includes('after-backup'), list);
      assert.equal((await snapshot(again.url)).verify.ok, true);
      assert.equal(await again.stop(), 0);
    });
  },
);
