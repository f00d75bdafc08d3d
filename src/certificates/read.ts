// Reading a certificate and its status, where to ask for it by OCSP over GET, and what the
// newest published CRL says about itself.
import { encodeOcspRequest } from '../crypto/x509/ocsp-request.js';
import { assertCanRead, type Principal } from '../auth/principal.js';
import { NotFoundError } from '../errors.js';
import type { Persistence } from '../stores.js';
import { canonicalSerial, type CertificateRecord } from './certificate.js';
import type { CertificateContext } from './context.js';
import type { PublishedCrl } from './store.js';

/** A certificate the principal may read (admins; tokens of the owning publisher). */
export async function getCertificate(
  ctx: CertificateContext,
  principal: Principal,
  serialInput: string,
): Promise<CertificateRecord> {
  const serial = canonicalSerial(serialInput);
  const c = await ctx.persistence.stores.certificates.findBySerial(serial);
  if (!c) throw new NotFoundError(`no certificate ${serial}`);
  assertCanRead(principal, c.publisherId);
  return c;
}

/** The certificate with the canonical serial `serial`, any publisher, or undefined (admins). */
export function findCertificate(
  p: Persistence,
  serial: string,
): Promise<CertificateRecord | undefined> {
  return p.stores.certificates.findBySerial(serial);
}

/**
 * The newest CRL published by the active issuing CA (number, thisUpdate, nextUpdate, entries),
 * as served at /v1/crl; undefined before the first publication.
 */
export function latestIssuingCrl(ctx: CertificateContext): Promise<PublishedCrl | undefined> {
  return ctx.persistence.stores.crls.latestInfo(ctx.authority.issuingKid);
}

/**
 * The path of an OCSP GET request for this certificate (RFC 6960 A.1: URL-encoded base64 of the
 * DER request, no nonce), naming the CA generation that issued it; undefined when that CA is no
 * longer known to the keyring.
 */
export function ocspGetPath(
  ctx: CertificateContext,
  c: Pick<CertificateRecord, 'serial' | 'issuerKid'>,
): string | undefined {
  const issuer = ctx.authority.byKid(c.issuerKid)?.ca;
  if (!issuer) return undefined;
  const der = encodeOcspRequest({
    issuerNameDer: issuer.subjectDer,
    issuerKeyBits: issuer.publicKeyBits,
    serialHex: c.serial,
  });
  return `/v1/ocsp/${encodeURIComponent(der.toString('base64'))}`;
}
