// drizzle implementation of AuditStore. Readers see sequenced events only (seq is not null).
import { and, asc, desc, eq, gt, gte, isNotNull, lt, sql, type SQL } from 'drizzle-orm';
import type { AuditEvent, AuditOutcome } from '../../audit/event.js';
import type { AuditStore } from '../../audit/store.js';
import type { Database } from '../client.js';
import { preparedOnce } from '../prepared.js';
import { auditEvents } from '../schema/index.js';

type Row = typeof auditEvents.$inferSelect;

/** A row's fields as written at the state change, before the sequencer numbers it. */
export const toQueued = (r: Row) => ({
  id: r.id,
  occurredAt: r.occurredAt,
  actor: r.actor,
  actorPublisherId: r.actorPublisherId,
  action: r.action,
  subject: r.subject,
  outcome: r.outcome as AuditOutcome,
  requestId: r.requestId,
  sourceAddress: r.sourceAddress,
  data: r.data as Record<string, unknown>,
});

/** A sequenced row as the domain's event (seq, prev_hash and hash are set once sequenced). */
export const toEvent = (r: Row): AuditEvent => ({
  ...toQueued(r),
  seq: r.seq!,
  prevHash: r.prevHash!,
  hash: r.hash!,
});

const ph = sql.placeholder;
/** The insert of every state change's event, prepared once (src/db/prepared.ts). */
const enqueueQuery = preparedOnce((db) =>
  db
    .insert(auditEvents)
    .values({
      occurredAt: ph('occurredAt'),
      actor: ph('actor'),
      actorPublisherId: ph('actorPublisherId'),
      action: ph('action'),
      subject: ph('subject'),
      outcome: ph('outcome'),
      requestId: ph('requestId'),
      sourceAddress: ph('sourceAddress'),
      data: ph('data'),
    })
    .returning({ id: auditEvents.id })
    .prepare('audit_enqueue'),
);

export function auditStore(db: Database): AuditStore {
  return {
    last: async () => {
      const [row] = await db
        .select()
        .from(auditEvents)
        .where(isNotNull(auditEvents.seq))
        .orderBy(desc(auditEvents.seq))
        .limit(1);
      return row ? toEvent(row) : undefined;
    },
    enqueue: async (e) => {
      const [row] = await enqueueQuery(db).execute({
        occurredAt: e.occurredAt,
        actor: e.actor,
        actorPublisherId: e.actorPublisherId ?? null,
        action: e.action,
        subject: e.subject,
        outcome: e.outcome,
        requestId: e.requestId ?? null,
        sourceAddress: e.sourceAddress ?? null,
        data: e.data,
      });
      return row!.id;
    },
    listAfter: async (after, limit, o = {}) => {
      const where: SQL[] = [gt(auditEvents.seq, after)];
      // TODO: no index on data->>'publisher_id' yet; a publisher's page scans the log after `after`.
      if (o.publisherId !== undefined)
        where.push(sql`${auditEvents.data}->>'publisher_id' = ${o.publisherId}`);
      return (
        await db
          .select()
          .from(auditEvents)
          .where(and(...where))
          .orderBy(asc(auditEvents.seq))
          .limit(limit)
      ).map(toEvent);
    },
    listNewest: async ({ before, limit, actor, action, subject, since, until, outcome }) => {
      const where: SQL[] = [isNotNull(auditEvents.seq)];
      if (before !== undefined) where.push(lt(auditEvents.seq, before));
      if (actor) where.push(eq(auditEvents.actor, actor));
      if (action) where.push(eq(auditEvents.action, action));
      if (subject) where.push(eq(auditEvents.subject, subject));
      if (since) where.push(gte(auditEvents.occurredAt, since));
      if (until) where.push(lt(auditEvents.occurredAt, until));
      if (outcome)
        where.push(sql`coalesce(${auditEvents.data}->>'outcome', 'success') = ${outcome}`);
      const rows = await db
        .select()
        .from(auditEvents)
        .where(and(...where))
        .orderBy(desc(auditEvents.seq))
        .limit(limit);
      return rows.map(toEvent);
    },
  };
}
