// What passport operations need: storage and time, the TA's signing key and name, and the
// registry's servers.
import type { KeyObject } from 'node:crypto';
import type { P256Signer } from '../crypto/signer.js';
import type { Persistence } from '../stores.js';
import type { ServerDirectory } from './server-directory.js';

export interface PassportDeps {
  persistence: Persistence;
  /** The active passport-signing key (keyring.documentSigner). */
  signer: P256Signer;
  /** The TA's name: `issuer` of passports and `aud` of proofs. */
  issuer: string;
  /** TA keys published in the JWKS, by kid. */
  taKeyFor(kid: string): KeyObject | undefined;
  servers: ServerDirectory;
  /** Called after a commit that revoked certificates (a passport's cascade): refresh the CRL. */
  certificatesRevoked?(): void;
}
