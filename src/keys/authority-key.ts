// The TA's own keys as stored: public parts in the clear, private key sealed under the KEK.
import type { EcPublicJwk } from '../crypto/jwk.js';

/** log-signing: the Ed25519 key that signs the transparency log's checkpoints as C2SP signed notes. */
export type AuthorityKeyPurpose = 'passport-signing' | 'root-ca' | 'issuing-ca' | 'log-signing';

/** RFC 8037 OKP public JWK (the Ed25519 log key). */
export interface OkpPublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
}

/**
 * pending: prepared, not yet used or published. active: signs new things. retiring: no longer signs, still published so what it signed keeps
 * verifying. retired: no longer published. revoked: compromised.
 */
export type AuthorityKeyStatus = 'pending' | 'active' | 'retiring' | 'retired' | 'revoked';

export interface AuthorityKeyRecord {
  /** RFC 7638 thumbprint of the public key. */
  kid: string;
  purpose: AuthorityKeyPurpose;
  status: AuthorityKeyStatus;
  algorithm: 'ES256' | 'Ed25519';
  /** EC for every purpose but log-signing (OKP). */
  publicJwk: EcPublicJwk | OkpPublicJwk;
  /** PEM of the CA certificate, for the CA purposes. */
  certificatePem: string | null;
  /** AES-256-GCM sealed PKCS#8 (src/crypto/kek.ts), bound to the kid as AAD. */
  sealedPrivateKey: string;
  createdAt: Date;
  notAfter: Date | null;
}

/** The additional authenticated data a key's sealed blob is bound to. */
export function sealingAad(kid: string): string {
  return `mcps-ta authority-key ${kid}`;
}
