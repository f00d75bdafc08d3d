// Keyset pagination for lists ordered newest first by (time, id): the rows after a page's last.
import { and, eq, lt, or, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

/** Rows older than `before` in the order (time desc, id desc). */
export function olderThan(time: PgColumn, id: PgColumn, before: { at: Date; id: string }): SQL {
  return or(lt(time, before.at), and(eq(time, before.at), lt(id, before.id)))!;
}
