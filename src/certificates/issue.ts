// Issuing and renewing certificates from PKCS#10 requests. A request either commits with its
// audit event or leaves no trace: bad CSRs, unknown subjects and foreign SANs fail before any
// write, and the insert and the audit event share one transaction.
import { createHash } from 'node:crypto';
import { appendAuditEvent } from '../audit/append.js';
import { keyThumbprint } from '../crypto/jwk.js';
import { randomSerialHex } from '../crypto/serial.js';
import { CsrRejectedError, parseCsr, type ParsedCsr } from '../crypto/x509/csr.js';
import { issueLeafCertificate, type CertificateProfile } from '../crypto/x509/leaf-certificate.js';
import { ConflictError, ForbiddenError, InvalidRequestError, NotFoundError } from '../errors.js';
import { actorOf, assertActsFor, type Principal } from '../auth/principal.js';
import { pipelined } from '../pipelined.js';
import { lockSubjectKey, refuseCompromisedKey } from '../revocation/follow-key.js';
import { DAY_MS, MAX_CERTIFICATE_VALIDITY_DAYS } from './authority.js';
import { canonicalSerial, SerialCollisionError, type CertificateRecord } from './certificate.js';
import type { CertificateContext } from './context.js';
import { resolveSubject } from './subject-policy.js';

/** Clients with slightly slow clocks must accept a brand-new certificate. */
const BACKDATE_MS = 5 * 60_000;
/** A 127-bit serial never collides in practice; if it ever does, draw again. */
const SERIAL_ATTEMPTS = 3;

export interface IssueCertificateInput {
  /** PEM PKCS#10 request. */
  csr: string;
  profile: CertificateProfile;
  /** Server name (server profile) or passport id (client profile; optional when the CSR key is the passport's). */
  subject?: string;
  /** Defaults to the configured validity; at most 90. */
  validityDays?: number;
}

export interface IssuedCertificate {
  record: CertificateRecord;
  /** Issuing CA then root, PEM. */
  chainPem: string;
}

function parseCsrField(pem: string): ParsedCsr {
  try {
    return parseCsr(pem);
  } catch (err) {
    if (err instanceof CsrRejectedError) throw InvalidRequestError.field('body.csr', err.message);
    throw err;
  }
}

function validityDaysOf(ctx: CertificateContext, days: number | undefined): number {
  const d = days ?? ctx.authority.defaultValidityDays;
  if (!Number.isInteger(d) || d < 1 || d > MAX_CERTIFICATE_VALIDITY_DAYS) {
    throw InvalidRequestError.field(
      'body.validity_days',
      `must be an integer from 1 to ${MAX_CERTIFICATE_VALIDITY_DAYS}`,
    );
  }
  return d;
}

/** Issues a certificate for a subject of the caller (an admin may name any publisher's subject). */
export async function issueCertificate(
  ctx: CertificateContext,
  principal: Principal,
  input: IssueCertificateInput,
): Promise<IssuedCertificate> {
  return issue(ctx, principal, input, null);
}

/**
 * Renews: a new certificate for the same subject and profile from a new CSR. The old one stays
 * valid until it expires unless revoked; a revoked certificate cannot be renewed.
 */
export async function renewCertificate(
  ctx: CertificateContext,
  principal: Principal,
  serial: string,
  input: { csr: string; validityDays?: number },
): Promise<IssuedCertificate> {
  const old = await ctx.persistence.stores.certificates.findBySerial(canonicalSerial(serial));
  if (!old) throw new NotFoundError(`no certificate ${serial}`);
  assertActsFor(principal, old.publisherId);
  if (old.revokedAt) {
    throw new ConflictError(
      `certificate ${old.serial} is revoked; request a new certificate instead`,
      [{ field: 'path.serial', message: 'is revoked' }],
    );
  }
  const subject = old.profile === 'server' ? old.subject : (old.passportId ?? old.subject);
  return issue(
    ctx,
    principal,
    { csr: input.csr, profile: old.profile, subject, validityDays: input.validityDays },
    old.serial,
  );
}

