// Certificates issued by the TA: the stored record, its status and the serial's canonical form.
import type { CertificateProfile } from '../crypto/x509/leaf-certificate.js';
import type { RevocationReason } from '../crypto/x509/reason-code.js';
import { ConflictError, InvalidRequestError } from '../errors.js';

export type { CertificateProfile } from '../crypto/x509/leaf-certificate.js';
export { REVOCATION_REASONS, type RevocationReason } from '../crypto/x509/reason-code.js';

export const CERTIFICATE_PROFILES: readonly CertificateProfile[] = ['server', 'client'];

export interface CertificateRecord {
  /** Canonical serial: lowercase hex of the minimal positive magnitude (RFC 5280 §4.1.2.2). */
  serial: string;
  profile: CertificateProfile;
  /** What it certifies: the server name (server profile) or the passport id (client profile). */
  subject: string;
  /** The passport a client certificate belongs to; null for server certificates. */
  passportId: string | null;
  publisherId: string;
  /** kid of the issuing CA key that signed it. */
  issuerKid: string;
  /** subjectAltNames as written, OpenSSL style: `DNS:host`, `IP:addr`, `URI:urn:…`. */
  sans: string[];
  /** P-256 | P-384 | RSA-<bits> */
  keyType: string;
  /**
   * RFC 7638 thumbprint of the certified public key: for a P-256 key the `kid` of a passport for
   * the same key, so a keyCompromise finds every certificate and passport of the key. Null only
   * for rows written before it was recorded, until the start-up backfill fills it in.
   */
  keyThumbprint: string | null;
  notBefore: Date;
  notAfter: Date;
  pem: string;
  /** Serial of the certificate this one renewed, if any. */
  renewedFrom: string | null;
  createdAt: Date;
  revokedAt: Date | null;
  revocationReason: RevocationReason | null;
}

export type CertificateStatus = 'valid' | 'revoked' | 'expired';

/** Revocation wins over expiry: a revoked certificate stays revoked after it expires. */
export function statusOf(
  c: Pick<CertificateRecord, 'revokedAt' | 'notAfter'>,
  now: Date,
): CertificateStatus {
  if (c.revokedAt) return 'revoked';
  return c.notAfter <= now ? 'expired' : 'valid';
}

const SERIAL_INPUT = /^(?:[0-9a-fA-F]{2}:)*[0-9a-fA-F]{1,2}$|^[0-9a-fA-F]{1,40}$/;

/**
 * Canonical form of a serial given as hex (any case, optional colons as OpenSSL prints them,
 * leading zeros allowed). Throws InvalidRequestError naming `field` for anything else.
 */
export function canonicalSerial(input: string, field = 'path.serial'): string {
  if (!SERIAL_INPUT.test(input))
    throw InvalidRequestError.field(field, 'must be a certificate serial in hex');
  let hex = input.replace(/:/g, '').toLowerCase().replace(/^0+/, '');
  if (hex.length === 0 || hex.length > 40)
    throw InvalidRequestError.field(field, 'must be a positive serial of at most 20 octets');
  if (hex.length % 2) hex = `0${hex}`;
  return hex;
}

/** Raised by the store when a serial already exists; issuance draws a new serial and retries. */
export class SerialCollisionError extends ConflictError {
  constructor(serial: string) {
    super(`serial ${serial} already exists`);
  }
}
