// The certificate authority as the certificate operations use it: the issuing CA, the URLs it
// writes into certificates, and the validity rules.
import { loadIssuingCa, type IssuingCa } from '../crypto/x509/issuing-ca.js';
import type { Keyring } from '../keys/keyring.js';

/** Hard upper bound on a leaf certificate's validity, whatever the configuration says. */
export const MAX_CERTIFICATE_VALIDITY_DAYS = 90;
export const DAY_MS = 86_400_000;

export interface CertificateAuthority {
  issuing: IssuingCa;
  /** kid of the issuing CA key (RFC 7638 thumbprint), recorded on every certificate and CRL. */
  issuingKid: string;
  /** The root CA: signs the root CRL, which covers the issuing CA (needed by CRL_CHECK_ALL clients). */
  root: IssuingCa;
  rootKid: string;
  /** Issuing CA then root, PEM: the `chain` returned with each certificate. */
  chainPem: string;
  /** cRLDistributionPoints of every certificate: `<public URL>/v1/crl` (DER). */
  crlUrl: string;
  /** The root CA's CRL (revoked issuing CAs): `<public URL>/v1/crl/root` (DER). */
  rootCrlUrl: string;
  /** AIA OCSP responder of every certificate: `<public URL>/v1/ocsp`. */
  ocspUrl: string;
  publicUrl: string;
  defaultValidityDays: number;
  /** nextUpdate − thisUpdate of each CRL. */
  crlValidityMs: number;
  /** nextUpdate − thisUpdate of each OCSP answer. */
  ocspValidityMs: number;
}

export interface CreateAuthorityOptions {
  publicUrl: string;
  defaultValidityDays?: number;
  crlValidityHours?: number;
  ocspValidityMinutes?: number;
}

/** Binds the keyring's active issuing CA and the public URL. */
export function createCertificateAuthority(keyring: Keyring, o: CreateAuthorityOptions): CertificateAuthority {
  const days = o.defaultValidityDays ?? 7;
  if (!Number.isInteger(days) || days < 1 || days > MAX_CERTIFICATE_VALIDITY_DAYS) {
    throw new RangeError(`default certificate validity must be 1–${MAX_CERTIFICATE_VALIDITY_DAYS} days`);
  }
  const base = o.publicUrl.replace(/\/+$/, '');
  return {
    issuing: loadIssuingCa(keyring.issuing.certificatePem, keyring.issuing.privateKey),
    issuingKid: keyring.issuing.kid,
    root: loadIssuingCa(keyring.root.certificatePem, keyring.root.privateKey),
    rootKid: keyring.root.kid,
    chainPem: `${keyring.issuing.certificatePem.trim()}\n${keyring.root.certificatePem.trim()}\n`,
    crlUrl: `${base}/v1/crl`,
    rootCrlUrl: `${base}/v1/crl/root`,
    ocspUrl: `${base}/v1/ocsp`,
    publicUrl: base,
    defaultValidityDays: days,
    crlValidityMs: (o.crlValidityHours ?? 24) * 3_600_000,
    ocspValidityMs: (o.ocspValidityMinutes ?? 60) * 60_000,
  };
}
