// Client-side verification of trust-anchor updates (exported for relying parties; no I/O).
// A client trusts version N; it accepts N+1 only when N+1 is signed by an active key of N AND by
// an active key of N+1 itself, names the same issuer, and (if it is the newest) has not expired.
import { publicKeyFromJwk, verifyP256 } from '../crypto/ecdsa.js';
import { jwkThumbprint } from '../crypto/jwk.js';
import { canonicalBytes } from '../crypto/jcs.js';
import type { AnchorsDocument } from './anchors.js';

export type AnchorsCheck =
  | { ok: true }
  | {
      ok: false;
      reason:
        | 'malformed'
        | 'wrong-issuer'
        | 'rollback'
        | 'version-gap'
        | 'not-signed-by-previous'
        | 'not-self-signed'
        | 'expired'
        | 'fork';
      detail: string;
    };

function fail(
  reason: Extract<AnchorsCheck, { ok: false }>['reason'],
  detail: string,
): AnchorsCheck {
  return { ok: false, reason, detail };
}

/** True when `doc` carries a valid signature by one of the active keys of `signerSource`. */
function signedByActiveKeyOf(doc: AnchorsDocument, signerSource: AnchorsDocument): boolean {
  const { signatures, ...body } = doc;
  const bytes = canonicalBytes(body);
  for (const key of signerSource.keys.filter((k) => k.status === 'active')) {
    // Never trust a kid member on its face: recompute the thumbprint of the key material.
    if (jwkThumbprint({ kty: 'EC', crv: 'P-256', x: key.x, y: key.y }) !== key.kid) continue;
    const sig = signatures.find((s) => s.kid === key.kid);
    if (!sig || !/^[A-Za-z0-9+/]{86}==$/.test(sig.signature)) continue;
    if (verifyP256(publicKeyFromJwk(key), bytes, Buffer.from(sig.signature, 'base64'))) return true;
  }
  return false;
}

function wellFormed(d: unknown): d is AnchorsDocument {
  const x = d as AnchorsDocument;
  return (
    !!x &&
    x.type === 'mcps-trust-anchors' &&
    Number.isInteger(x.version) &&
    x.version >= 1 &&
    Array.isArray(x.keys) &&
    Array.isArray(x.signatures) &&
    typeof x.expires_at === 'string'
  );
}

/** Checks that `next` may replace `trusted`. `now` decides expiry. */
export function checkAnchorsUpdate(
  trusted: AnchorsDocument,
  next: unknown,
  now: Date,
  isNewest = true,
): AnchorsCheck {
  if (!wellFormed(next)) return fail('malformed', 'not a trust-anchor document');
  if (next.issuer !== trusted.issuer)
    return fail('wrong-issuer', `issuer ${next.issuer} ≠ ${trusted.issuer}`);
  if (next.version <= trusted.version)
    return fail('rollback', `version ${next.version} is not newer than trusted ${trusted.version}`);
  if (next.version !== trusted.version + 1)
    return fail('version-gap', `expected version ${trusted.version + 1}, got ${next.version}`);
  if (!signedByActiveKeyOf(next, trusted))
    return fail(
      'not-signed-by-previous',
      `version ${next.version} lacks a signature by an active key of version ${trusted.version}`,
    );
  if (!signedByActiveKeyOf(next, next))
    return fail(
      'not-self-signed',
      `version ${next.version} lacks a signature by its own active key`,
    );
  if (isNewest && Date.parse(next.expires_at) <= now.getTime())
    return fail('expired', `version ${next.version} expired at ${next.expires_at}`);
  return { ok: true };
}

/** Checks a version 1 the client installs out of band (self-signed, unexpired). */
export function checkInitialAnchors(doc: unknown, now: Date): AnchorsCheck {
  if (!wellFormed(doc)) return fail('malformed', 'not a trust-anchor document');
  if (!signedByActiveKeyOf(doc, doc))
    return fail('not-self-signed', `version ${doc.version} is not signed by its own active key`);
  if (Date.parse(doc.expires_at) <= now.getTime())
    return fail('expired', `version ${doc.version} expired at ${doc.expires_at}`);
  return { ok: true };
}

/**
 * Walks from `trusted` through `updates` (ascending versions) and returns the newest trusted
 * document, or the first failure. A document whose version the client already holds with other
 * content is a fork.
 */
export function walkAnchors(
  trusted: AnchorsDocument,
  updates: unknown[],
  now: Date,
):
  | { ok: true; anchors: AnchorsDocument }
  | (Extract<AnchorsCheck, { ok: false }> & { version: number | undefined }) {
  let current = trusted;
  for (let i = 0; i < updates.length; i += 1) {
    const next = updates[i] as AnchorsDocument;
    if (wellFormed(next) && next.version === current.version) {
      const same = canonicalBytes(next).equals(canonicalBytes(current));
      if (!same)
        return {
          ok: false,
          reason: 'fork',
          detail: `two different documents claim version ${next.version}`,
          version: next.version,
        };
      continue;
    }
    const r = checkAnchorsUpdate(current, next, now, i === updates.length - 1);
    if (!r.ok) return { ...r, version: wellFormed(next) ? next.version : undefined };
    current = next;
  }
  return { ok: true, anchors: current };
}
