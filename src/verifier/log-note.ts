// A checkpoint as a C2SP signed note (https://c2sp.org/signed-note, https://c2sp.org/tlog-checkpoint)
// checked against the log keys the trust anchors list (`log_keys[].note_key`, the standard
// verifier key string `<name>+<hex key id>+<base64(0x01 ‖ Ed25519 key)>`).
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { AnchorsDocument } from '../keys/anchors.js';
import { EXIT, reject, type Verdict } from './exit-codes.js';
import type { LogCheckpoint } from './log.js';

/** A parsed note verifier key. */
export interface NoteVerifier {
  name: string;
  keyId: Buffer;
  key: KeyObject;
}

/** Parses `<name>+<hex id>+<base64(0x01 ‖ key)>`; undefined unless the id matches the key. */
export function parseNoteVerifierKey(text: string): NoteVerifier | undefined {
  const m = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]+=*)$/.exec(text);
  if (!m) return undefined;
  const raw = Buffer.from(m[3]!, 'base64');
  if (raw.length !== 33 || raw[0] !== 0x01) return undefined;
  const keyId = createHash('sha256')
    .update(`${m[1]!}\n`, 'utf8')
    .update(raw)
    .digest()
    .subarray(0, 4);
  if (keyId.toString('hex') !== m[2]) return undefined;
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: raw.subarray(1).toString('base64url') },
    format: 'jwk',
  });
  return { name: m[1]!, keyId, key };
}

/** The log's note verifiers from verified trust anchors (active and retiring keys). */
export function logNoteVerifiers(anchors: AnchorsDocument): NoteVerifier[] {
  const revoked = new Set(anchors.revoked_kids ?? []);
  return (anchors.log_keys ?? [])
    .filter((k) => !revoked.has(k.kid) && (k.status === 'active' || k.status === 'retiring'))
    .map((k) => parseNoteVerifierKey(k.note_key))
    .filter((v): v is NoteVerifier => v !== undefined);
}

/**
 * Checks that `note` is the tree head of `checkpoint` (same origin, size and root) and carries
 * a valid signature line by one of `verifiers`. Signature lines of unknown keys are ignored
 * (a note may carry witness cosignatures), as the signed-note rules say.
 */
export function checkCheckpointNote(
  note: unknown,
  checkpoint: LogCheckpoint,
  verifiers: NoteVerifier[],
): Verdict<{ keyName: string }> {
  if (typeof note !== 'string')
    return reject(EXIT.logInvalid, 'note-invalid', 'the checkpoint note is missing');
  const split = note.indexOf('\n\n');
  if (split < 0 || !note.endsWith('\n'))
    return reject(EXIT.logInvalid, 'note-invalid', 'the checkpoint note is not a signed note');
  const body = note.slice(0, split + 1);
  const expected = `${checkpoint.origin}\n${checkpoint.tree_size}\n${checkpoint.root_hash}\n`;
  if (body !== expected) {
    return reject(
      EXIT.logInvalid,
      'note-mismatch',
      'the checkpoint note does not state the same origin, tree size and root hash as the JSON checkpoint',
    );
  }
  for (const line of note.slice(split + 2, -1).split('\n')) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/]+=*)$/.exec(line);
    if (!m)
      return reject(
        EXIT.logInvalid,
        'note-invalid',
        'a signature line of the checkpoint note is malformed',
      );
    const blob = Buffer.from(m[2]!, 'base64');
    for (const v of verifiers) {
      if (v.name !== m[1] || blob.length !== 68 || !blob.subarray(0, 4).equals(v.keyId)) continue;
      if (verify(null, Buffer.from(body, 'utf8'), v.key, blob.subarray(4)))
        return { ok: true, value: { keyName: v.name } };
      return reject(
        EXIT.logSignature,
        'note-bad-signature',
        `the checkpoint note's signature by log key ${v.name} does not verify`,
      );
    }
  }
  return reject(
    EXIT.logSignature,
    'note-unknown-key',
    'the checkpoint note carries no signature by a log key the trust anchors list',
  );
}
