// One sequencing step, inside a transaction that holds the sequencer lock: committed
// unsequenced events get the next seq values (gapless: nobody else assigns seq while the lock is
// held) and are appended as RFC 9162 leaves; every complete subtree they close is stored.
import { computeEventHash, eventLeaf, GENESIS_HASH, type AuditEvent } from '../audit/event.js';
import type { AuditStore } from '../audit/store.js';
import { appendLeaf, frontierKeys, frontierRoot, leafHash, type FrontierNode } from './merkle.js';
import type { LogStore, TreeNode } from './store.js';

export type SequencingStores = { audit: AuditStore; log: LogStore };

export interface SequencedBatch {
  /** Events appended as leaves by this step. */
  appended: AuditEvent[];
  treeSize: number;
  rootHash: Buffer;
}

/** The right edge of the tree of `size`, read from the stored nodes. */
export async function loadFrontier(log: LogStore, size: number): Promise<FrontierNode[]> {
  const keys = frontierKeys(size);
  const found = await log.nodes(keys);
  return keys.map(([level, index]) => {
    const hash = found.get(`${level}:${index}`);
    if (!hash) throw new Error(`log tree node ${level}:${index} is missing`);
    return { level, hash };
  });
}

/**
 * Appends up to `limit` events (only event `onlyId` when given). Events that were sequenced
 * before the tree existed (the old hash chain) are appended first, in seq order.
 */
export async function sequenceStep(
  s: SequencingStores,
  o: { limit: number; onlyId?: number },
): Promise<SequencedBatch> {
  const size = await s.log.treeSize();
  const frontier = await loadFrontier(s.log, size);
  const maxSeq = await s.log.maxSeq();
  let events: AuditEvent[];
  if (maxSeq > size) {
    // Migration: chained events that predate the tree become its first leaves, as they are.
    events = await s.log.events(size + 1, Math.min(maxSeq, size + o.limit));
    events.forEach((e, i) => {
      if (e.seq !== size + 1 + i)
        throw new Error(`audit seq ${size + 1 + i} is missing; the log cannot be extended`);
    });
  } else {
    const pending = await s.log.unsequenced(o.limit, o.onlyId);
    let prevHash = (await s.audit.last())?.hash ?? GENESIS_HASH;
    events = pending.map((p, i) => {
      const partial = { ...p, seq: size + 1 + i, prevHash };
      const e: AuditEvent = { ...partial, hash: computeEventHash(partial) };
      prevHash = e.hash;
      return e;
    });
    if (events.length > 0)
      await s.log.assign(
        events.map(({ id, seq, prevHash, hash }) => ({ id, seq, prevHash, hash })),
      );
  }
  const nodes: TreeNode[] = [];
  events.forEach((e, i) => nodes.push(...appendLeaf(frontier, size + i, leafHash(eventLeaf(e)))));
  if (nodes.length > 0) await s.log.putNodes(nodes);
  return { appended: events, treeSize: size + events.length, rootHash: frontierRoot(frontier) };
}

/**
 * Sequences every committed event now, without signing a checkpoint (for the CLI, which holds no
 * signing keys; a service signs the next checkpoint). Skips quietly if a sequencer holds the lock.
 */
export async function sequencePending(p: {
  transact: <T>(fn: (s: SequencingStores & { log: LogStore }) => Promise<T>) => Promise<T>;
}): Promise<void> {
  for (;;) {
    const appended = await p.transact(async (s) =>
      (await s.log.tryLock()) ? (await sequenceStep(s, { limit: 500 })).appended.length : 0,
    );
    if (appended < 500) return;
  }
}
