// `backup --out FILE`: the whole database in one file — PostgreSQL as a pg_dump custom-format
// archive, the embedded PGlite as its data-directory dump — plus manifest.json. The KEK is never
// in it: TA_KEK lives in the environment and DATA_DIR/kek beside (not inside) DATA_DIR/pglite, and
// the private keys in the dump are sealed under it. Keep the KEK somewhere else than the backups.
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Config } from '../config.js';
import { acquireDataDirLock } from '../db/data-dir-lock.js';
import { sha256File, writeArchive } from './backup-archive.js';
import {
  APPLIED_MIGRATION_SQL,
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  DUMP_ENTRY,
  DUMP_FORMAT,
  kekIdsOf,
  MANIFEST_ENTRY,
  migrationFromApplied,
  type BackupManifest,
} from './backup-manifest.js';
import {
  pgliteDir,
  pgliteDirInUse,
  serverMajor,
  targetKind,
  withPostgres,
} from './database-target.js';
import { locatePgTools, runTool } from './pg-tools.js';
import { OperatorRefusal } from './refusal.js';

export interface BackupOptions {
  out: string;
  /** Directory of pg_dump & co. (PostgreSQL only); default: found for the server's version. */
  pgBinDir?: string | undefined;
  now?: () => Date;
}

interface Dumped {
  file: string;
  serverVersion: string;
  appliedMigration: number | undefined;
  sealed: string[];
}

/** Writes the backup to `o.out` (refuses to overwrite); returns its manifest. */
export async function backupDatabase(config: Config, o: BackupOptions): Promise<BackupManifest> {
  const out = path.resolve(o.out);
  if (existsSync(out))
    throw new OperatorRefusal(
      `${out} exists; choose a new file name (a backup never overwrites another)`,
    );
  const kind = targetKind(config);
  const work = mkdtempSync(path.join(os.tmpdir(), 'mcps-ta-backup-'));
  try {
    const dumpFile = path.join(work, DUMP_ENTRY[kind]);
    const dumped =
      kind === 'postgres'
        ? await dumpPostgres(config.databaseUrl!, dumpFile, o.pgBinDir)
        : await dumpPglite(config, dumpFile);
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      format_version: BACKUP_FORMAT_VERSION,
      created_at: (o.now?.() ?? new Date()).toISOString(),
      source: { kind, server_version: dumped.serverVersion },
      schema_migration: migrationFromApplied(dumped.appliedMigration),
      sealed_under_kek_ids: kekIdsOf(dumped.sealed),
      dump: {
        entry: DUMP_ENTRY[kind],
        format: DUMP_FORMAT[kind],
        bytes: statSync(dumpFile).size,
        sha256: sha256File(dumpFile),
      },
      kek_included: false,
    };
    const partial = `${out}.partial-${process.pid}`;
    const fd = openSync(partial, 'wx', 0o600);
    try {
      writeArchive(
        fd,
        [
          { name: MANIFEST_ENTRY, bytes: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) },
          { name: manifest.dump.entry, file: dumpFile },
        ],
        new Date(manifest.created_at),
      );
    } catch (err) {
      closeSync(fd);
      rmSync(partial, { force: true });
      throw err;
    }
    closeSync(fd);
    renameSync(partial, out);
    return manifest;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function dumpPostgres(
  url: string,
  dumpFile: string,
  pgBinDir: string | undefined,
): Promise<Dumped> {
  const facts = await withPostgres(url, async (sql) => {
    const server = await serverMajor(sql);
    const exists = await sql<
      Array<{ t: string | null }>
    >`select to_regclass('drizzle.__drizzle_migrations')::text as t`;
    if (!exists[0]?.t)
      throw new OperatorRefusal(
        'the database has no applied migrations: nothing to back up (has the service ever started on it?)',
      );
    const [m] = await sql.unsafe<Array<{ created_at: string | null }>>(APPLIED_MIGRATION_SQL);
    const keys = await sql<
      Array<{ sealed_private_key: string }>
    >`select sealed_private_key from authority_keys`;
    return {
      server,
      applied: m?.created_at ? Number(m.created_at) : undefined,
      sealed: keys.map((k) => k.sealed_private_key),
    };
  });
  const tools = await locatePgTools(url, facts.server.major, pgBinDir);
  await runTool(tools, 'pg_dump', [
    '--format=custom',
    '--no-owner',
    '--no-acl',
    '-f',
    dumpFile,
    '-d',
    tools.url,
  ]);
  return {
    file: dumpFile,
    serverVersion: facts.server.version,
    appliedMigration: facts.applied,
    sealed: facts.sealed,
  };
}

async function dumpPglite(config: Config, dumpFile: string): Promise<Dumped> {
  const dir = pgliteDir(config);
  if (!pgliteDirInUse(dir))
    throw new OperatorRefusal(`no embedded database in ${dir}: nothing to back up`);
  // The service must not run meanwhile (one process per data directory): DataDirLockedError.
  const lock = await acquireDataDirLock(config.dataDir, 'backup');
  try {
    const pg = await PGlite.create(dir);
    try {
      const version = (
        await pg.query<{ v: string }>("select current_setting('server_version') as v")
      ).rows[0]!.v;
      const exists = (
        await pg.query<{ t: string | null }>(
          "select to_regclass('drizzle.__drizzle_migrations')::text as t",
        )
      ).rows[0]?.t;
      if (!exists)
        throw new OperatorRefusal(
          'the database has no applied migrations: nothing to back up (has the service ever started on it?)',
        );
      const applied = (await pg.query<{ created_at: string | null }>(APPLIED_MIGRATION_SQL)).rows[0]
        ?.created_at;
      const sealed = (
        await pg.query<{ sealed_private_key: string }>(
          'select sealed_private_key from authority_keys',
        )
      ).rows.map((r) => r.sealed_private_key);
      const blob = await pg.dumpDataDir('gzip');
      writeFileSync(dumpFile, Buffer.from(await blob.arrayBuffer()), { mode: 0o600 });
      return {
        file: dumpFile,
        serverVersion: version,
        appliedMigration: applied ? Number(applied) : undefined,
        sealed,
      };
    } finally {
      await pg.close();
    }
  } finally {
    await lock.release();
  }
}
