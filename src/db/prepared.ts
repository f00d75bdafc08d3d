// drizzle prepared queries built once per process and run on any handle — the root database or
// a transaction. Building a query is drizzle's costly part (measured on PostgreSQL: ~400 µs of
// CPU to build and run an audit-event insert, ~175 µs to run it prepared; a token lookup ~300
// against ~130 µs), and the stores of every transaction would build theirs again.
//
// drizzle binds a prepared query to the client it was prepared on, and a transaction differs
// from the root database only in that client: a query prepared once is run inside a
// transaction as a view of it with the transaction's client. This relies on drizzle's sessions
// and prepared queries holding that client as `client` (drizzle-orm 0.45, postgres.js and
// PGlite drivers); test/unit/db/prepared.test.ts fails if that ever changes.
import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Database } from './client.js';

interface HoldsClient {
  client: object;
}

function sessionOf(db: Database): HoldsClient {
  const session = (db as unknown as { session?: Partial<HoldsClient> }).session;
  if (!session?.client)
    throw new Error('drizzle session without a client: preparedOnce cannot run');
  return session as HoldsClient;
}

/**
 * `build` prepares a query (placeholders for every value) on the handle it is given; the result
 * runs it on `db`. `build` runs once per driver (a test process may hold PGlite and PostgreSQL
 * handles at once, whose prepared queries differ): keep it free of per-call values.
 */
export function preparedOnce<Q extends object>(build: (db: Database) => Q): (db: Database) => Q {
  const templates = new Map<unknown, Q & HoldsClient>();
  return (db) => {
    const session = sessionOf(db);
    const driver = Object.getPrototypeOf(session) as unknown;
    let template = templates.get(driver);
    if (!template) {
      template = build(db) as Q & HoldsClient;
      if (!template.client) throw new Error('drizzle prepared query without a client');
      templates.set(driver, template);
    }
    if (template.client === session.client) return template;
    return Object.create(template, { client: { value: session.client } }) as Q;
  };
}

/**
 * A placeholder for every column of `table` (named by its TypeScript key), for a prepared insert
 * of whole rows; run it with `rowValues`. The placeholders are raw — drizzle would run a
 * column's encoder even on null (a null timestamp then throws), where its query builder sends
 * null as is — so rowValues encodes each value the way the builder does.
 */
export function columnPlaceholders<T extends PgTable>(
  table: T,
): { [K in keyof T['$inferInsert']]-?: SQL } {
  return Object.fromEntries(
    Object.keys(getTableColumns(table)).map((k) => [k, sql`${sql.placeholder(k)}`]),
  ) as { [K in keyof T['$inferInsert']]-?: SQL };
}

/** `row`'s value for every column of `table`, encoded as drizzle's builder would (absent → null). */
export function rowValues<T extends PgTable>(table: T, row: object): Record<string, unknown> {
  const r = row as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(getTableColumns(table)).map(([k, column]) => {
      const v = r[k];
      return [k, v === undefined || v === null ? null : column.mapToDriverValue(v)];
    }),
  );
}
