// Signed checkpoints of the log (DESIGN.md §11): a JSON document in the signed-document scheme
// of §4, and the same tree head as a C2SP tlog-checkpoint signed note signed by the Ed25519 log
// key (https://c2sp.org/tlog-checkpoint, https://c2sp.org/signed-note).
import { createHash, sign, type KeyObject } from 'node:crypto';
import { signDocument } from '../crypto/signed-document.js';
import type { P256Signer } from '../crypto/signer.js';
import type { StoredCheckpoint } from './store.js';

/** The Ed25519 log key: its note key name and the raw 32-byte public key. */
export interface LogNoteSigner {
  /** The signed-note key name (the log's origin). */
  name: string;
  publicKey: Buffer;
  privateKey: KeyObject;
}

export interface CheckpointSigners {
  origin: string;
  document: P256Signer;
  /** Absent: only the JSON checkpoint is signed. */
  note?: LogNoteSigner;
}

/**
 * The signed-note key name for a log origin. C2SP signed-note key names must not contain
 * whitespace or `+` (standard verifiers such as Go's sumdb/note refuse them), while a TA name —
 * and so the origin line — may ("Example Trust Authority/log"): each run of them becomes `_`.
 * Compliant names are unchanged.
 */
export function noteKeyName(origin: string): string {
  return origin.replace(/[\s+]+/gu, '_');
}

/** C2SP signed-note key ID: first 4 bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ Ed25519 public key). */
export function noteKeyId(name: string, publicKey: Buffer): Buffer {
  return createHash('sha256')
    .update(Buffer.from(`${noteKeyName(name)}\n`, 'utf8'))
    .update(Buffer.of(0x01))
    .update(publicKey)
    .digest()
    .subarray(0, 4);
}

/** The C2SP verifier key string `<name>+<hex key id>+<base64(0x01 ‖ key)>`. */
export function noteVerifierKey(name: string, publicKey: Buffer): string {
  return `${noteKeyName(name)}+${noteKeyId(name, publicKey).toString('hex')}+${Buffer.concat([Buffer.of(0x01), publicKey]).toString('base64')}`;
}

/** The checkpoint body: origin, tree size, base64 root hash, each on its own line. */
export function checkpointNoteBody(origin: string, treeSize: number, rootHash: Buffer): string {
  return `${origin}\n${treeSize}\n${rootHash.toString('base64')}\n`;
}

/** Signs the tree head both ways; the result is what putCheckpoint stores. */
export function signCheckpoint(
  signers: CheckpointSigners,
  treeSize: number,
  rootHash: Buffer,
  now: Date,
): StoredCheckpoint {
  const document = signDocument(
    {
      origin: signers.origin,
      tree_size: treeSize,
      root_hash: rootHash.toString('base64'),
      timestamp: now.toISOString(),
    },
    signers.document,
  );
  let note: string | null = null;
  if (signers.note) {
    const body = checkpointNoteBody(signers.origin, treeSize, rootHash);
    const signature = sign(null, Buffer.from(body, 'utf8'), signers.note.privateKey);
    const blob = Buffer.concat([
      noteKeyId(signers.note.name, signers.note.publicKey),
      signature,
    ]).toString('base64');
    note = `${body}\n\u2014 ${noteKeyName(signers.note.name)} ${blob}\n`;
  }
  return { treeSize, rootHash, signedAt: now, document, note };
}
