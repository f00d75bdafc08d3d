// Revoking a certificate (RFC 5280 §5.3.1 reasons), by its owner or an admin, with its audit
// event in the same transaction; a fresh CRL is then generated off the request path.
import { appendAuditEvent } from '../audit/append.js';
import { isRevocationReason, REVOCATION_REASONS, type RevocationReason } from '../crypto/x509/reason-code.js';
import { InvalidRequestError, NotFoundError } from '../errors.js';
import { recordRevocation } from '../revocation/revocation.js';
import { actorOf, assertActsFor, type Principal } from '../registry/principal.js';
import { canonicalSerial, type CertificateRecord } from './certificate.js';
import type { CertificateContext } from './context.js';

/**
 * Revokes a certificate. Revoking an already revoked certificate returns it unchanged (first
 * reason and time stand, no second audit event). OCSP and the status read the database, so they
 * change at commit; the CRL follows within moments (CrlPublisher.requestRefresh).
 */
export async function revokeCertificate(
  ctx: CertificateContext,
  principal: Principal,
  serialInput: string,
  reason: string,
): Promise<CertificateRecord> {
  if (!isRevocationReason(reason)) {
    throw InvalidRequestError.field('body.reason', `must be one of ${REVOCATION_REASONS.join(', ')}`);
  }
  const serial = canonicalSerial(serialInput);
  const p = ctx.persistence;
  const { record, changed } = await p.transact(async (s) => {
    const c = await s.certificates.findBySerial(serial);
    if (!c) throw new NotFoundError(`no certificate ${serial}`);
    assertActsFor(principal, c.publisherId);
    if (c.revokedAt) return { record: c, changed: false };
    const revokedAt = p.clock.now();
    // Conditional: of two revocations racing past the check above, the second finds it revoked.
    if (!(await s.certificates.markRevoked(serial, revokedAt, reason as RevocationReason))) {
      return { record: (await s.certificates.findBySerial(serial))!, changed: false };
    }
    // The signed feed and the webhooks see it in the same transaction.
    await recordRevocation(s, { kind: 'certificate', subject: serial, reason, revokedAt, data: { issuer_kid: c.issuerKid, profile: c.profile } });
    await appendAuditEvent(s, p.clock, {
      actor: actorOf(principal),
      action: 'certificate.revoked',
      subject: `certificate:${serial}`,
      data: { reason, profile: c.profile, subject: c.subject, publisher_id: c.publisherId },
    });
    return { record: { ...c, revokedAt, revocationReason: reason as RevocationReason }, changed: true };
  });
  if (changed) ctx.crl.requestRefresh(record.issuerKid);
  return record;
}