async function issue(
  ctx: CertificateContext,
  principal: Principal,
  input: IssueCertificateInput,
  renewedFrom: string | null,
): Promise<IssuedCertificate> {
  if (principal.role !== 'admin' && principal.role !== 'publisher')
    throw new ForbiddenError('only publishers and admins obtain certificates');
  const p = ctx.persistence;
  const ca = ctx.authority;
  const days = validityDaysOf(ctx, input.validityDays);
  const csr = parseCsrField(input.csr);
  const thumbprint = keyThumbprint(csr.publicKey);

  for (let attempt = 1; ; attempt += 1) {
    try {
      return await p.transact(async (s) => {
        // In one round trip, run by the server in this order: first, before any row, the key's
        // lock (excludes a keyCompromise revocation of this key committing now); then the key's
        // standing, and — inside the signing transaction — the subject and its origin's proof,
        // read (and held) here, so a namespace rejected a moment ago is seen, and one being
        // rejected waits for this.
        const [, , subject] = await pipelined([
          lockSubjectKey(s, thumbprint),
          refuseCompromisedKey(s, thumbprint, 'body.csr'),
          resolveSubject(ctx.subjects, s, principal, input.profile, input.subject, csr, {
            field: renewedFrom ? 'path.serial' : 'body.subject',
          }),
        ] as const);
        const now = p.clock.now();
        const notBefore = new Date(Math.floor((now.getTime() - BACKDATE_MS) / 1000) * 1000);
        const wanted = new Date(Math.floor((now.getTime() + days * DAY_MS) / 1000) * 1000);
        // Never outlive the issuing CA: a chain is only as valid as its shortest link.
        const notAfter = wanted > ca.issuing.notAfter ? ca.issuing.notAfter : wanted;
        const serial = randomSerialHex();
        const leaf = await issueLeafCertificate({
          profile: input.profile,
          serialHex: serial,
          spkiDer: csr.spkiDer,
          commonName: subject.commonName,
          ...(subject.organizationalUnit ? { organizationalUnit: subject.organizationalUnit } : {}),
          sans: subject.sans,
          notBefore,
          notAfter,
          issuer: ca.issuing,
          crlUrl: ca.urls.crl(ca.issuingKid),
          ocspUrl: ca.ocspUrl,
          caIssuersUrl: ca.urls.caIssuers(ca.issuingKid),
        });
        const record: CertificateRecord = {
          serial,
          profile: input.profile,
          subject: subject.subject,
          passportId: subject.passportId,
          publisherId: subject.publisherId,
          issuerKid: ca.issuingKid,
          sans: subject.sanStrings,
          keyType: csr.keyType === 'RSA' ? `RSA-${csr.keyBits}` : csr.keyType,
          keyThumbprint: thumbprint,
          notBefore,
          notAfter,
          pem: leaf.pem,
          renewedFrom,
          createdAt: now,
          revokedAt: null,
          revocationReason: null,
        };
        // The row and its event in one round trip.
        await pipelined([
          s.certificates.insert(record),
          appendAuditEvent(s, p.clock, {
            actor: actorOf(principal),
            action: renewedFrom ? 'certificate.renewed' : 'certificate.issued',
            subject: `certificate:${serial}`,
            data: {
              profile: record.profile,
              subject: record.subject,
              publisher_id: record.publisherId,
              sans: record.sans,
              key_type: record.keyType,
              not_after: notAfter.toISOString(),
              renewed_from: renewedFrom,
              // Binds the logged event to these exact bytes (what a log client checks).
              certificate_sha256: createHash('sha256').update(leaf.der).digest('hex'),
            },
          }),
        ] as const);
        return { record, chainPem: ca.chainPem };
      });
    } catch (err) {
      if (err instanceof SerialCollisionError && attempt < SERIAL_ATTEMPTS) continue;
      throw err;
    }
  }
}
