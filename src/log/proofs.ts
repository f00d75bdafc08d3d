// Inclusion and consistency proofs (RFC 9162 §2.1.3, §2.1.4) assembled from the stored nodes.
import { InvalidRequestError, NotFoundError } from '../errors.js';
import {
  consistencyPath,
  inclusionPath,
  recordingSource,
  rangeHash,
  type NodeSource,
} from './merkle.js';
import type { LogStore } from './store.js';

/** Runs `compute` once to learn which nodes it reads, fetches them, then runs it for real. */
async function withNodes<T>(log: LogStore, compute: (nodes: NodeSource) => T): Promise<T> {
  const rec = recordingSource();
  compute(rec.source);
  const found = await log.nodes(rec.keys);
  return compute((level, index) => {
    const hash = found.get(`${level}:${index}`);
    if (!hash) throw new Error(`log tree node ${level}:${index} is missing`);
    return hash;
  });
}

async function requireSize(log: LogStore, size: number, field: string): Promise<void> {
  const current = await log.treeSize();
  if (size > current) throw InvalidRequestError.field(field, `the log has ${current} leaves`);
}

export interface InclusionProof {
  leaf_index: number;
  tree_size: number;
  audit_path: Buffer[];
}

/** The audit path of the event `seq` (leaf index seq − 1) in the tree of `treeSize` leaves. */
export async function proveInclusion(
  log: LogStore,
  seq: number,
  treeSize: number,
): Promise<InclusionProof> {
  if (seq > treeSize) throw InvalidRequestError.field('query.seq', 'must not exceed tree_size');
  await requireSize(log, treeSize, 'query.tree_size');
  const audit_path = await withNodes(log, (nodes) => inclusionPath(nodes, seq - 1, treeSize));
  return { leaf_index: seq - 1, tree_size: treeSize, audit_path };
}

/** The consistency path from the tree of `first` leaves to the tree of `second`. */
export async function proveConsistency(
  log: LogStore,
  first: number,
  second: number,
): Promise<Buffer[]> {
  if (first > second) throw InvalidRequestError.field('query.first', 'must not exceed second');
  await requireSize(log, second, 'query.second');
  return withNodes(log, (nodes) => consistencyPath(nodes, first, second));
}

/** MTH of the first `size` leaves, from the stored nodes. */
export async function rootAt(log: LogStore, size: number): Promise<Buffer> {
  return withNodes(log, (nodes) => rangeHash(nodes, 0, size));
}

/** The checkpoint the log signed for `size`, or 404. */
export async function checkpointFor(log: LogStore, size?: number) {
  const c = size === undefined ? await log.latestCheckpoint() : await log.checkpoint(size);
  if (!c)
    throw new NotFoundError(
      size === undefined
        ? 'the log has no checkpoint yet'
        : `no checkpoint was signed for tree size ${size}`,
    );
  return c;
}
