// Trust-anchor updates for a client (src/keys/anchors-verify.ts): start from a version the client
// trusts — installed out of band, or walked to before — and accept newer versions only through
// walkAnchors. An old trusted version may have expired (the walk only needs the newest unexpired).
import type { AnchorsDocument } from '../keys/anchors.js';
import {
  checkAnchorsUpdate,
  checkInitialAnchors,
  walkAnchors,
  type AnchorsCheck,
} from '../keys/anchors-verify.js';
import { canonicalBytes } from '../crypto/jcs.js';
import { EXIT, reject, type ExitCode, type Verdict } from './exit-codes.js';

type AnchorsReason = Extract<AnchorsCheck, { ok: false }>['reason'];

const CODE: Record<AnchorsReason, ExitCode> = {
  'not-signed-by-previous': EXIT.anchorsForged,
  'not-self-signed': EXIT.anchorsForged,
  rollback: EXIT.anchorsRollback,
  fork: EXIT.anchorsFork,
  expired: EXIT.anchorsExpired,
  malformed: EXIT.anchorsInvalid,
  'wrong-issuer': EXIT.anchorsInvalid,
  'version-gap': EXIT.anchorsInvalid,
};

const ADVICE: Record<AnchorsReason, string> = {
  'not-signed-by-previous': 'forged: not signed by a key of the version you trust — do not update',
  'not-self-signed': 'forged: not signed by its own key — do not update',
  rollback:
    'rollback: older than the version you trust (a stale mirror or an attack) — keep your version',
  fork: 'fork: differs from the document you trust for that version — report it to the TA operator',
  expired: 'expired: the TA has not published a fresh version (freeze) — contact the TA operator',
  malformed: 'not a trust-anchor document',
  'wrong-issuer': 'names another TA',
  'version-gap': 'skips a version: fetch every version in between',
};

function verdictOf(
  r: Extract<AnchorsCheck, { ok: false }>,
  version: number | undefined,
): Verdict<never> {
  return reject(
    CODE[r.reason],
    r.reason,
    `trust anchors${version === undefined ? '' : ` version ${version}`}: ${ADVICE[r.reason]} (${r.detail})`,
  );
}

/** Checks a document the client installs as its starting point: self-signed; unexpired unless updates follow. */
export function checkTrustedAnchors(
  doc: unknown,
  now: Date,
  updatesFollow: boolean,
): Verdict<AnchorsDocument> {
  // With updates to walk, an expired old version is fine: only the newest must be unexpired.
  const r = checkInitialAnchors(doc, updatesFollow ? new Date(0) : now);
  if (!r.ok) return verdictOf(r, (doc as AnchorsDocument)?.version);
  return { ok: true, value: doc as AnchorsDocument };
}

/** Walks from `trusted` through `updates` (ascending); the newest must be unexpired at `now`. */
export function updateAnchors(
  trusted: AnchorsDocument,
  updates: unknown[],
  now: Date,
): Verdict<AnchorsDocument> {
  if (updates.length === 0) {
    if (Date.parse(trusted.expires_at) <= now.getTime())
      return verdictOf(
        { ok: false, reason: 'expired', detail: `expired at ${trusted.expires_at}` },
        trusted.version,
      );
    return { ok: true, value: trusted };
  }
  const r = walkAnchors(trusted, updates, now);
  return r.ok ? { ok: true, value: r.anchors } : verdictOf(r, r.version);
}

/**
 * What a TA serves as its newest version, compared with the trusted one: older is a rollback, the
 * same version with other content a fork; newer needs the versions in between (`missing`).
 */
export function compareServedAnchors(
  trusted: AnchorsDocument,
  served: unknown,
  now: Date,
): Verdict<{ missing: number[] }> {
  const s = served as AnchorsDocument;
  if (typeof s !== 'object' || s === null || !Number.isInteger(s.version))
    return verdictOf({ ok: false, reason: 'malformed', detail: 'no version' }, undefined);
  if (s.version < trusted.version) {
    const r = checkAnchorsUpdate(trusted, s, now);
    return verdictOf(r.ok ? { ok: false, reason: 'rollback', detail: '' } : r, s.version);
  }
  if (s.version === trusted.version) {
    if (!canonicalBytes(s).equals(canonicalBytes(trusted)))
      return verdictOf(
        { ok: false, reason: 'fork', detail: `two different documents claim version ${s.version}` },
        s.version,
      );
    return { ok: true, value: { missing: [] } };
  }
  const missing: number[] = [];
  for (let v = trusted.version + 1; v < s.version; v += 1) missing.push(v);
  return { ok: true, value: { missing } };
}
