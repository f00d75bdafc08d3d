// Builds and signs passports (DESIGN.md §5): JCS over the document without `signature`, ES256,
// P1363 r‖s, low-S, standard base64 — the one scheme of src/crypto/signed-document.ts.
import { canonicalBytes } from '../crypto/jcs.js';
import type { EcPublicJwk } from '../crypto/jwk.js';
import { signDocument } from '../crypto/signed-document.js';
import type { P256Signer } from '../crypto/signer.js';
import {
  MAX_PASSPORT_BYTES,
  MCPS_VERSION,
  type PassportDocument,
  type SubjectType,
  type TrustLevel,
} from './passport.js';
import { formatUtc } from './times.js';

export interface PassportFields {
  passportId: string;
  subjectType: SubjectType;
  name: string;
  version: string;
  capabilities: string[];
  publicKey: EcPublicJwk;
  origin: string | null;
  trustLevel: TrustLevel;
  issuedAt: Date;
  expiresAt: Date;
  /** `issuer` member: the TA's name, or the passport_id of a delegated issuer. */
  issuer: string;
  issuerChain: string[];
  keyRotation?: { previousKeyHash: string; rotatedAt: Date };
}

/** The unsigned body, members in MCPS order (order is irrelevant to the signature: JCS sorts). */
export function passportBody(
  f: PassportFields,
): Omit<PassportDocument, 'signature' | 'issuer_kid'> {
  return {
    mcps_version: MCPS_VERSION,
    passport_id: f.passportId,
    agent: { name: f.name, version: f.version, capabilities: f.capabilities },
    public_key: { kty: f.publicKey.kty, crv: f.publicKey.crv, x: f.publicKey.x, y: f.publicKey.y },
    origin: f.origin,
    scan: null,
    trust_level: f.trustLevel,
    issued_at: formatUtc(f.issuedAt),
    expires_at: formatUtc(f.expiresAt),
    issuer: f.issuer,
    issuer_chain: f.issuerChain,
    ...(f.keyRotation
      ? {
          key_rotation: {
            previous_key_hash: f.keyRotation.previousKeyHash,
            rotated_at: formatUtc(f.keyRotation.rotatedAt),
          },
        }
      : {}),
    subject_type: f.subjectType,
  };
}

/** Signs a passport with `signer` (the TA's document signer, or a delegated issuer's key). */
export function signPassport(f: PassportFields, signer: P256Signer): PassportDocument {
  return signDocument(passportBody(f), signer) as PassportDocument;
}

/** UTF-8 length of JCS(passport): what the 8192-byte limit applies to. */
export function passportSize(doc: PassportDocument | Record<string, unknown>): number {
  return canonicalBytes(doc).length;
}

export function fitsSizeLimit(doc: PassportDocument): boolean {
  return passportSize(doc) <= MAX_PASSPORT_BYTES;
}

/** An issuer_chain entry: standard base64 of the passport's JSON. */
export function encodeChainEntry(doc: PassportDocument): string {
  return Buffer.from(JSON.stringify(doc), 'utf8').toString('base64');
}
