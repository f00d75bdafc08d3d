// A fresh, migrated database per test file: a new PostgreSQL database when DATABASE_URL is set
// (the suite's PostgreSQL run), else a PGlite restored from a pre-migrated snapshot (~0.3 s).
// An empty PGlite (and a DATA_DIR seeded for a service) comes from a kept initdb result too.
import { createHash, randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { postgresClient } from '../../src/db/postgres-client.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { migrateDatabase, MIGRATIONS_FOLDER } from '../../src/db/migrate.js';

/** PGlite, imported when a test uses it (the PostgreSQL run never loads it). */
const pglite = async () => (await import('@electric-sql/pglite')).PGlite;

export const usingPostgres = Boolean(process.env.DATABASE_URL);

export interface TestDatabase {
  handle: DatabaseHandle;
  /** Set on PostgreSQL: the URL of this test's own database. */
  url: string | undefined;
  /** Opens another independent handle on the same database (PostgreSQL only). */
  openAnother(): Promise<DatabaseHandle>;
  /** Runs raw SQL, bypassing the app (to tamper with rows in tests). */
  sql(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  drop(): Promise<void>;
}

function migrationsHash(): string {
  const h = createHash('sha256');
  for (const f of readdirSync(MIGRATIONS_FOLDER).sort()) {
    if (f.endsWith('.sql')) h.update(f).update(readFileSync(path.join(MIGRATIONS_FOLDER, f)));
  }
  return h.digest('hex').slice(0, 16);
}

/** Writes `file` atomically: parallel test files never read a half-written one. */
function writeOnce(file: string, bytes: Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, file);
}

const PGLITE_VERSION = (
  JSON.parse(
    readFileSync(
      path.join(
        path.dirname(fileURLToPath(import.meta.resolve('@electric-sql/pglite'))),
        '..',
        'package.json',
      ),
      'utf8',
    ),
  ) as { version: string }
).version;

/**
 * What PGlite's initdb makes for a new database (empty, not migrated), kept once per machine:
 * initdb costs seconds of CPU, loading its result a fraction of that.
 */
async function pgliteEmptySnapshot(): Promise<Blob> {
  const file = path.join(os.tmpdir(), `mcps-ta-pglite-empty-${PGLITE_VERSION}.tar`);
  if (!existsSync(file)) {
    const PGlite = await pglite();
    const pg = await PGlite.create();
    const blob = await pg.dumpDataDir('none');
    await pg.close();
    writeOnce(file, Buffer.from(await blob.arrayBuffer()));
  }
  return new Blob([readFileSync(file)]);
}

/**
 * Puts a new, empty PGlite database where the service keeps its embedded one (DATA_DIR/pglite),
 * as its first start would create it with initdb, but copied from a kept one. The service still
 * migrates it on start. For tests about something other than creating the database.
 */
export async function seedEmptyPgliteDataDir(dataDir: string): Promise<void> {
  const kept = path.join(os.tmpdir(), `mcps-ta-pglite-empty-${PGLITE_VERSION}.d`);
  if (!existsSync(kept)) {
    const staging = mkdtempSync(`${kept}.tmp-`);
    const PGlite = await pglite();
    const pg = await PGlite.create({
      dataDir: path.join(staging, 'pglite'),
      loadDataDir: await pgliteEmptySnapshot(),
    });
    await pg.close();
    try {
      renameSync(staging, kept);
    } catch {
      rmSync(staging, { recursive: true, force: true }); // another test file kept one first
    }
  }
  mkdirSync(dataDir, { recursive: true });
  cpSync(path.join(kept, 'pglite'), path.join(dataDir, 'pglite'), { recursive: true });
}

async function pgliteSnapshot(): Promise<Blob> {
  const file = path.join(os.tmpdir(), `mcps-ta-pglite-${migrationsHash()}.tar`);
  if (!existsSync(file)) {
    const PGlite = await pglite();
    const pg = await PGlite.create({ loadDataDir: await pgliteEmptySnapshot() });
    const handle = await openDatabase({ pglite: pg });
    await migrateDatabase(handle);
    const blob = await pg.dumpDataDir('none');
    await pg.close();
    writeOnce(file, Buffer.from(await blob.arrayBuffer()));
  }
  return new Blob([readFileSync(file)]);
}

/** An empty (not migrated) database: for tests of start-up itself. */
export async function emptyDatabase(): Promise<TestDatabase> {
  return createTestDatabase(false);
}

/** A migrated database; on the PostgreSQL at `o.postgresUrl` when given. */
export async function freshDatabase(o: { postgresUrl?: string } = {}): Promise<TestDatabase> {
  return createTestDatabase(true, o.postgresUrl);
}

async function createTestDatabase(
  migrated: boolean,
  postgresUrl = process.env.DATABASE_URL,
): Promise<TestDatabase> {
  if (!postgresUrl) {
    const PGlite = await pglite();
    const pg = await PGlite.create({
      loadDataDir: await (migrated ? pgliteSnapshot() : pgliteEmptySnapshot()),
    });
    const handle = await openDatabase({ pglite: pg });
    return {
      handle,
      url: undefined,
      openAnother: async () => handle,
      sql: async (text, params) => (await pg.query<Record<string, unknown>>(text, params)).rows,
      // Tolerates a database a test closed on purpose.
      drop: () => handle.close().catch(() => {}),
    };
  }
  const adminUrl = postgresUrl;
  const name = `ta_test_${randomBytes(6).toString('hex')}`;
  const admin = postgresClient(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const dbUrl = url.toString();
  const handle = await openDatabase({ databaseUrl: dbUrl });
  if (migrated) await migrateDatabase(handle);
  const raw = postgresClient(dbUrl, { max: 1, onnotice: () => {} });
  const others: DatabaseHandle[] = [];
  return {
    handle,
    url: dbUrl,
    openAnother: async () => {
      const h = await openDatabase({ databaseUrl: dbUrl });
      others.push(h);
      return h;
    },
    sql: async (text, params) =>
      (await raw.unsafe(text, (params ?? []) as never[])) as unknown as Record<string, unknown>[],
    drop: async () => {
      await Promise.allSettled([handle.close(), raw.end(), ...others.map((h) => h.close())]);
      const a = postgresClient(adminUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
      await a.end();
    },
  };
}
