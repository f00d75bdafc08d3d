// Exit codes of `npm run ta -- verify …`, also carried by every library verdict: one code per way
// a check can fail, so scripts can tell a tampered file from a stale mirror or a yanked manifest.

export const EXIT = {
  ok: 0,
  /** A bug or an unexpected I/O failure. */
  internal: 1,
  /** Bad arguments, or an input file that cannot be read or is not JSON. */
  usage: 2,
  /** Online mode: the TA could not be reached or answered something unusable. */
  taUnreachable: 3,
  /** The revocation feed is forged, has a gap, or is stale. */
  revocationData: 4,
  /** Passport: signature does not verify, or signed by a key the anchors do not list. */
  passportSignature: 10,
  /** Passport: expired, or not yet valid. */
  passportTime: 11,
  /** Passport (or a link of its issuer chain): revoked, or signed by a revoked authority key. */
  passportRevoked: 12,
  /** Passport: malformed, or an issuer chain that does not hold (issuer mismatch, wider than its parent). */
  passportInvalid: 13,
  /** Manifest envelope: no signature by a trusted key verifies (tampered or forged). */
  manifestSignature: 20,
  /** Manifest: its digest differs from the pinned digest. */
  manifestPinMismatch: 21,
  /** Manifest: yanked by its publisher. */
  manifestYanked: 22,
  /** Manifest: wrong payload type, not canonical, or inconsistent tool pins. */
  manifestInvalid: 23,
  /** Registry entry: the served server.json or digest is not the one signed in the manifest. */
  registryEntryMismatch: 24,
  /** Key-continuity chain: a link does not verify. */
  chainInvalid: 30,
  /** Key-continuity chain: verifies, but its current passport is revoked. */
  chainRevoked: 31,
  /** Trust anchors: an update not signed by the previous version's key and its own (forged). */
  anchorsForged: 40,
  /** Trust anchors: an older version than one already trusted (rollback). */
  anchorsRollback: 41,
  /** Trust anchors: two different documents for the same version (fork). */
  anchorsFork: 42,
  /** Trust anchors: the newest version has expired (freeze). */
  anchorsExpired: 43,
  /** Trust anchors: malformed, another issuer, or a version gap. */
  anchorsInvalid: 44,
  /** Log: a checkpoint not signed by a trusted key. */
  logSignature: 50,
  /** Log: the head is older than a checkpoint the client kept (rollback). */
  logRollback: 51,
  /** Log: a consistency or inclusion proof fails (history rewritten, split view, not logged). */
  logInconsistent: 52,
  /** Log: a malformed checkpoint or proof. */
  logInvalid: 53,
  /** Log: a log check was required and no proof could be had (no receipt, not yet sequenced or checkpointed). */
  logMissing: 54,
  /** Certificate: not signed by an issuing CA of the anchors, or that CA not by an anchored root. */
  certificateSignature: 60,
  /** Certificate (or its CA): expired, or not yet valid. */
  certificateTime: 61,
  /** Certificate, or its issuing CA or root key: revoked. */
  certificateRevoked: 62,
  /** Certificate: no PEM certificate, or one that does not parse. */
  certificateInvalid: 63,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The outcome of a check: a value, or the exit code and a one-line reason a person can act on. */
export type Verdict<T> =
  { ok: true; value: T } | { ok: false; code: ExitCode; reason: string; message: string };

export function reject(
  code: ExitCode,
  reason: string,
  message: string,
): { ok: false; code: ExitCode; reason: string; message: string } {
  return { ok: false, code, reason, message };
}

/** A passing verdict: the line the CLI prints. */
export const ok = (line: string): Verdict<string> => ({ ok: true, value: line });
