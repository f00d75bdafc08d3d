// Public JWKs and RFC 7638 thumbprints.
import { createHash, type KeyObject } from 'node:crypto';
import { canonicalJson } from './jcs.js';

/** A public EC JWK as published in the JWKS (RFC 7517 §4, RFC 7518 §6.2.1). */
export interface EcPublicJwk {
  kty: 'EC';
  crv: 'P-256' | 'P-384';
  x: string;
  y: string;
}

/** Exports the public half of an EC key as a JWK carrying only the required members. */
export function toPublicJwk(key: KeyObject): EcPublicJwk {
  const jwk = key.export({ format: 'jwk' }) as { kty: string; crv: string; x: string; y: string };
  if (jwk.kty !== 'EC' || (jwk.crv !== 'P-256' && jwk.crv !== 'P-384')) {
    throw new TypeError('expected an EC P-256 or P-384 key');
  }
  return { kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y };
}

/**
 * RFC 7638 JWK thumbprint (SHA-256, base64url): the hash of the JSON object holding only the
 * required members in lexicographic order with no whitespace (§3.2) — which is JCS of them.
 */
export function jwkThumbprint(jwk: EcPublicJwk): string {
  const required = { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y };
  return createHash('sha256').update(canonicalJson(required)).digest('base64url');
}

/**
 * RFC 7638 thumbprint of any public key a certificate may carry (EC, RSA, OKP): SHA-256 over the
 * required members of its JWK (§3.2; RFC 8037 §2 for OKP) in lexicographic order. For a P-256 key
 * it equals jwkThumbprint, so a certificate's key and a passport's `kid` compare directly.
 */
export function keyThumbprint(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' }) as Record<string, string>;
  const members: Record<string, readonly string[]> = {
    EC: ['crv', 'kty', 'x', 'y'],
    RSA: ['e', 'kty', 'n'],
    OKP: ['crv', 'kty', 'x'],
  };
  const names = members[jwk.kty ?? ''];
  if (!names) throw new TypeError(`no RFC 7638 thumbprint for key type ${String(jwk.kty)}`);
  const required = Object.fromEntries(names.map((n) => [n, jwk[n]]));
  return createHash('sha256').update(canonicalJson(required)).digest('base64url');
}
