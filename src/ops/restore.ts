// `restore --in FILE [--force]`: puts a backup made by `backup` back into the configured
// database. Before changing anything it checks the archive (manifest, SHA-256 of the dump), that
// this build knows the backup's schema migration, that the target is of the same kind, that the
// configured KEK opens every sealed authority key, and that the target is empty (or --force).
// PostgreSQL: pg_restore's script runs through psql in ONE transaction together with the drops of
// --force, so a failed restore leaves the database as it was. PGlite: the dump is unpacked into a
// fresh directory beside DATA_DIR/pglite, checked, then swapped in by rename.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Config } from '../config.js';
import { acquireDataDirLock } from '../db/data-dir-lock.js';
import { readExistingKek } from '../kek-file.js';
import { extractEntry, listArchive, readEntry } from './backup-archive.js';
import {
  APPLIED_MIGRATION_SQL,
  knownMigrations,
  MANIFEST_ENTRY,
  parseManifest,
} from './backup-manifest.js';
import type { BackupManifest } from './backup-manifest.js';
import {
  pgliteDir,
  pgliteDirInUse,
  serverMajor,
  targetKind,
  USER_RELATIONS_SQL,
  withPostgres,
} from './database-target.js';
import { assertKekOpens, type SealedKeyRow } from './kek-check.js';
import { locatePgTools, restoreInOneTransaction, tableRowsInDump } from './pg-tools.js';
import { OperatorRefusal } from './refusal.js';

/** `backup` writes a manifest of well under 1 KiB; it is read into memory whole. */
const MAX_MANIFEST_BYTES = 64 * 1024;

export interface RestoreOptions {
  in: string;
  /** Replace a non-empty target database. */
  force?: boolean;
  pgBinDir?: string | undefined;
}

export interface RestoreResult {
  manifest: BackupManifest;
  /** Whether an existing database was replaced (--force). */
  replaced: boolean;
}

