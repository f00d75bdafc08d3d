// Checks the log: every event row against the leaf hash the tree holds for its seq, the tree
// against the roots the log signed, and names the first seq that does not fit.
import type { KeyObject } from 'node:crypto';
import { verifyDocument } from '../crypto/signed-document.js';
import { appendLeaf, frontierRoot, leafHash, type FrontierNode } from '../log/merkle.js';
import { loadFrontier } from '../log/sequence.js';
import type { LogStore } from '../log/store.js';
import type { Persistence } from '../stores.js';
import { eventLeaf } from './event.js';

export type VerificationFailure =
  /** The row's bytes no longer hash to the leaf stored for its seq (changed or swapped row). */
  | 'hash-mismatch'
  /** No row has this seq (deleted). */
  | 'sequence-gap'
  /** The rows recompute to a root that differs from one the log signed (rows and leaves rewritten). */
  | 'checkpoint-mismatch'
  /** A stored checkpoint's signature does not verify. */
  | 'bad-checkpoint-signature'
  /** The stored interior nodes do not match the leaves (proofs would be wrong). */
  | 'tree-mismatch';

export interface ChainVerification {
  ok: boolean;
  /** How many events were checked. */
  checked: number;
  /** Sequence number of the newest leaf (0 for an empty log) = tree size. */
  head_seq: number;
  /** Hex root hash of the tree recomputed from the rows. */
  head_hash: string;
  /** How many signed checkpoints were compared with the recomputed roots. */
  checkpoints_checked: number;
  /** The first sequence number whose event is altered, missing or out of place. */
  first_broken_seq: number | null;
  reason: VerificationFailure | null;
}

/**
 * Recomputes every leaf from its row, in pages from seq 1, and the root at each signed size.
 * `keyFor` resolves checkpoint signing keys (retired keys may be unknown: then only roots are compared).
 */
export async function verifyAuditLog(
  log: LogStore,
  keyFor: (kid: string) => KeyObject | undefined,
  pageSize = 2000,
): Promise<ChainVerification> {
  const size = await log.treeSize();
  const checkpoints = await log.checkpoints(size);
  let next = 0;
  const frontier: FrontierNode[] = [];
  let checkpointsChecked = 0;
  const fail = (seq: number, reason: VerificationFailure): ChainVerification => ({
    ok: false,
    checked: seq - 1,
    head_seq: size,
    head_hash: '',
    checkpoints_checked: checkpointsChecked,
    first_broken_seq: seq,
    reason,
  });
  // The first seq after the previous checkpoint: where a checkpoint mismatch can start.
  let lastGood = 0;
  const checkCheckpoints = (upTo: number): ChainVerification | null => {
    while (next < checkpoints.length && checkpoints[next]!.treeSize <= upTo) {
      const c = checkpoints[next]!;
      next += 1;
      const sig = verifyDocument(c.document, keyFor);
      if (!sig.ok && sig.reason !== 'unknown-kid')
        return fail(lastGood + 1, 'bad-checkpoint-signature');
      if (c.treeSize === 0) continue;
      if (
        !frontierRoot(frontier).equals(c.rootHash) ||
        c.document.root_hash !== c.rootHash.toString('base64')
      ) {
        return fail(lastGood + 1, 'checkpoint-mismatch');
      }
      lastGood = c.treeSize;
      checkpointsChecked += 1;
    }
    return null;
  };
  for (let start = 1; start <= size; start += pageSize) {
    const end = Math.min(size, start + pageSize - 1);
    const [rows, leaves] = await Promise.all([
      log.events(start, end),
      log.levelHashes(0, start - 1, end),
    ]);
    let r = 0;
    for (let seq = start; seq <= end; seq += 1) {
      const row = rows[r];
      if (!row || row.seq !== seq) return fail(seq, 'sequence-gap');
      r += 1;
      const leaf = leafHash(eventLeaf(row));
      const stored = leaves[seq - start];
      if (!stored || !stored.equals(leaf)) return fail(seq, 'hash-mismatch');
      appendLeaf(frontier, seq - 1, leaf);
      const bad = checkCheckpoints(seq);
      if (bad) return bad;
    }
  }
  const root = frontierRoot(frontier);
  if (size > 0 && !frontierRoot(await loadFrontier(log, size)).equals(root))
    return fail(lastGood + 1, 'tree-mismatch');
  return {
    ok: true,
    checked: size,
    head_seq: size,
    head_hash: root.toString('hex'),
    checkpoints_checked: checkpointsChecked,
    first_broken_seq: null,
    reason: null,
  };
}

/** verifyAuditLog over the service's log (the API's and the admin UI's chain check). */
export function verifyStoredAuditLog(
  p: Pick<Persistence, 'stores'>,
  keyFor: (kid: string) => KeyObject | undefined,
): Promise<ChainVerification> {
  return verifyAuditLog(p.stores.log, keyFor);
}
