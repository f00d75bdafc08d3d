// Storage port of the transparency log: tree nodes, the unsequenced queue as the sequencer sees
// it, and signed checkpoints. Implemented in src/db/stores/log-store.ts.
import type { AuditEvent, QueuedAuditEvent } from '../audit/event.js';

export interface TreeNode {
  level: number;
  index: number;
  hash: Buffer;
}

/** A committed event that has no seq yet. */
export interface UnsequencedEvent extends QueuedAuditEvent {
  id: number;
}

/** A checkpoint as stored: the signed JSON document and, with a log key, the signed note. */
export interface StoredCheckpoint {
  treeSize: number;
  rootHash: Buffer;
  signedAt: Date;
  document: Record<string, unknown>;
  note: string | null;
}

/** What the sequencer writes for each event it sequences. */
export interface SeqAssignment {
  id: number;
  seq: number;
  prevHash: string;
  hash: string;
}

export interface LogStore {
  /** Takes the sequencer lock for this transaction if free; false if another holds it. */
  tryLock(): Promise<boolean>;
  /** Waits for the sequencer lock; held until this transaction ends. */
  lock(): Promise<void>;
  /** Number of leaves in the tree. */
  treeSize(): Promise<number>;
  /** Highest seq given to any event (0 for none); above treeSize only for events older than the tree. */
  maxSeq(): Promise<number>;
  /** Hashes of complete subtrees, keyed `level:index`; absent keys are missing nodes. */
  nodes(keys: Array<[number, number]>): Promise<Map<string, Buffer>>;
  /**
   * Hashes of the complete subtrees at `level` (0: leaf hashes; level k: subtrees of 2^k leaves)
   * with indices [start, end), ascending; only those stored.
   */
  levelHashes(level: number, start: number, end: number): Promise<Buffer[]>;
  putNodes(nodes: TreeNode[]): Promise<void>;
  /** Committed events without seq, lowest insertion id first; with `id`, only that event. */
  unsequenced(limit: number, id?: number): Promise<UnsequencedEvent[]>;
  assign(rows: SeqAssignment[]): Promise<void>;
  /** Highest insertion id of committed unsequenced events, or null when none wait. */
  newestUnsequencedId(): Promise<number | null>;
  /** How many committed events wait to be sequenced. */
  unsequencedCount(): Promise<number>;
  /** Is any event with insertion id ≤ `id` still unsequenced? */
  hasUnsequencedUpTo(id: number): Promise<boolean>;
  /** The seq of the event with insertion id `id`: null while unsequenced, undefined if none. */
  seqOf(id: number): Promise<number | null | undefined>;
  latestCheckpoint(): Promise<StoredCheckpoint | undefined>;
  checkpoint(treeSize: number): Promise<StoredCheckpoint | undefined>;
  /** Every checkpoint with treeSize ≤ `maxSize`, ascending. */
  checkpoints(maxSize: number): Promise<StoredCheckpoint[]>;
  /**
   * Compare-and-swap publication: stores `c` unless a checkpoint of that size exists, and returns
   * what is stored for that size afterwards (the caller checks it has the same root).
   */
  putCheckpoint(c: StoredCheckpoint): Promise<StoredCheckpoint>;
  /** Sequenced events with seq in [from, to], ascending (the leaves). */
  events(from: number, to: number): Promise<AuditEvent[]>;
}
