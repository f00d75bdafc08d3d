// For holders of a delegated issuer's key (publishers, tools): sign passports under it. The new
// passport names its signer in `issuer` (the issuer's passport_id) and `issuer_kid`, and carries
// the issuer chain: the signer's passport first, then the signer's own chain up to the TA.
//
// Intermediates are embedded as signed, so an intermediate that carried its own chain would
// repeat it in every passport below it and a chain of 5 would outgrow 8192 bytes. Passports for
// sub-issuers are therefore signed with `issuer_chain: []` (`embedChain: false`) and their
// holder keeps the returned `issuerChain` beside them, to pass in when signing below.
import { jwkThumbprint } from '../crypto/jwk.js';
import { randomId } from '../crypto/random.js';
import type { P256Signer } from '../crypto/signer.js';
import { encodeChainEntry, signPassport, type PassportFields } from './document.js';
import type { PassportDocument } from './passport.js';

/** The passport's own members, as the TA signs them (document.ts), minus what the signer sets. */
type DelegatedFields = Pick<
  PassportFields,
  | 'subjectType'
  | 'name'
  | 'capabilities'
  | 'publicKey'
  | 'origin'
  | 'trustLevel'
  | 'issuedAt'
  | 'expiresAt'
>;

export interface SignDelegatedPassportInput extends DelegatedFields {
  /** The signer's own passport (with the issuing capability). */
  issuerPassport: PassportDocument;
  /** The chain above the signer, direct issuer first; [] when the TA signed `issuerPassport`. */
  issuerChain: string[];
  /** The signer's private key: must be the key `issuerPassport` certifies. */
  signer: P256Signer;
  /** Default `0.0.0`. */
  version?: string;
  passportId?: string;
  /** Put the chain into the passport (default). Use false for sub-issuers: see above. */
  embedChain?: boolean;
}

export interface DelegatedPassport {
  passport: PassportDocument;
  /**
   * The passport's full issuer chain (direct issuer first), whether embedded or not: pass it as
   * `issuerChain` when this passport's key signs passports in turn.
   */
  issuerChain: string[];
}

/** Signs a passport under a delegated issuer. The verifier enforces every bound; this does not. */
export function signDelegatedPassport(i: SignDelegatedPassportInput): DelegatedPassport {
  if (i.signer.kid !== jwkThumbprint(i.issuerPassport.public_key)) {
    throw new TypeError('signer is not the key of issuerPassport');
  }
  const chain = [encodeChainEntry(i.issuerPassport), ...i.issuerChain];
  const passport = signPassport(
    {
      passportId: i.passportId ?? randomId('asp_'),
      subjectType: i.subjectType,
      name: i.name,
      version: i.version ?? '0.0.0',
      capabilities: i.capabilities,
      publicKey: i.publicKey,
      origin: i.origin,
      trustLevel: i.trustLevel,
      issuedAt: i.issuedAt,
      expiresAt: i.expiresAt,
      issuer: i.issuerPassport.passport_id,
      issuerChain: i.embedChain === false ? [] : chain,
    },
    i.signer,
  );
  return { passport, issuerChain: chain };
}
