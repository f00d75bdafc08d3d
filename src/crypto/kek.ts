// Envelope encryption of private keys at rest: AES-256-GCM under the key-encryption key (KEK).
// The sealed form is a self-describing string so the database never needs to know the scheme:
//   v1.<kek-id>.<base64url iv>.<base64url ciphertext‖tag>
// `aad` binds a blob to its row (e.g. the key id), so blobs cannot be swapped between rows.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/** Raised when a sealed blob does not open: wrong KEK, tampered blob, or wrong row. */
export class KekMismatchError extends Error {
  constructor(
    readonly expectedKekId: string,
    readonly actualKekId: string,
  ) {
    super(
      expectedKekId === actualKekId
        ? 'an encrypted private key failed authentication (tampered or moved between rows)'
        : `the key-encryption key does not match the stored keys (stored under KEK ${expectedKekId}, configured KEK is ${actualKekId})`,
    );
    this.name = 'KekMismatchError';
  }
}

/** A short public identifier of a KEK (not secret: a truncated hash of 256 random bits). */
export function kekId(kek: Buffer): string {
  return createHash('sha256').update('mcps-ta kek id').update(kek).digest('base64url').slice(0, 12);
}

/** Encrypts `plaintext` under `kek`, authenticated together with `aad`. */
export function seal(kek: Buffer, plaintext: Uint8Array, aad: string): string {
  if (kek.length !== 32) throw new TypeError('KEK must be 32 bytes');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return [VERSION, kekId(kek), iv.toString('base64url'), ct.toString('base64url')].join('.');
}

/** Decrypts a blob made by `seal`; throws KekMismatchError when it does not authenticate. */
export function open(kek: Buffer, sealed: string, aad: string): Buffer {
  const parts = sealed.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) throw new TypeError('not a sealed key blob');
  const [, storedKekId, ivText, ctText] = parts as [string, string, string, string];
  const iv = Buffer.from(ivText, 'base64url');
  const data = Buffer.from(ctText, 'base64url');
  if (iv.length !== 12 || data.length < 17) throw new TypeError('not a sealed key blob');
  const decipher = createDecipheriv('aes-256-gcm', kek, iv);
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(data.subarray(data.length - 16));
  try {
    return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]);
  } catch {
    throw new KekMismatchError(storedKekId, kekId(kek));
  }
}
