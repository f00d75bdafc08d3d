// Revocation follows the key (DESIGN.md §10): an identity is its key. Revoking or superseding a
// passport revokes the certificates bound to it (client certificates by certificates.passport_id;
// a server passport's: its server's certificates for the same key), and `keyCompromise`
// on a passport or a certificate revokes every passport (by `kid`) and certificate (by key
// thumbprint) carrying that key, whatever its lineage or publisher — each in the revocation feed
// and the audit log, entry by entry, in the transaction of the revocation that set it off.
//
// Locking, so that nothing is certified while its revocation commits (PostgreSQL, READ COMMITTED):
// - certifying a key and revoking it for keyCompromise both take the `subject-key` lock of the
//   key first, before any row — certifying shared (issuances of one key do not wait for each
//   other), revoking exclusive; a new certificate or passport of a compromised key is refused;
// - a certificate issued for a passport reads the passport row FOR SHARE, so a revocation or
//   supersession of that passport waits for the issuance and its later UPDATE of certificates
//   sees the new row (or the issuance waits and finds the passport no longer active);
// - every row is updated before the feed lock is taken (recordRevocations, once, near the end).
import { appendAuditEvent } from '../audit/append.js';
import type { CertificateRecord } from '../certificates/certificate.js';
import type { Clock } from '../clock.js';
import { ConflictError } from '../errors.js';
import { pipelined } from '../pipelined.js';
import type { PassportRecord, RecordedRevocationReason } from '../passports/passport.js';
import { auditData } from '../passports/records.js';
import type { TxStores } from '../stores.js';
import { recordRevocations, type NewRevocation, type Revocation } from './revocation.js';

/** What the feed says about a revoked passport (public facts only: it is a public document). */
export function passportFeedEntry(
  r: PassportRecord,
  reason: RecordedRevocationReason,
  at: Date,
  o: { cause?: string | undefined; supersededBy?: string | undefined } = {},
): NewRevocation {
  return {
    kind: 'passport',
    subject: r.passportId,
    reason,
    revokedAt: at,
    data: {
      subject_type: r.subjectType,
      issuer_kid: r.document.issuer_kid,
      expires_at: r.expiresAt.toISOString(),
      ...(o.supersededBy ? { superseded_by: o.supersededBy } : {}),
      ...(o.cause ? { cause: o.cause } : {}),
    },
  };
}

/** What the feed says about a revoked certificate. */
export function certificateFeedEntry(
  c: CertificateRecord,
  reason: string,
  at: Date,
  cause?: string,
): NewRevocation {
  return {
    kind: 'certificate',
    subject: c.serial,
    reason,
    revokedAt: at,
    data: { issuer_kid: c.issuerKid, profile: c.profile, ...(cause ? { cause } : {}) },
  };
}

/** One revoked artifact, waiting for its feed entry and audit event. */
export type Revoked =
  | {
      kind: 'passport';
      record: PassportRecord;
      reason: RecordedRevocationReason;
      at: Date;
      previousState?: string;
      cause?: string;
      /** A supersession (rotation, re-issue): the successor's id; its own audit event says so. */
      supersededBy?: string;
    }
  | {
      kind: 'certificate';
      record: CertificateRecord;
      reason: RecordedRevocationReason;
      cause?: string;
    };

/**
 * Takes the key's lock and refuses (409, naming `field`) a key revoked for keyCompromise: no new
 * passport or certificate is ever issued for it. Call first in the transaction, before any row.
 */
export async function assertKeyUsable(
  s: TxStores,
  thumbprint: string,
  field: string,
): Promise<void> {
  await pipelined([
    lockSubjectKey(s, thumbprint),
    refuseCompromisedKey(s, thumbprint, field),
  ] as const);
}

/**
 * The key's `subject-key` lock, shared: the first statement of a transaction that certifies the
 * key. Certifications of one key run side by side; a revocation (exclusive) waits for them all,
 * and a certification that starts after it waits for it and then finds the key compromised.
 */
export async function lockSubjectKey(s: TxStores, thumbprint: string): Promise<void> {
  await s.locks.acquireFor('subject-key', thumbprint, 'shared');
}

/**
 * Refuses (409, naming `field`) a key revoked for keyCompromise. Only after lockSubjectKey in
 * the same transaction: the statements must run after the lock is held, so that they see a
 * revocation that committed while this transaction waited for it. Called after lockSubjectKey
 * they are written after the lock, so both may go in one batch (the server runs a batch in
 * order). Passports and certificates are asked in one statement.
 */
