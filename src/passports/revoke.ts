// Revocation (DESIGN.md §4.1): by the owning publisher or an admin, with an RFC 5280 reason.
// Takes effect at once: status documents and /api/crl are computed from the row on each read.
import { appendAuditEvent } from '../audit/append.js';
import { actorOf, assertActsFor, type Principal } from '../registry/principal.js';
import type { PassportDeps } from './deps.js';
import { findPassport } from './lifecycle.js';
import type { PassportRecord, RevocationReason } from './passport.js';
import { auditData } from './records.js';

/**
 * Revokes a passport (active, superseded or expired). Revoking a revoked passport returns it
 * unchanged, with no second audit event.
 */
export async function revokePassport(
  d: PassportDeps,
  principal: Principal,
  passportId: string,
  reason: RevocationReason,
): Promise<PassportRecord> {
  const p = d.persistence;
  const existing = await findPassport(p.stores, passportId);
  assertActsFor(principal, existing.publisherId);
  return p.transact(async (s) => {
    const at = p.clock.now();
    const revoked = await s.passports.revoke(passportId, { reason, at });
    if (!revoked) return findPassport(s, passportId);
    await appendAuditEvent(s, p.clock, {
      actor: actorOf(principal),
      action: 'passport.revoked',
      subject: `passport:${passportId}`,
      data: { ...auditData(revoked), reason, previous_state: existing.state },
    });
    return revoked;
  });
}
