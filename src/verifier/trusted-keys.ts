// The TA keys a client trusts, taken from a verified trust-anchor document: the active and
// retiring passport-signing keys (retiring ones still verify what they signed), parsed once.
// Keys the anchors revoke are never trusted, whatever else claims them.
import type { KeyObject } from 'node:crypto';
import { publicKeyFromJwk } from '../crypto/ecdsa.js';
import { jwkThumbprint } from '../crypto/jwk.js';
import type { AnchorsDocument } from '../keys/anchors.js';

export interface TrustedKeys {
  /** The TA's name: `issuer` of what it signs. */
  issuer: string;
  /** Version of the anchors the keys come from. */
  version: number;
  /** The key of a trusted kid; undefined for unknown and revoked kids. */
  keyFor(kid: string): KeyObject | undefined;
  /** True when the anchors list `kid` as revoked. */
  isRevokedKid(kid: string): boolean;
  /** Every trusted key, in anchors order: for documents that do not name their key. */
  all(): Array<{ kid: string; key: KeyObject }>;
}

/** Trusted keys of `anchors` (a document already verified with checkInitialAnchors / walkAnchors). */
export function trustedKeys(anchors: AnchorsDocument): TrustedKeys {
  const revoked = new Set(anchors.revoked_kids ?? []);
  const keys = new Map<string, KeyObject>();
  for (const k of anchors.keys) {
    if (revoked.has(k.kid) || (k.status !== 'active' && k.status !== 'retiring')) continue;
    // Never trust a kid member on its face: it must be the thumbprint of the key material.
    if (jwkThumbprint({ kty: 'EC', crv: 'P-256', x: k.x, y: k.y }) !== k.kid) continue;
    keys.set(k.kid, publicKeyFromJwk(k));
  }
  return {
    issuer: anchors.issuer,
    version: anchors.version,
    keyFor: (kid) => keys.get(kid),
    isRevokedKid: (kid) => revoked.has(kid),
    all: () => [...keys].map(([kid, key]) => ({ kid, key })),
  };
}
