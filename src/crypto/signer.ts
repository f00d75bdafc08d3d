// A P-256 signing key held in memory as a parsed KeyObject (re-parsing PEM per call is ~18x
// slower: STACK-NOTES.md), with its public JWK and RFC 7638 kid computed once.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { signP256, verifyP256 } from './ecdsa.js';
import { jwkThumbprint, toPublicJwk, type EcPublicJwk } from './jwk.js';

export interface P256Signer {
  readonly kid: string;
  readonly publicJwk: EcPublicJwk;
  readonly publicKey: KeyObject;
  /** 64-byte P1363, low-S. */
  sign(data: Uint8Array): Buffer;
  verify(data: Uint8Array, signature: Uint8Array): boolean;
}

/** Wraps a P-256 private key (KeyObject or PKCS#8 DER) as a signer. */
export function createP256Signer(privateKey: KeyObject | Uint8Array): P256Signer {
  const key =
    privateKey instanceof Uint8Array
      ? createPrivateKey({ key: Buffer.from(privateKey), format: 'der', type: 'pkcs8' })
      : privateKey;
  const publicKey = createPublicKey(key);
  const publicJwk = toPublicJwk(publicKey);
  if (publicJwk.crv !== 'P-256') throw new TypeError('expected a P-256 key');
  return {
    kid: jwkThumbprint(publicJwk),
    publicJwk,
    publicKey,
    sign: (data) => signP256(key, data),
    verify: (data, signature) => verifyP256(publicKey, data, signature),
  };
}