export async function restoreDatabase(config: Config, o: RestoreOptions): Promise<RestoreResult> {
  const file = path.resolve(o.in);
  if (!existsSync(file)) throw new OperatorRefusal(`${file} does not exist`);
  let entries;
  try {
    entries = listArchive(file);
  } catch (err) {
    throw new OperatorRefusal(`${file}: ${(err as Error).message}`);
  }
  const manifestEntry = entries.find((e) => e.name === MANIFEST_ENTRY);
  if (!manifestEntry)
    throw new OperatorRefusal(`${file}: no ${MANIFEST_ENTRY}: not a backup made by \`backup\``);
  if (manifestEntry.size > MAX_MANIFEST_BYTES)
    throw new OperatorRefusal(
      `${file}: ${MANIFEST_ENTRY} is larger than a backup's manifest can be`,
    );
  const manifest = parseManifest(readEntry(file, manifestEntry));
  if (typeof manifest === 'string') throw new OperatorRefusal(`${file}: ${manifest}`);
  const dumpEntry = entries.find((e) => e.name === manifest.dump.entry);
  if (!dumpEntry || dumpEntry.size !== manifest.dump.bytes)
    throw new OperatorRefusal(`${file}: the dump ${manifest.dump.entry} is missing or truncated`);
  if (
    !knownMigrations().some(
      (m) =>
        m.tag === manifest.schema_migration.tag &&
        m.created_at === manifest.schema_migration.created_at,
    )
  ) {
    throw new OperatorRefusal(
      `the backup is at schema migration ${manifest.schema_migration.tag}, which this version does not know (made by a newer version?): upgrade first`,
    );
  }
  const kind = targetKind(config);
  if (manifest.source.kind !== kind) {
    throw new OperatorRefusal(
      `the backup is of ${manifest.source.kind === 'pglite' ? 'an embedded (PGlite) database' : 'a PostgreSQL database'} but the configured database is ` +
        `${kind === 'pglite' ? 'the embedded one (DATA_DIR)' : 'PostgreSQL (DATABASE_URL)'}; restore into the same kind`,
    );
  }
  const kek = readExistingKek(config);
  if (!kek)
    throw new OperatorRefusal(
      'no key-encryption key: set TA_KEK to the key the backed-up service ran with (backups never contain it)',
    );

  const work = mkdtempSync(path.join(os.tmpdir(), 'mcps-ta-restore-'));
  try {
    const dumpFile = path.join(work, manifest.dump.entry);
    if (extractEntry(file, dumpEntry, dumpFile) !== manifest.dump.sha256) {
      throw new OperatorRefusal(
        `${file}: the dump does not match the SHA-256 in its manifest (corrupted or altered)`,
      );
    }
    const replaced =
      kind === 'postgres'
        ? await restorePostgres(config.databaseUrl!, dumpFile, kek, o)
        : await restorePglite(config, dumpFile, kek, o);
    return { manifest, replaced };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const FORCE_PRELUDE =
  'drop schema if exists drizzle cascade;\ndrop schema if exists public cascade;\ncreate schema public;\n';

async function restorePostgres(
  url: string,
  dumpFile: string,
  kek: { kek: Buffer; source: string },
  o: RestoreOptions,
): Promise<boolean> {
  const { major, nonEmpty } = await withPostgres(url, async (sql) => {
    const server = await serverMajor(sql);
    const [row] = await sql.unsafe<Array<{ n: number }>>(USER_RELATIONS_SQL);
    return { major: server.major, nonEmpty: (row?.n ?? 0) > 0 };
  });
  const tools = await locatePgTools(url, major, o.pgBinDir);
  let keys: SealedKeyRow[];
  try {
    keys = (await tableRowsInDump(tools, dumpFile, 'authority_keys')) as unknown as SealedKeyRow[];
  } catch (err) {
    throw new OperatorRefusal(`cannot read the dump: ${(err as Error).message}`);
  }
  assertKekOpens(kek, keys);
  if (nonEmpty && !o.force) {
    throw new OperatorRefusal(
      'the target database is not empty; restore into an empty database, or pass --force to replace everything in it',
    );
  }
  await restoreInOneTransaction(tools, dumpFile, nonEmpty ? FORCE_PRELUDE : '');
  await withPostgres(url, async (sql) => {
    const [m] = await sql.unsafe<Array<{ created_at: string | null }>>(APPLIED_MIGRATION_SQL);
    if (!m?.created_at)
      throw new Error(
        'restore finished but the database has no migrations table: the dump was not restored',
      );
  });
  return nonEmpty;
}

async function restorePglite(
  config: Config,
  dumpFile: string,
  kek: { kek: Buffer; source: string },
  o: RestoreOptions,
): Promise<boolean> {
  const target = pgliteDir(config);
  // Hold DATA_DIR like the service does: a running service makes this refuse (exit 4).
  mkdirSync(config.dataDir, { recursive: true });
  const lock = await acquireDataDirLock(config.dataDir, 'restore');
  const staging = path.join(config.dataDir, `pglite.restoring-${randomBytes(4).toString('hex')}`);
  try {
    const nonEmpty = pgliteDirInUse(target);
    if (nonEmpty && !o.force) {
      throw new OperatorRefusal(
        `the embedded database in ${target} is not empty; restore into an empty DATA_DIR, or pass --force to replace it`,
      );
    }
    const pg = await PGlite.create(staging, { loadDataDir: new Blob([readFileSync(dumpFile)]) });
    try {
      const keys = (
        await pg.query<SealedKeyRow>('select kid, sealed_private_key from authority_keys')
      ).rows;
      assertKekOpens(kek, keys);
      const applied = (await pg.query<{ created_at: string | null }>(APPLIED_MIGRATION_SQL)).rows[0]
        ?.created_at;
      if (!applied)
        throw new OperatorRefusal(
          'the dump holds no migrations table: not a Trust Authority database',
        );
    } finally {
      await pg.close();
    }
    if (nonEmpty) {
      const old = `${target}.replaced-${randomBytes(4).toString('hex')}`;
      renameSync(target, old);
      renameSync(staging, target);
      rmSync(old, { recursive: true, force: true });
    } else {
      rmSync(target, { recursive: true, force: true }); // an empty directory left by a wipe
      renameSync(staging, target);
    }
    return nonEmpty;
  } finally {
    rmSync(staging, { recursive: true, force: true });
    await lock.release();
  }
}
