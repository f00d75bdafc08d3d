// The log's signed tree head as an operator sees it (admin UI audit page): the latest checkpoint,
// whether its signatures verify, whether the stored tree still hashes to its root, and how many
// committed events wait for the sequencer. O(log n) reads, unlike the full check of every row
// (src/audit/verify.ts, GET /v1/audit/verify), which stays an explicit action.
import { verify, type KeyObject } from 'node:crypto';
import { verifyDocument } from '../crypto/signed-document.js';
import { checkpointNoteBody, noteKeyId, noteKeyName } from './checkpoint.js';
import { rootAt } from './proofs.js';
import type { LogStore } from './store.js';

export interface TreeHeadKeys {
  /** JWKS keys by kid (the JSON checkpoint's `issuer_kid`). */
  documentKey(kid: string): KeyObject | undefined;
  /** The log's note key: its name (the origin) and raw Ed25519 public key, if it has one. */
  noteKey?: { name: string; publicKey: Buffer; key: KeyObject };
}

export interface TreeHead {
  treeSize: number;
  /** Root hash, standard base64 (as in the checkpoint). */
  rootHash: string;
  signedAt: Date;
  issuerKid: string | null;
  /** The JSON checkpoint's signature, with the JWKS key it names. */
  documentSignature: 'valid' | 'invalid' | 'unknown-key';
  /** The signed note's signature line by the log key; `absent` when the checkpoint has no note. */
  noteSignature: 'valid' | 'invalid' | 'unknown-key' | 'absent';
  /** The stored tree nodes still hash to the signed root at its size. */
  treeMatches: boolean;
}

export interface TreeHeadReport {
  head: TreeHead | null;
  /** Committed events that have no seq yet. */
  unsequenced: number;
}

function noteSignature(
  note: string | null,
  body: string,
  k: TreeHeadKeys['noteKey'],
): TreeHead['noteSignature'] {
  if (note === null) return 'absent';
  if (!k) return 'unknown-key';
  if (!note.startsWith(`${body}\n`)) return 'invalid';
  const id = noteKeyId(k.name, k.publicKey);
  for (const line of note.slice(body.length + 1).split('\n')) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/]+=*)$/.exec(line);
    const blob = m ? Buffer.from(m[2]!, 'base64') : undefined;
    if (
      !m ||
      m[1] !== noteKeyName(k.name) ||
      blob?.length !== 68 ||
      !blob.subarray(0, 4).equals(id)
    )
      continue;
    return verify(null, Buffer.from(body, 'utf8'), k.key, blob.subarray(4)) ? 'valid' : 'invalid';
  }
  return 'unknown-key';
}

/** The latest signed tree head, checked; `head` null before the first checkpoint. */
export async function readTreeHead(log: LogStore, keys: TreeHeadKeys): Promise<TreeHeadReport> {
  const [latest, unsequenced] = [await log.latestCheckpoint(), await log.unsequencedCount()];
  if (!latest) return { head: null, unsequenced };
  const doc = latest.document;
  const sig = verifyDocument(doc, keys.documentKey);
  const origin = typeof doc.origin === 'string' ? doc.origin : '';
  const documentMatches =
    doc.tree_size === latest.treeSize && doc.root_hash === latest.rootHash.toString('base64');
  const body = checkpointNoteBody(origin, latest.treeSize, latest.rootHash);
  return {
    head: {
      treeSize: latest.treeSize,
      rootHash: latest.rootHash.toString('base64'),
      signedAt: latest.signedAt,
      issuerKid: typeof doc.issuer_kid === 'string' ? doc.issuer_kid : null,
      documentSignature: sig.ok
        ? documentMatches
          ? 'valid'
          : 'invalid'
        : sig.reason === 'unknown-kid'
          ? 'unknown-key'
          : 'invalid',
      noteSignature: noteSignature(latest.note, body, keys.noteKey),
      treeMatches: (await rootAt(log, latest.treeSize)).equals(latest.rootHash),
    },
    unsequenced,
  };
}
