// The certificate authority as the certificate operations use it: the CA generations (the root
// and every issuing intermediate ever activated), the URLs written into certificates, the OCSP
// responders and the validity rules.
import { systemClock, type Clock } from '../clock.js';
import { caUrls, type CaUrls } from '../crypto/x509/ca-urls.js';
import { loadIssuingCa, type IssuingCa } from '../crypto/x509/issuing-ca.js';
import type { OcspSigner } from '../crypto/x509/ocsp-responder-certificate.js';
import type { AuthorityKeyStatus } from '../keys/authority-key.js';
import type { CaKey, Keyring } from '../keys/keyring.js';
import { createOcspResponders } from './ocsp-responders.js';

/** Hard upper bound on a leaf certificate's validity, whatever the configuration says. */
export const MAX_CERTIFICATE_VALIDITY_DAYS = 90;
export const DAY_MS = 86_400_000;
/** Validity of a delegated OCSP responder certificate (RFC 6960 §4.2.2.2.1: short, with nocheck). */
export const OCSP_RESPONDER_VALIDITY_MS = 7 * DAY_MS;

/** One CA of the TA: the root, or one generation of the issuing intermediate. */
export interface CaGeneration {
  kid: string;
  role: 'root' | 'issuing';
  /** The root is always `active`; an issuing generation may be active, retiring, retired or revoked. */
  status: AuthorityKeyStatus;
  ca: IssuingCa;
}

export interface CertificateAuthority {
  /** The active issuing CA: signs new leaf certificates. */
  issuing: IssuingCa;
  /** kid of the active issuing CA key (RFC 7638 thumbprint), recorded on every certificate and CRL. */
  issuingKid: string;
  /** The root CA: signs the root CRL, which lists revoked issuing CAs (CRL_CHECK_ALL clients need it). */
  root: IssuingCa;
  rootKid: string;
  /** Issuing CA then root, PEM: the `chain` returned with each certificate. */
  chainPem: string;
  /** Every issuing-CA generation, oldest first (includes the active one). */
  generations(): CaGeneration[];
  /** The root or an issuing generation by kid; undefined for any other kid. */
  byKid(kid: string): CaGeneration | undefined;
  /** The URLs of every CA generation. */
  urls: CaUrls;
  /** cRLDistributionPoints of new certificates: the active issuing CA's own CRL, `/v1/crl/{kid}` (DER). */
  crlUrl: string;
  /** The root CA's CRL (revoked issuing CAs): `/v1/crl/{root kid}` (DER). */
  rootCrlUrl: string;
  /** AIA OCSP responder of every certificate: `<public URL>/v1/ocsp`. */
  ocspUrl: string;
  publicUrl: string;
  defaultValidityDays: number;
  /** nextUpdate − thisUpdate of each CRL. */
  crlValidityMs: number;
  /** nextUpdate − thisUpdate of each OCSP answer. */
  ocspValidityMs: number;
  /** The delegated OCSP responder of CA `kid` (created, then rotated, on demand). */
  ocspSigner(kid: string): Promise<OcspSigner>;
}

export interface CreateAuthorityOptions {
  publicUrl: string;
  defaultValidityDays?: number;
  crlValidityHours?: number;
  ocspValidityMinutes?: number;
  /** Decides when OCSP responder certificates are due for rotation. */
  clock?: Clock;
}

/**
 * Binds the keyring's CA generations and the public URL. The keyring is live (authority keys
 * rotate), so each CA is parsed once per kid and the active one is re-read whenever it changes.
 */
export function createCertificateAuthority(
  keyring: Keyring,
  o: CreateAuthorityOptions,
): CertificateAuthority {
  const days = o.defaultValidityDays ?? 7;
  if (!Number.isInteger(days) || days < 1 || days > MAX_CERTIFICATE_VALIDITY_DAYS) {
    throw new RangeError(
      `default certificate validity must be 1–${MAX_CERTIFICATE_VALIDITY_DAYS} days`,
    );
  }
  const urls = caUrls(o.publicUrl);
  const loaded = new Map<string, IssuingCa>();
  const load = (k: CaKey): IssuingCa => {
    let ca = loaded.get(k.kid);
    if (!ca) loaded.set(k.kid, (ca = loadIssuingCa(k.certificatePem, k.privateKey)));
    return ca;
  };
  const generations = (): CaGeneration[] =>
    keyring.issuingGenerations.map((g) => ({
      kid: g.kid,
      role: 'issuing',
      status: g.status,
      ca: load(g),
    }));
  const byKid = (kid: string): CaGeneration | undefined => {
    if (kid === keyring.root.kid)
      return { kid, role: 'root', status: 'active', ca: load(keyring.root) };
    const g = keyring.issuingGenerations.find((x) => x.kid === kid);
    return g && { kid, role: 'issuing', status: g.status, ca: load(g) };
  };
  const authority: CertificateAuthority = {
    get issuing() {
      return load(keyring.issuing);
    },
    get issuingKid() {
      return keyring.issuing.kid;
    },
    get root() {
      return load(keyring.root);
    },
    get rootKid() {
      return keyring.root.kid;
    },
    get chainPem() {
      return `${keyring.issuing.certificatePem.trim()}\n${keyring.root.certificatePem.trim()}\n`;
    },
    generations,
    byKid,
    urls,
    get crlUrl() {
      return urls.crl(keyring.issuing.kid);
    },
    get rootCrlUrl() {
      return urls.crl(keyring.root.kid);
    },
    ocspUrl: urls.ocsp,
    publicUrl: urls.base,
    defaultValidityDays: days,
    crlValidityMs: (o.crlValidityHours ?? 24) * 3_600_000,
    ocspValidityMs: (o.ocspValidityMinutes ?? 60) * 60_000,
    ocspSigner: (kid) => responders.signerFor(kid),
  };
  const responders = createOcspResponders({
    authority,
    clock: o.clock ?? systemClock,
    validityMs: OCSP_RESPONDER_VALIDITY_MS,
  });
  return authority;
}
