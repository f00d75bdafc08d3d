// The audit log (DESIGN.md §8, §11). A state change inserts its event in its own transaction with
// no sequence number (the unsequenced queue: `seq is null`); the log sequencer
// (src/log/sequencer.ts) later gives committed events gapless `seq` values and appends them as
// leaves of the Merkle tree (log_tree_nodes). prev_hash/hash, the old hash chain, are still filled
// at sequencing time and kept for the events that predate the tree.
import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { at } from './columns.js';

export const auditEvents = pgTable(
  'audit_events',
  {
    /** Insertion id: identifies an event before it has a seq; not gapless, not the log order. */
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** Position in the log (leaf index + 1); null while the event waits to be sequenced. */
    seq: bigint('seq', { mode: 'number' }),
    occurredAt: at('occurred_at').notNull(),
    actor: text('actor').notNull(),
    /** The publisher of the actor's token, if any (the event document's actor.publisher_id). */
    actorPublisherId: text('actor_publisher_id'),
    action: text('action').notNull(),
    subject: text('subject').notNull(),
    /** success | refused */
    outcome: text('outcome').notNull().default('success'),
    requestId: text('request_id'),
    sourceAddress: text('source_address'),
    data: jsonb('data').notNull(),
    prevHash: text('prev_hash'),
    hash: text('hash'),
  },
  (t) => [
    uniqueIndex('audit_events_seq_idx').on(t.seq),
    index('audit_events_unsequenced_idx')
      .on(t.id)
      .where(sql`${t.seq} is null`),
  ],
);
