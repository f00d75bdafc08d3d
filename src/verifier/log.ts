// Transparency-log checks for a client (DESIGN.md §11): a signed checkpoint, the consistency of
// a newer checkpoint with one the client kept (rollback / split-view detection), and inclusion of
// a leaf in a checkpoint. RFC 9162 §2.1.3.2 / §2.1.4.2 verification, no TA code trusted.
import { verifyDocument } from '../crypto/signed-document.js';
import { leafHash, verifyConsistency, verifyInclusion } from '../log/merkle.js';
import { EXIT, reject, type Verdict } from './exit-codes.js';
import type { TrustedKeys } from './trusted-keys.js';

export interface LogCheckpoint {
  origin: string;
  tree_size: number;
  root_hash: string;
  timestamp: string;
  issuer_kid: string;
  signature: string;
}

const B64_HASH = /^[A-Za-z0-9+/]{43}=$/;

/** A checkpoint document signed by a trusted key, with a well-formed tree head. */
export function checkCheckpoint(
  doc: unknown,
  keys: TrustedKeys,
  what: string,
): Verdict<LogCheckpoint> {
  const c = doc as Partial<LogCheckpoint> | null;
  if (
    typeof c !== 'object' ||
    c === null ||
    !Number.isSafeInteger(c.tree_size) ||
    (c.tree_size ?? -1) < 0 ||
    typeof c.root_hash !== 'string' ||
    !B64_HASH.test(c.root_hash) ||
    typeof c.origin !== 'string'
  ) {
    return reject(EXIT.logInvalid, 'checkpoint-invalid', `${what} is not a log checkpoint`);
  }
  const sig = verifyDocument(c as Record<string, unknown>, keys.keyFor);
  if (!sig.ok)
    return reject(
      EXIT.logSignature,
      `checkpoint-${sig.reason}`,
      `${what}: signature does not verify with a trusted key (${sig.reason})`,
    );
  return { ok: true, value: c as LogCheckpoint };
}

/** Is `newer` an append-only extension of `older`, as `path` claims? */
export function checkConsistency(
  older: LogCheckpoint,
  newer: LogCheckpoint,
  path: unknown,
): Verdict<void> {
  if (newer.origin !== older.origin)
    return reject(
      EXIT.logInvalid,
      'other-log',
      `the checkpoints are of different logs (${older.origin}, ${newer.origin})`,
    );
  if (newer.tree_size < older.tree_size) {
    return reject(
      EXIT.logRollback,
      'log-rollback',
      `the log's head (size ${newer.tree_size}) is older than the checkpoint kept (size ${older.tree_size})`,
    );
  }
  if (!Array.isArray(path) || !path.every((h) => typeof h === 'string' && B64_HASH.test(h)))
    return reject(
      EXIT.logInvalid,
      'proof-invalid',
      'consistency_path is not a list of base64 hashes',
    );
  const ok = verifyConsistency(
    older.tree_size,
    newer.tree_size,
    Buffer.from(older.root_hash, 'base64'),
    Buffer.from(newer.root_hash, 'base64'),
    path.map((h: string) => Buffer.from(h, 'base64')),
  );
  if (!ok) {
    return reject(
      EXIT.logInconsistent,
      'log-inconsistent',
      `the log at size ${newer.tree_size} does not extend the checkpoint kept at size ${older.tree_size}: history rewritten or a split view`,
    );
  }
  return { ok: true, value: undefined };
}

/** Is the leaf (its bytes) at `leafIndex` in the tree of `checkpoint`, as `auditPath` claims? */
export function checkInclusion(
  checkpoint: LogCheckpoint,
  leaf: Uint8Array,
  leafIndex: number,
  auditPath: unknown,
): Verdict<void> {
  if (
    !Array.isArray(auditPath) ||
    !auditPath.every((h) => typeof h === 'string' && B64_HASH.test(h))
  )
    return reject(EXIT.logInvalid, 'proof-invalid', 'audit_path is not a list of base64 hashes');
  const ok = verifyInclusion(
    leafIndex,
    checkpoint.tree_size,
    leafHash(leaf),
    auditPath.map((h: string) => Buffer.from(h, 'base64')),
    Buffer.from(checkpoint.root_hash, 'base64'),
  );
  if (!ok)
    return reject(
      EXIT.logInconsistent,
      'not-included',
      `leaf ${leafIndex} is not in the log at size ${checkpoint.tree_size}`,
    );
  return { ok: true, value: undefined };
}
