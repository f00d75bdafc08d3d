// `manifest.json` of a backup: what the dump is, where it came from, which schema migration it
// is at, and the SHA-256 restore checks before touching anything. It never holds the KEK; it
// names the (public) ids of the KEKs the keys were sealed under, so a refusal can say which.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { MIGRATIONS_FOLDER } from '../db/migrate.js';

export const BACKUP_FORMAT = 'mcps-ta-backup';
export const BACKUP_FORMAT_VERSION = 1;
export const MANIFEST_ENTRY = 'manifest.json';

export const DUMP_ENTRY = { postgres: 'database.pgdump', pglite: 'pglite-datadir.tar.gz' } as const;
export const DUMP_FORMAT = {
  postgres: 'pg_dump-custom',
  pglite: 'pglite-datadir-tar-gzip',
} as const;

const manifestSchema = z
  .object({
    format: z.literal(BACKUP_FORMAT),
    format_version: z.literal(BACKUP_FORMAT_VERSION),
    created_at: z.string(),
    source: z.object({ kind: z.enum(['postgres', 'pglite']), server_version: z.string() }),
    schema_migration: z.object({ tag: z.string(), created_at: z.number() }),
    sealed_under_kek_ids: z.array(z.string()),
    dump: z.object({
      entry: z.string(),
      format: z.string(),
      bytes: z.number().int().nonnegative(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
    }),
    kek_included: z.literal(false),
  })
  // The dump's name becomes a file name at restore: only the name and format `backup` writes for
  // the source kind (a crafted `../…` would otherwise be written outside the work directory).
  .refine((m) => m.dump.entry === DUMP_ENTRY[m.source.kind], {
    path: ['dump', 'entry'],
    message: 'is not the dump entry of a backup of this kind',
  })
  .refine((m) => m.dump.format === DUMP_FORMAT[m.source.kind], {
    path: ['dump', 'format'],
    message: 'is not the dump format of a backup of this kind',
  });

export type BackupManifest = z.infer<typeof manifestSchema>;

/** Parses manifest.json; a message instead when it is not one we can restore. */
export function parseManifest(bytes: Buffer): BackupManifest | string {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return 'manifest.json is not JSON';
  }
  if ((value as { format?: unknown })?.format !== BACKUP_FORMAT)
    return `not an ${BACKUP_FORMAT} file`;
  const v = (value as { format_version?: unknown }).format_version;
  if (v !== BACKUP_FORMAT_VERSION)
    return `backup format version ${String(v)} is not supported (this version reads ${BACKUP_FORMAT_VERSION})`;
  const parsed = manifestSchema.safeParse(value);
  if (!parsed.success)
    return `manifest.json: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
  return parsed.data;
}

export interface MigrationId {
  tag: string;
  /** drizzle's `folderMillis`, stored as `created_at` in drizzle.__drizzle_migrations. */
  created_at: number;
}

/** The migrations this build knows, oldest first. */
export function knownMigrations(): MigrationId[] {
  const journal = JSON.parse(
    readFileSync(path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8'),
  ) as {
    entries: Array<{ tag: string; when: number }>;
  };
  return journal.entries.map((e) => ({ tag: e.tag, created_at: e.when }));
}

/** Names the newest applied migration (its `created_at` from the database) by its tag. */
export function migrationFromApplied(createdAt: number | undefined): MigrationId {
  if (createdAt === undefined)
    throw new Error(
      'the database has no applied migrations: nothing to back up (has the service ever started on it?)',
    );
  const known = knownMigrations().find((m) => m.created_at === createdAt);
  return known ?? { tag: `unknown-${createdAt}`, created_at: createdAt };
}

/** The SQL that reads the newest applied migration (same on PGlite and PostgreSQL). */
export const APPLIED_MIGRATION_SQL =
  'select max(created_at)::text as created_at from drizzle.__drizzle_migrations';

/** The KEK ids of sealed blobs (`v1.<kek-id>.…`, src/crypto/kek.ts). */
export function kekIdsOf(sealed: string[]): string[] {
  return [...new Set(sealed.map((s) => s.split('.')[1] ?? '?'))].sort();
}
