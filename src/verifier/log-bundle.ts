// A log bundle: everything a client needs to check offline that an artifact's event is in the
// transparency log — the leaf (JCS of the audit event), its RFC 9162 inclusion proof, and the
// checkpoint it proves against, as the signed JSON document and as the C2SP signed note.
// `npm run ta -- verify … --require-log` writes one with --save-bundle and reads one with --bundle.
import { canonicalBytes } from '../crypto/jcs.js';
import type { AnchorsDocument } from '../keys/anchors.js';
import { EXIT, reject, type Verdict } from './exit-codes.js';
import { checkCheckpoint, checkInclusion, type LogCheckpoint } from './log.js';
import { checkCheckpointNote, logNoteVerifiers } from './log-note.js';
import type { TrustedKeys } from './trusted-keys.js';

export const LOG_BUNDLE_VERSION = 1;

export interface LogBundle {
  mcps_log_bundle: typeof LOG_BUNDLE_VERSION;
  seq: number;
  /** base64 of the leaf: JCS of the audit event document. */
  leaf_input: string;
  inclusion: { leaf_index: number; tree_size: number; audit_path: string[] };
  checkpoint: LogCheckpoint;
  /** The same tree head as a C2SP signed note (null if the TA has no log key). */
  checkpoint_note: string | null;
}

/** What the logged event must say to be about the artifact being verified. */
export interface ExpectedEvent {
  /** Acceptable actions, e.g. passport.issued or passport.rotated. */
  actions: string[];
  subject: { type: string; id: string };
  /** Members of the event's `data` that must have exactly these values. */
  data?: Record<string, unknown>;
}

export interface VerifiedLogInclusion {
  seq: number;
  action: string;
  origin: string;
  tree_size: number;
  /** The signed-note key whose signature verified, or null when the anchors list no log key. */
  note_key: string | null;
}

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Checks a bundle: the checkpoint's signature (JWKS key) and, when the anchors list log keys, its
 * signed note (Ed25519 log key); that the proof is for that checkpoint's tree size and this
 * leaf's index; the proof recomputes the root; and the leaf is the expected event. Never throws.
 */
export function checkLogBundle(
  bundle: unknown,
  o: { keys: TrustedKeys; anchors: AnchorsDocument; expect: ExpectedEvent },
): Verdict<VerifiedLogInclusion> {
  if (!isObject(bundle) || bundle.mcps_log_bundle !== LOG_BUNDLE_VERSION)
    return reject(
      EXIT.logInvalid,
      'bundle-invalid',
      `not a log bundle (mcps_log_bundle ${LOG_BUNDLE_VERSION})`,
    );
  const { seq, leaf_input, inclusion } = bundle;
  if (!Number.isSafeInteger(seq) || (seq as number) < 1)
    return reject(EXIT.logInvalid, 'bundle-invalid', 'the bundle has no seq');
  if (typeof leaf_input !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(leaf_input))
    return reject(EXIT.logInvalid, 'bundle-invalid', 'leaf_input is not base64');
  if (
    !isObject(inclusion) ||
    !Number.isSafeInteger(inclusion.leaf_index) ||
    !Number.isSafeInteger(inclusion.tree_size)
  ) {
    return reject(EXIT.logInvalid, 'proof-invalid', 'the bundle has no inclusion proof');
  }
  const cp = checkCheckpoint(bundle.checkpoint, o.keys, "the bundle's checkpoint");
  if (!cp.ok) return cp;
  const checkpoint = cp.value;
  const verifiers = logNoteVerifiers(o.anchors);
  let noteKey: string | null = null;
  if (verifiers.length > 0) {
    const n = checkCheckpointNote(bundle.checkpoint_note, checkpoint, verifiers);
    if (!n.ok) return n;
    noteKey = n.value.keyName;
  }
  if (inclusion.tree_size !== checkpoint.tree_size) {
    return reject(
      EXIT.logInvalid,
      'wrong-tree-size',
      `the inclusion proof is for tree size ${String(inclusion.tree_size)}, the checkpoint for ${checkpoint.tree_size}`,
    );
  }
  if (inclusion.leaf_index !== (seq as number) - 1)
    return reject(
      EXIT.logInvalid,
      'wrong-leaf-index',
      `the inclusion proof is for leaf ${String(inclusion.leaf_index)}, not seq ${String(seq)}`,
    );
  const leaf = Buffer.from(leaf_input, 'base64');
  const included = checkInclusion(
    checkpoint,
    leaf,
    inclusion.leaf_index as number,
    inclusion.audit_path,
  );
  if (!included.ok) return included;
  const event = checkEvent(leaf, seq as number, o.expect);
  if (!event.ok) return event;
  return {
    ok: true,
    value: {
      seq: seq as number,
      action: event.value,
      origin: checkpoint.origin,
      tree_size: checkpoint.tree_size,
      note_key: noteKey,
    },
  };
}

/** The leaf is the canonical event document of seq, about the expected subject. */
function checkEvent(leaf: Buffer, seq: number, expect: ExpectedEvent): Verdict<string> {
  let doc: unknown;
  try {
    doc = JSON.parse(leaf.toString('utf8'));
  } catch {
    return reject(EXIT.logInvalid, 'leaf-invalid', 'the leaf is not JSON');
  }
  if (!isObject(doc) || !Buffer.from(canonicalBytes(doc)).equals(leaf))
    return reject(
      EXIT.logInvalid,
      'leaf-invalid',
      'the leaf is not a canonical (JCS) event document',
    );
  const subject = doc.subject as { type?: unknown; id?: unknown } | undefined;
  const data = isObject(doc.data) ? doc.data : {};
  const about =
    doc.seq === seq &&
    typeof doc.action === 'string' &&
    expect.actions.includes(doc.action) &&
    doc.outcome === 'success' &&
    subject?.type === expect.subject.type &&
    subject.id === expect.subject.id &&
    Object.entries(expect.data ?? {}).every(([k, v]) => data[k] === v);
  if (!about) {
    return reject(
      EXIT.logInconsistent,
      'leaf-not-about-artifact',
      `log seq ${seq} is not the ${expect.actions.join(' or ')} event of ${expect.subject.type} ${expect.subject.id}`,
    );
  }
  return { ok: true, value: doc.action as string };
}
