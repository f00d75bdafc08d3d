// Port RevokeCertificatesIssuedBy of the authority keys (src/keys/revoke-signed.ts), implemented
// over the certificates: when an issuing intermediate is revoked, every certificate it issued is
// revoked with it, in the same transaction, each recorded in the revocation feed.
import { appendAuditEvent } from '../audit/append.js';
import type { RevocationReason } from '../certificates/certificate.js';
import type { RevokeCertificatesIssuedBy } from '../keys/revoke-signed.js';
import { recordRevocations } from '../revocation/revocation.js';

/** The certificates' side of the authority-key cascade. */
export const revokeCertificatesIssuedBy: RevokeCertificatesIssuedBy = async (s, clock, r) => {
  const unrevoked = await s.certificates.listUnrevokedByIssuer(r.kid);
  const reason = r.reason as RevocationReason;
  // Only those this transaction revoked: one revoked concurrently already has its feed entry.
  const issued = [];
  for (const c of unrevoked)
    if (await s.certificates.markRevoked(c.serial, r.at, reason)) issued.push(c);
  if (issued.length === 0) return 0;
  await recordRevocations(
    s,
    issued.map((c) => ({
      kind: 'certificate' as const,
      subject: c.serial,
      reason: r.reason,
      revokedAt: r.at,
      data: { issuer_kid: r.kid, profile: c.profile },
    })),
  );
  await appendAuditEvent(s, clock, {
    actor: r.actor,
    action: 'certificates.revoked_with_authority_key',
    subject: `authority_key:${r.kid}`,
    data: { count: issued.length, reason: r.reason },
  });
  return issued.length;
};
