// Raw, driver-level access to the configured database for backup and restore: they work below
// the schema (whole dumps, data directories), so they use postgres.js and PGlite directly.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type postgres from 'postgres';
import { postgresClient } from '../db/postgres-client.js';
import type { Config } from '../config.js';

export type TargetKind = 'postgres' | 'pglite';

export function targetKind(config: Config): TargetKind {
  return config.databaseUrl ? 'postgres' : 'pglite';
}

/** PGlite's own directory inside DATA_DIR (see src/db/client.ts). */
export function pgliteDir(config: Config): string {
  return path.join(config.dataDir, 'pglite');
}

/** True when DATA_DIR/pglite holds a PostgreSQL data directory. */
export function pgliteDirInUse(dir: string): boolean {
  return (
    existsSync(path.join(dir, 'PG_VERSION')) || (existsSync(dir) && readdirSync(dir).length > 0)
  );
}

/** A one-connection postgres.js client; `fn` runs with it and it is always closed. */
export async function withPostgres<T>(
  url: string,
  fn: (sql: postgres.Sql) => Promise<T>,
): Promise<T> {
  const sql = postgresClient(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** The server's major version (15 for 15.x). */
export async function serverMajor(sql: postgres.Sql): Promise<{ major: number; version: string }> {
  const [row] = await sql<
    Array<{ num: string; version: string }>
  >`select current_setting('server_version_num') as num, current_setting('server_version') as version`;
  return { major: Math.floor(Number(row!.num) / 10000), version: row!.version };
}

/** Tables and sequences outside the system schemas: anything means "not empty". */
export const USER_RELATIONS_SQL =
  "select count(*)::int as n from pg_class c join pg_namespace s on s.oid = c.relnamespace where c.relkind in ('r','p','S','v','m') and s.nspname not in ('pg_catalog','information_schema','pg_toast') and s.nspname not like 'pg_temp%' and s.nspname not like 'pg_toast_temp%'";
