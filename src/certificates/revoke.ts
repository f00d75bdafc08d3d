// Revoking a certificate (RFC 5280 §5.3.1 reasons), by its owner or an admin, with its audit
// event in the same transaction; a fresh CRL is then generated off the request path. For
// keyCompromise every passport and certificate carrying the same key goes with it
// (src/revocation/follow-key.ts).
import {
  isRevocationReason,
  REVOCATION_REASONS,
  type RevocationReason,
} from '../crypto/x509/reason-code.js';
import { InvalidRequestError, NotFoundError } from '../errors.js';
import { recordRevoked, revokeEverythingWithKey, type Revoked } from '../revocation/follow-key.js';
import { actorOf, assertActsFor, type Principal } from '../auth/principal.js';
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
    throw InvalidRequestError.field(
      'body.reason',
      `must be one of ${REVOCATION_REASONS.join(', ')}`,
    );
  }
  const serial = canonicalSerial(serialInput);
  const p = ctx.persistence;
  const { record, changed } = await p.transact(async (s) => {
    const c = await s.certificates.findBySerial(serial);
    if (!c) throw new NotFoundError(`no certificate ${serial}`);
    assertActsFor(principal, c.publisherId);
    if (c.revokedAt) return { record: c, changed: false };
    const followsKey = reason === 'keyCompromise' && c.keyThumbprint !== null;
    // Before any row lock: a passport or certificate of this key being issued commits first, or waits.
    if (followsKey) await s.locks.acquireFor('subject-key', c.keyThumbprint!);
    const revokedAt = p.clock.now();
    // Conditional: of two revocations racing past the check above, the second finds it revoked.
    if (!(await s.certificates.markRevoked(serial, revokedAt, reason as RevocationReason))) {
      return { record: (await s.certificates.findBySerial(serial))!, changed: false };
    }
    const record: CertificateRecord = {
      ...c,
      revokedAt,
      revocationReason: reason as RevocationReason,
    };
    const all: Revoked[] = [{ kind: 'certificate', record, reason: reason as RevocationReason }];
    if (followsKey)
      all.push(
        ...(await revokeEverythingWithKey(s, c.keyThumbprint!, {
          at: revokedAt,
          cause: `certificate:${serial}`,
        })),
      );
    // The signed feed and the webhooks see them in the same transaction, the audit log entry by entry.
    await recordRevoked(s, p.clock, actorOf(principal), all);
    return { record, changed: true };
  });
  if (changed) ctx.crl.requestRefresh(record.issuerKid);
  return record;
}
