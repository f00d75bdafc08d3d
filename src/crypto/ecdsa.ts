// ECDSA P-256 / SHA-256 with IEEE P1363 (r‖s) signatures, always low-S (MCPS, DESIGN.md §5).
// Neither Node, OpenSSL nor jose normalise S, so about half of raw signatures are high-S:
// we normalise when signing and reject high-S when verifying (signature malleability).
import {
  createPublicKey,
  sign as nodeSign,
  verify as nodeVerify,
  type KeyObject,
} from 'node:crypto';

/** Order of the P-256 group (SEC 2 §2.4.2). */
const P256_N = BigInt('0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551');
const P256_HALF_N = P256_N >> 1n;

function toBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}

function toBytes32(n: bigint): Buffer {
  return Buffer.from(n.toString(16).padStart(64, '0'), 'hex');
}

/** True when a 64-byte P1363 signature has s ≤ n/2. */
export function isLowS(signature: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  const s = toBigInt(signature.subarray(32));
  return s >= 1n && s <= P256_HALF_N;
}

/** Returns the low-S form of a 64-byte P1363 signature (s' = n − s when s > n/2). */
export function normaliseLowS(signature: Uint8Array): Buffer {
  if (signature.length !== 64) throw new TypeError('expected a 64-byte P-256 signature');
  const s = toBigInt(signature.subarray(32));
  if (s <= P256_HALF_N) return Buffer.from(signature);
  return Buffer.concat([Buffer.from(signature.subarray(0, 32)), toBytes32(P256_N - s)]);
}

/** Signs `data` with a P-256 private key; the result is 64 bytes, P1363, low-S. */
export function signP256(privateKey: KeyObject, data: Uint8Array): Buffer {
  const sig = nodeSign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return normaliseLowS(sig);
}

/**
 * Verifies a 64-byte low-S P1363 signature over `data`. High-S signatures are rejected even
 * though they are mathematically valid, so that every message has exactly one signature.
 */
export function verifyP256(publicKey: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  if (!isLowS(signature)) return false;
  return nodeVerify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature);
}

/** Imports a public P-256 JWK as a KeyObject (throws when the point is not on the curve). */
export function publicKeyFromJwk(jwk: {
  kty: string;
  crv: string;
  x: string;
  y: string;
}): KeyObject {
  return createPublicKey({
    key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y },
    format: 'jwk',
  });
}

/** Field prime and curve coefficient b of P-256 (SEC 2 §2.4.2; a = −3). */
const P256_P = BigInt('0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF');
const P256_B = BigInt('0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B');

/**
 * True when (x, y) — 32-byte big-endian coordinates — is a point of P-256: both below p and
 * y² ≡ x³ − 3x + b (mod p). About 50× cheaper than importing the key, for verifiers that only
 * need to know a key is well-formed, not use it.
 */
export function isP256Point(x: Uint8Array, y: Uint8Array): boolean {
  if (x.length !== 32 || y.length !== 32) return false;
  const X = toBigInt(x);
  const Y = toBigInt(y);
  if (X >= P256_P || Y >= P256_P) return false;
  return (Y * Y - (X * X * X - 3n * X + P256_B)) % P256_P === 0n;
}