export async function refuseCompromisedKey(
  s: TxStores,
  thumbprint: string,
  field: string,
): Promise<void> {
  if (await s.revocations.isKeyCompromised(thumbprint)) {
    throw new ConflictError(`key ${thumbprint} was revoked for keyCompromise`, [
      { field, message: 'this key was revoked for keyCompromise; use a new key' },
    ]);
  }
}

/**
 * Revokes the unrevoked certificates of `passports` with `reason`: client certificates bound to
 * one of them (certificates.passport_id), and for a server passport the server certificates of
 * that server for the passport's own key.
 */
export async function revokeBoundCertificates(
  s: TxStores,
  passports: PassportRecord[],
  o: { reason: RecordedRevocationReason; at: Date; cause: string },
): Promise<Revoked[]> {
  const revoked = await s.certificates.revokeByPassports(
    passports.map((p) => p.passportId),
    o.at,
    o.reason,
  );
  for (const p of passports) {
    if (p.subjectType === 'server')
      revoked.push(
        ...(await s.certificates.revokeServerCertificates(p.subjectName, p.kid, o.at, o.reason)),
      );
  }
  return revoked.map((record) => ({
    kind: 'certificate',
    record,
    reason: o.reason,
    cause: o.cause,
  }));
}

/**
 * keyCompromise of the key `thumbprint`: revokes every other passport and certificate carrying
 * it, and the certificates bound to those passports. The caller holds the key's lock (taken
 * before it revoked the artifact that set this off) and has revoked that artifact already.
 */
export async function revokeEverythingWithKey(
  s: TxStores,
  thumbprint: string,
  o: { at: Date; cause: string },
): Promise<Revoked[]> {
  const reason = 'keyCompromise' as const;
  const passports = await s.passports.revokeByKid(thumbprint, { reason, at: o.at });
  const out: Revoked[] = passports.map((record) => ({
    kind: 'passport',
    record,
    reason,
    at: o.at,
    cause: o.cause,
  }));
  const certificates = await s.certificates.revokeByKeyThumbprint(thumbprint, o.at, reason);
  out.push(
    ...certificates.map((record): Revoked => ({
      kind: 'certificate',
      record,
      reason,
      cause: o.cause,
    })),
  );
  out.push(...(await revokeBoundCertificates(s, passports, { reason, at: o.at, cause: o.cause })));
  return out;
}

/**
 * Writes the feed entries of `revoked` (consecutive seqs, in this order) and one audit event per
 * entry: `passport.revoked` / `certificate.revoked`, with `cause` when a cascade revoked it (a
 * supersession has none here: the rotation's or approval's own event records it). Returns the
 * feed rows in the same order.
 */
export async function recordRevoked(
  s: TxStores,
  clock: Clock,
  actor: string,
  revoked: Revoked[],
): Promise<Revocation[]> {
  const entries = await recordRevocations(
    s,
    revoked.map((r) =>
      r.kind === 'passport'
        ? passportFeedEntry(r.record, r.reason, r.at, {
            cause: r.cause,
            supersededBy: r.supersededBy,
          })
        : certificateFeedEntry(r.record, r.reason, r.record.revokedAt!, r.cause),
    ),
  );
  for (const [i, r] of revoked.entries()) {
    const seq = entries[i]!.seq;
    const cause = r.cause ? { cause: r.cause } : {};
    if (r.kind === 'passport') {
      if (r.supersededBy) continue;
      await appendAuditEvent(s, clock, {
        actor,
        action: 'passport.revoked',
        subject: `passport:${r.record.passportId}`,
        data: {
          ...auditData(r.record),
          reason: r.reason,
          ...(r.previousState ? { previous_state: r.previousState } : {}),
          revocation_seq: seq,
          ...cause,
        },
      });
    } else {
      const c = r.record;
      await appendAuditEvent(s, clock, {
        actor,
        action: 'certificate.revoked',
        subject: `certificate:${c.serial}`,
        data: {
          reason: r.reason,
          profile: c.profile,
          subject: c.subject,
          publisher_id: c.publisherId,
          revocation_seq: seq,
          ...cause,
        },
      });
    }
  }
  return entries;
}
