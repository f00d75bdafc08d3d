// The transparency log's Merkle tree (RFC 9162 §2.1) and its signed checkpoints (DESIGN.md §11).
// log_tree_nodes holds the hash of every complete subtree: level 0 are the leaf hashes, a node
// at (level, idx) covers leaves [idx·2^level, (idx+1)·2^level). Any proof for any tree size is
// assembled from these. Written only by the sequencer holding the sequencer lock.
import {
  bigint,
  customType,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  jsonb,
} from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => Buffer.from(value),
  toDriver: (value) => value,
});

export const logTreeNodes = pgTable(
  'log_tree_nodes',
  {
    level: smallint('level').notNull(),
    idx: bigint('idx', { mode: 'number' }).notNull(),
    hash: bytea('hash').notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.idx] })],
);

/** One signed checkpoint per tree size: the primary key is the compare-and-swap. */
export const logCheckpoints = pgTable('log_checkpoints', {
  treeSize: bigint('tree_size', { mode: 'number' }).primaryKey(),
  rootHash: bytea('root_hash').notNull(),
  signedAt: timestamp('signed_at', { withTimezone: true, mode: 'date' }).notNull(),
  /** The signed JSON checkpoint as served (signed-document scheme, DESIGN.md §4). */
  document: jsonb('document').notNull(),
  /** The C2SP tlog-checkpoint signed note, when a log key signed one. */
  note: text('note'),
});
