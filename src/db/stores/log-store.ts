// drizzle implementation of LogStore (src/log/store.ts).
import { and, asc, between, desc, eq, gte, isNull, lt, lte, max, sql } from 'drizzle-orm';
import type { LogStore, StoredCheckpoint } from '../../log/store.js';
import type { Database } from '../client.js';
import type { TransactionLocks } from '../advisory-locks.js';
import { auditEvents, logCheckpoints, logTreeNodes } from '../schema/index.js';
import { toEvent, toQueued } from './audit-store.js';

const toCheckpoint = (r: typeof logCheckpoints.$inferSelect): StoredCheckpoint => ({
  treeSize: r.treeSize,
  rootHash: r.rootHash,
  signedAt: r.signedAt,
  document: r.document as Record<string, unknown>,
  note: r.note,
});

/** Rows per multi-row statement (well under PostgreSQL's 65,535 parameters). */
const CHUNK = 1000;

/** `locks`: those of the transaction `db` is (the sequencer lock is one of them). */
export function logStore(db: Database, locks: TransactionLocks): LogStore {
  const checkpointAt = async (size: number) => {
    const [row] = await db.select().from(logCheckpoints).where(eq(logCheckpoints.treeSize, size));
    return row ? toCheckpoint(row) : undefined;
  };
  return {
    tryLock: () => locks.tryAcquire('log-sequencer'),
    lock: () => locks.acquire('log-sequencer'),
    treeSize: async () => {
      const [row] = await db
        .select({ idx: max(logTreeNodes.idx) })
        .from(logTreeNodes)
        .where(eq(logTreeNodes.level, 0));
      return row?.idx == null ? 0 : Number(row.idx) + 1;
    },
    maxSeq: async () => {
      const [row] = await db.select({ seq: max(auditEvents.seq) }).from(auditEvents);
      return row?.seq == null ? 0 : Number(row.seq);
    },
    nodes: async (keys) => {
      const out = new Map<string, Buffer>();
      for (let i = 0; i < keys.length; i += CHUNK) {
        const part = keys.slice(i, i + CHUNK);
        const pairs = sql.join(
          part.map(([l, x]) => sql`(${l}::smallint, ${x}::bigint)`),
          sql`, `,
        );
        const rows = await db
          .select()
          .from(logTreeNodes)
          .where(sql`(${logTreeNodes.level}, ${logTreeNodes.idx}) in (${pairs})`);
        for (const r of rows) out.set(`${r.level}:${r.idx}`, r.hash);
      }
      return out;
    },
    levelHashes: async (level, start, end) => {
      if (end <= start) return [];
      const rows = await db
        .select({ idx: logTreeNodes.idx, hash: logTreeNodes.hash })
        .from(logTreeNodes)
        .where(
          and(
            eq(logTreeNodes.level, level),
            gte(logTreeNodes.idx, start),
            lt(logTreeNodes.idx, end),
          ),
        )
        .orderBy(asc(logTreeNodes.idx));
      return rows.map((r) => r.hash);
    },
    putNodes: async (nodes) => {
      for (let i = 0; i < nodes.length; i += CHUNK) {
        const part = nodes.slice(i, i + CHUNK);
        // A plain insert: a node that already exists means two sequencers, and must abort.
        await db
          .insert(logTreeNodes)
          .values(part.map((n) => ({ level: n.level, idx: n.index, hash: n.hash })));
      }
    },
    unsequenced: async (limit, id) => {
      const rows = await db
        .select()
        .from(auditEvents)
        .where(
          id === undefined
            ? isNull(auditEvents.seq)
            : and(isNull(auditEvents.seq), eq(auditEvents.id, id)),
        )
        .orderBy(asc(auditEvents.id))
        .limit(limit);
      return rows.map(toQueued);
    },
    assign: async (rows) => {
      for (let i = 0; i < rows.length; i += CHUNK) {
        const part = rows.slice(i, i + CHUNK);
        const values = sql.join(
          part.map(
            (r) => sql`(${r.id}::bigint, ${r.seq}::bigint, ${r.prevHash}::text, ${r.hash}::text)`,
          ),
          sql`, `,
        );
        await db.execute(sql`
          update audit_events as a set seq = v.seq, prev_hash = v.prev_hash, hash = v.hash
          from (values ${values}) as v (id, seq, prev_hash, hash)
          where a.id = v.id and a.seq is null`);
      }
    },
    newestUnsequencedId: async () => {
      const [row] = await db
        .select({ id: max(auditEvents.id) })
        .from(auditEvents)
        .where(isNull(auditEvents.seq));
      return row?.id == null ? null : Number(row.id);
    },
    unsequencedCount: async () => {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(auditEvents)
        .where(isNull(auditEvents.seq));
      return Number(row?.n ?? 0);
    },
    hasUnsequencedUpTo: async (id) => {
      const [row] = await db
        .select({ id: auditEvents.id })
        .from(auditEvents)
        .where(and(isNull(auditEvents.seq), lte(auditEvents.id, id)))
        .limit(1);
      return row !== undefined;
    },
    seqOf: async (id) => {
      const [row] = await db
        .select({ seq: auditEvents.seq })
        .from(auditEvents)
        .where(eq(auditEvents.id, id));
      return row === undefined ? undefined : (row.seq ?? null);
    },
    latestCheckpoint: async () => {
      const [row] = await db
        .select()
        .from(logCheckpoints)
        .orderBy(desc(logCheckpoints.treeSize))
        .limit(1);
      return row ? toCheckpoint(row) : undefined;
    },
    checkpoint: checkpointAt,
    checkpoints: async (maxSize) =>
      (
        await db
          .select()
          .from(logCheckpoints)
          .where(lte(logCheckpoints.treeSize, maxSize))
          .orderBy(asc(logCheckpoints.treeSize))
      ).map(toCheckpoint),
    putCheckpoint: async (c) => {
      await db
        .insert(logCheckpoints)
        .values(c)
        .onConflictDoNothing({ target: logCheckpoints.treeSize });
      return (await checkpointAt(c.treeSize))!;
    },
    events: async (from, to) =>
      (
        await db
          .select()
          .from(auditEvents)
          .where(between(auditEvents.seq, from, to))
          .orderBy(asc(auditEvents.seq))
      ).map(toEvent),
  };
}
