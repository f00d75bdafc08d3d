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

/**
 * Binds the keyring's active issuing CA and the public URL. The keyring is live (authority keys
 * rotate), so the CA is re-read whenever the active issuing key changes.
 * TODO: certificates of a retiring intermediate still need CRLs and OCSP answers signed by that
 * intermediate; today CRL and OCSP are produced by the active one only, so after an issuing-CA
 * rotation the older certificates' revocation is published by OCSP/CRL of the new CA, which
 * strict clients will not match to them.
 */
export function createCertificateAuthority(keyring: Keyring, o: CreateAuthorityOptions): CertificateAuthority {
  const days = o.defaultValidityDays ?? 7;
  if (!Number.isInteger(days) || days < 1 || days > MAX_CERTIFICATE_VALIDITY_DAYS) {
    throw new RangeError(`default certificate validity must be 1–${MAX_CERTIFICATE_VALIDITY_DAYS} days`);
  }
  const base = o.publicUrl.replace(/\/+$/, '');
  let loadedKid = '';
  let issuing: IssuingCa;
  let root: IssuingCa;
  const current = () => {
    if (keyring.issuing.kid !== loadedKid) {
      issuing = loadIssuingCa(keyring.issuing.certificatePem, keyring.issuing.privateKey);
      root = loadIssuingCa(keyring.root.certificatePem, keyring.root.privateKey);
      loadedKid = keyring.issuing.kid;
    }
    return { issuing, root };
  };
  return {
    get issuing() {
      return current().issuing;
    },
    get issuingKid() {
      return keyring.issuing.kid;
    },
    get root() {
      return current().root;
    },
    get rootKid() {
      return keyring.root.kid;
    },
    get chainPem() {
      return `${keyring.issuing.certificatePem.trim()}\n${keyring.root.certificatePem.trim()}\n`;
    },
    crlUrl: `${base}/v1/crl`,
    rootCrlUrl: `${base}/v1/crl/root`,
    ocspUrl: `${base}/v1/ocsp`,
    publicUrl: base,
    defaultValidityDays: days,
    crlValidityMs: (o.crlValidityHours ?? 24) * 3_600_000,
    ocspValidityMs: (o.ocspValidityMinutes ?? 60) * 60_000,
  };
}
