// drizzle implementation of AuditStore.
import { asc, desc, gt } from 'drizzle-orm';
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
  };
}
