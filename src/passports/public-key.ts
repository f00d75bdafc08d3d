// Subject keys: only P-256 public JWKs whose point lies on the curve, in canonical base64url,
// with no private or extra key material. Returned normalised to the four RFC 7638 members.
import type { KeyObject } from 'node:crypto';
import { isP256Point, publicKeyFromJwk } from '../crypto/ecdsa.js';
import { jwkThumbprint, type EcPublicJwk } from '../crypto/jwk.js';
import { InvalidRequestError } from '../errors.js';

export interface SubjectKey {
  jwk: EcPublicJwk & { crv: 'P-256' };
  /** RFC 7638 thumbprint. */
  kid: string;
  key: KeyObject;
}

const B64URL_32 = /^[A-Za-z0-9_-]{43}$/;

/** A 32-byte coordinate in canonical base64url (re-encoding gives the same text). */
function isCoordinate(v: unknown): v is string {
  return (
    typeof v === 'string' &&
    B64URL_32.test(v) &&
    Buffer.from(v, 'base64url').toString('base64url') === v
  );
}

/** Validates a JWK as a P-256 public key; throws InvalidRequestError naming `field`. */
export function parseSubjectKey(value: unknown, field: string): SubjectKey {
  const bad = (message: string) => InvalidRequestError.field(field, message);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw bad('must be a JWK object');
  const jwk = value as Record<string, unknown>;
  if ('d' in jwk) throw bad('must be a public key: private key material ("d") is never accepted');
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256')
    throw bad('must be an EC P-256 key (kty "EC", crv "P-256")');
  if (!isCoordinate(jwk.x) || !isCoordinate(jwk.y))
    throw bad('x and y must be 32-byte base64url coordinates');
  const normal = { kty: 'EC' as const, crv: 'P-256' as const, x: jwk.x, y: jwk.y };
  let key: KeyObject;
  try {
    key = publicKeyFromJwk(normal);
  } catch {
    throw bad('is not a point on the P-256 curve');
  }
  return { jwk: normal, kid: jwkThumbprint(normal), key };
}

/**
 * The same checks as parseSubjectKey — P-256, canonical coordinates, on the curve, no private
 * part — without building a KeyObject (importing a key costs as much as verifying a signature).
 * For verifiers that check a passport's own key is well-formed but never use it.
 */
export function isValidSubjectJwk(value: unknown): value is EcPublicJwk & { crv: 'P-256' } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const jwk = value as Record<string, unknown>;
  if (
    'd' in jwk ||
    jwk.kty !== 'EC' ||
    jwk.crv !== 'P-256' ||
    !isCoordinate(jwk.x) ||
    !isCoordinate(jwk.y)
  )
    return false;
  return isP256Point(Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url'));
}
