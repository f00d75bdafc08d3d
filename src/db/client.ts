// Opens the database: a real PostgreSQL when DATABASE_URL is set (postgres.js), otherwise the
// embedded PGlite in DATA_DIR. Both are wrapped by drizzle with the same API.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import type postgres from 'postgres';
import { watchedTransaction } from './watched-transaction.js';
import { postgresClient } from './postgres-client.js';
import type { SessionLockName } from '../locks.js';
import { takeSessionLock } from './advisory-locks.js';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.js';
import { markEmbedded } from './embedded-guard.js';

/** The NOTIFY channel of the change-notice triggers (migrations/0005_change_notices.sql). */
export const CHANGE_CHANNEL = 'ta_changes';
/**
 * The drizzle database type shared by both drivers. Without drizzle's relational query API
 * (`db.query.*`, unused here): given the schema, drizzle builds a query builder per table for
 * every transaction it opens.
 */
export type Database = PgDatabase<PgQueryResultHKT>;

export interface DatabaseHandle {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Database;
  /** Runs `fn` while holding the session lock `name` (src/locks.ts) on a dedicated connection. */
  withExclusiveSession<T>(name: SessionLockName, fn: (db: Database) => Promise<T>): Promise<T>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  /**
   * Calls `onChange` with a table's name after each commit that changed it (change-notices.ts;
   * NOTIFY ta_changes from the triggers of migration 0005), in this and every other instance,
   * and with '*' whenever notices may have been missed (the listening connection reconnected).
   * Resolves once listening; the returned function stops.
   */
  listenChanges(onChange: (table: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  databaseUrl?: string | undefined;
  /** PGlite data directory (created if missing); `memory://` for a throwaway database. */
  dataDir?: string;
  /** A PGlite instance supplied by the caller (tests restore them from a snapshot). */
  pglite?: PGlite;
  /** postgres.js pool size. */
  maxConnections?: number;
  /**
   * Who opens an on-disk PGlite directory ("service", "cli"): named to any other process the
   * exclusive directory lock refuses (DataDirLockedError). Default "service".
   */
  lockRole?: string;
}

/**
 * Opens PostgreSQL (if a URL is given) or PGlite. Does not migrate. PGlite (a large module) is
 * imported only when it is the database.
 */
export async function openDatabase(o: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (o.databaseUrl) return openPostgres(o.databaseUrl, o.maxConnections ?? 10);
  if (o.pglite) return openPglite(o.pglite);
  const dataDir = o.dataDir ?? 'memory://';
  if (dataDir.startsWith('memory://')) {
    const { PGlite } = await import('@electric-sql/pglite');
    return openPglite(await PGlite.create());
  }
  return openPgliteDir(dataDir, o.lockRole ?? 'service');
}

/** An on-disk PGlite, held exclusively by this process until close (see data-dir-lock.ts). */
async function openPgliteDir(dataDir: string, role: string): Promise<DatabaseHandle> {
  const root = path.resolve(dataDir);
  mkdirSync(path.join(root, 'pglite'), { recursive: true });
  const lock = await acquireDataDirLock(root, role);
  let client: PGlite;
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    client = await PGlite.create(path.join(root, 'pglite'));
  } catch (err) {
    await lock.release();
    throw err;
  }
  return openPglite(client, lock);
}

async function openPglite(client: PGlite, lock?: DataDirLock): Promise<DatabaseHandle> {
  const { drizzle: drizzlePglite } = await import('drizzle-orm/pglite');
  markEmbedded(client);
  const db = drizzlePglite(client) as unknown as Database;
  // PGlite lives inside this process and cannot be shared with another one, so an in-process
  // queue gives the same exclusion as PostgreSQL's session advisory lock.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    kind: 'pglite',
    db,
    withExclusiveSession: (_name, fn) => {
      const run = queue.then(() => fn(db));
      queue = run.catch(() => {});
      return run;
    },
    ping: async () => {
      await client.query('select 1');
    },
    listenChanges: async (onChange) => {
      const stop = await client.listen(CHANGE_CHANNEL, (payload) => onChange(payload));
      return async () => stop();
    },
    close: async () => {
      try {
        await client.close();
      } finally {
        // Only once PGlite has flushed and closed may another process open the directory.
        await lock?.release();
      }
    },
  };
}

function openPostgres(url: string, max: number): DatabaseHandle {
  const sql = postgresClient(url, {
    max,
    onnotice: () => {},
    connect_timeout: 10,
    // Fail fast instead of queueing forever while PostgreSQL is down.
    idle_timeout: 60,
  });
  // postgres.js refuses a query once the pool is ending, but not a reservation: that waits for
  // a connection that never comes. A transaction begun after close fails instead.
  let ended = false;
  const db = drizzlePostgres(preparing(sql, () => ended)) as unknown as Database;
  return {
    kind: 'postgres',
    db,
    withExclusiveSession: async (name, fn) => {
      // A one-connection client: the session lock and everything `fn` runs (transactions
      // included) share that connection, which a pooled client cannot promise.
      const single = postgresClient(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
      try {
        const db = drizzlePostgres(single) as unknown as Database;
        await takeSessionLock(db, name);
        return await fn(db);
      } finally {
        await single.end({ timeout: 5 });
      }
    },
    ping: async () => {
      await sql`select 1`;
    },
    listenChanges: async (onChange) => {
      // postgres.js listens on a connection of its own and LISTENs again after reconnecting;
      // notices sent meanwhile are lost, so each (re)connection counts as "everything changed".
      let first = true;
      const { unlisten } = await sql.listen(
        CHANGE_CHANNEL,
        (payload) => onChange(payload),
        () => {
          if (!first) onChange('*');
          first = false;
        },
      );
      return unlisten;
    },
    close: () => {
      ended = true;
      return sql.end({ timeout: 5 });
    },
  };
}

type Sql = ReturnType<typeof postgres>;

/**
 * The client as drizzle sees it, with every parameterised query run as a named prepared
 * statement. drizzle asks postgres.js for `prepare: false` unless a query is given a name, and
 * postgres.js then spends a round trip describing the parameters of every query before running
 * it; prepared, a repeated query is one round trip. Statements are per connection, so pooling is
 * safe; a statement invalidated by a schema change is re-prepared by postgres.js (it retries
 * RevalidateCachedQuery / FetchPreparedStatement errors). Queries without parameters keep the
 * simple protocol. The pool's transactions (`begin`) run on a watched connection
 * (watched-transaction.ts) and hand out wrapped clients too.
 */
function preparing<T extends Sql>(client: T, poolEnded?: () => boolean): T {
  return new Proxy(client, {
    get(target, key, receiver) {
      if (key === 'unsafe') {
        return (query: string, args: unknown[] = [], options: Record<string, unknown> = {}) =>
          target.unsafe(
            query,
            args as never[],
            Array.isArray(args) && args.length > 0 ? { ...options, prepare: true } : options,
          );
      }
      if (key === 'begin' && poolEnded) {
        return async (...args: unknown[]) => {
          if (poolEnded()) throw new Error('the database connection pool has been closed');
          const fn = args[args.length - 1] as (tx: Sql) => Promise<unknown>;
          const options = args.length > 1 ? String(args[0]) : '';
          return watchedTransaction(target, options, fn, (tx) => preparing(tx));
        };
      }
      return Reflect.get(target, key, receiver);
    },
  });
}
