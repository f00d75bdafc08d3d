// Trust level 4 (DESIGN.md §5): an admin's audit approval, recorded in the audit log. Approval
// re-issues the passport — same key, same expiry — at level 4 and supersedes the old one; the
// new passport's id is in the audit event and in the key-continuity chain (a `reissued` link).
// The approval's audit sequence number stays with the identity, so rotations keep level 4.
import { appendAuditEvent } from '../audit/append.js';
import { appendSequencedAuditEvent } from '../log/sequence-inline.js';
import { ConflictError, ForbiddenError } from '../errors.js';
import { actorOf, type Principal } from '../auth/principal.js';
import type { PassportDeps } from './deps.js';
import { assertActive, findPassport, lostRace, recordSupersession } from './lifecycle.js';
import { reSignableOrigin } from './origin-check.js';
import type { PassportRecord } from './passport.js';
import { auditData, newPassportId, signedRecord, storePassport, successorOf } from './records.js';
import { parseUtc } from './times.js';
import { assignTrustLevel } from './trust-level.js';

export interface ApprovePassportInput {
  /** What the admin audited; kept in the audit log. */
  note?: string | undefined;
}

export async function approvePassport(
  d: PassportDeps,
  principal: Principal,
  passportId: string,
  input: ApprovePassportInput,
): Promise<PassportRecord> {
  if (principal.role !== 'admin') throw new ForbiddenError('only admins approve passports');
  const p = d.persistence;
  const old = await findPassport(p.stores, passportId);
  const now = p.clock.now();
  assertActive(old, now, 'approve');
  if (old.subjectType === 'issuer')
    throw new ConflictError('delegated issuers get their trust level when an admin creates them');
  if (old.trustLevel === 4)
    throw new ConflictError(`passport ${passportId} is already at trust level 4`);
  const newId = newPassportId();
  const rotation = old.document.key_rotation;
  const { record: approved, certificates } = await p.transact(async (s) => {
    // The key's lock before the row (as every keyCompromise revocation of it takes them).
    await s.locks.acquireFor('subject-key', old.kid);
    if (!(await s.passports.supersede(passportId, { by: newId, at: now })))
      throw lostRace(passportId, 'approve');
    // Re-signing: the origin's proof is re-checked in this transaction (409 when it is gone).
    const current = await reSignableOrigin(s, d, old, 'approve');
    const trustLevel = assignTrustLevel({
      subjectType: old.subjectType,
      originVerified: current.server !== undefined && current.server.originUnproven === null,
      signedManifest: current.server?.signedManifest ?? false,
      auditApproved: true,
    });
    if (trustLevel !== 4)
      throw new ConflictError(
        'a server passport can be approved only once its origin is proven and it has a signed manifest (trust level 3)',
      );
    const approval = await appendSequencedAuditEvent(s, p.clock, {
      actor: actorOf(principal),
      action: 'passport.approved',
      subject: `passport:${passportId}`,
      data: {
        ...auditData(old),
        approved_passport_id: newId,
        trust_level: 4,
        note: input.note ?? null,
      },
    });
    const next = successorOf(old, {
      passportId: newId,
      publicKey: old.document.public_key,
      kid: old.kid,
      trustLevel,
      issuedAt: now,
      expiresAt: old.expiresAt,
      keyRotation: rotation
        ? { previousKeyHash: rotation.previous_key_hash, rotatedAt: parseUtc(rotation.rotated_at)! }
        : undefined,
      approvalSeq: approval.seq,
    });
    const record = signedRecord(d, { ...next, fields: { ...next.fields, origin: current.origin } });
    const seq = (await s.chainLinks.listByLineage(old.lineageId)).length;
    await storePassport(s, d, record, {
      seq,
      event: 'reissued',
      previous: { passportId, kid: old.kid },
      at: now,
      rotation: null,
      proof: null,
    });
    await appendAuditEvent(s, p.clock, {
      actor: actorOf(principal),
      action: 'passport.issued',
      subject: `passport:${newId}`,
      data: { ...auditData(record), approval_seq: approval.seq, previous_passport_id: passportId },
    });
    const revoked = await recordSupersession(s, p.clock, actorOf(principal), old, {
      supersededBy: newId,
      at: now,
    });
    return { record, certificates: revoked };
  });
  if (certificates > 0) d.certificatesRevoked?.();
  return approved;
}
