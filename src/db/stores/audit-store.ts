// drizzle implementation of AuditStore.
import { and, asc, desc, eq, gt, lt, type SQL } from 'drizzle-orm';
import type { AuditEvent } from '../../audit/event.js';
import type { AuditStore } from '../../audit/store.js';
import type { Database } from '../client.js';
import { auditEvents } from '../schema/index.js';

type Row = typeof auditEvents.$inferSelect;

const toEvent = (r: Row): AuditEvent => ({ ...r, data: r.data as Record<string, unknown> });

export function auditStore(db: Database): AuditStore {
  return {
    last: async () => {
      const [row] = await db.select().from(auditEvents).orderBy(desc(auditEvents.seq)).limit(1);
      return row ? toEvent(row) : undefined;
    },
    insert: async (e) => {
      await db.insert(auditEvents).values(e);
    },
    listAfter: async (after, limit) =>
      (await db.select().from(auditEvents).where(gt(auditEvents.seq, after)).orderBy(asc(auditEvents.seq)).limit(limit)).map(
        toEvent,
      ),
    listNewest: async ({ before, limit, actor, action, subject }) => {
      const where: SQL[] = [];
      if (before !== undefined) where.push(lt(auditEvents.seq, before));
      if (actor) where.push(eq(auditEvents.actor, actor));
      if (action) where.push(eq(auditEvents.action, action));
      if (subject) where.push(eq(auditEvents.subject, subject));
      const rows = await db
        .select()
        .from(auditEvents)
        .where(where.length ? and(...where) : undefined)
        .orderBy(desc(auditEvents.seq))
        .limit(limit);
      return rows.map(toEvent);
    },
  };
}
