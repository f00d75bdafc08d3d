// Revocation (DESIGN.md §4.1): by the owning publisher or an admin, with an RFC 5280 reason.
// Takes effect at once: status documents and /api/crl are computed from the row on each read,
// and the revocation feed (and its webhooks) gets an entry in the same transaction.
import { appendAuditEvent } from '../audit/append.js';
import type { Clock } from '../clock.js';
import { actorOf, assertActsFor, type Principal } from '../registry/principal.js';
import { recordRevocation, recordRevocations, type NewRevocation } from '../revocation/revocation.js';
import type { Stores } from '../stores.js';
import type { PassportDeps } from './deps.js';
import { findPassport } from './lifecycle.js';
import type { PassportRecord, RecordedRevocationReason, RevocationReason } from './passport.js';
import { auditData } from './records.js';

/** What the feed says about a revoked passport (public facts only: it is a public document). */
function feedEntry(r: PassportRecord, reason: RecordedRevocationReason, at: Date): NewRevocation {
  return {
    kind: 'passport',
    subject: r.passportId,
    reason,
    revokedAt: at,
    data: { subject_type: r.subjectType, issuer_kid: r.document.issuer_kid, expires_at: r.expiresAt.toISOString() },
  };
}

/**
 * Revokes a passport (active, superseded or expired). Revoking a revoked passport returns it
 * unchanged, with no second audit event or feed entry.
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
    const entry = await recordRevocation(s, feedEntry(revoked, reason, at));
    await appendAuditEvent(s, p.clock, {
      actor: actorOf(principal),
      action: 'passport.revoked',
      subject: `passport:${passportId}`,
      data: { ...auditData(revoked), reason, previous_state: existing.state, revocation_seq: entry.seq },
    });
    return revoked;
  });
}

export interface SignedByRevocation {
  /** The revoked TA passport-signing key. */
  kid: string;
  reason: RecordedRevocationReason;
  at: Date;
  actor: string;
}

/**
 * Inside the caller's transaction (an authority key revocation): revokes every passport the key
 * signed that is not revoked yet, records each in the revocation feed and the whole batch in one
 * audit event (the feed rows name every passport). Passports signed by delegated issuers are not
 * stored here; they fail verification once their issuer passport, revoked here, is in the feed.
 */
export async function revokePassportsSignedBy(s: Stores, clock: Clock, r: SignedByRevocation): Promise<{ count: number; seqs: [number, number] | null }> {
  const revoked = await s.passports.revokeSignedBy(r.kid, { reason: r.reason, at: r.at });
  if (revoked.length === 0) return { count: 0, seqs: null };
  const entries = await recordRevocations(s, revoked.map((x) => feedEntry(x, r.reason, r.at)));
  const seqs: [number, number] = [entries[0]!.seq, entries[entries.length - 1]!.seq];
  await appendAuditEvent(s, clock, {
    actor: r.actor,
    action: 'passports.revoked_with_authority_key',
    subject: `authority_key:${r.kid}`,
    data: { kid: r.kid, reason: r.reason, count: revoked.length, revocation_seqs: { from: seqs[0], to: seqs[1] } },
  });
  return { count: revoked.length, seqs };
}

export interface ServersRevocation {
  /** Registered servers (`namespace/name`) of `publisherId`. */
  servers: string[];
  publisherId: string;
  reason: RecordedRevocationReason;
  at: Date;
  actor: string;
  /** Why, recorded in each audit event (e.g. `namespace:com.example revoked`). */
  cause: string;
}

/**
 * Inside the caller's transaction (a namespace released or revoked): revokes every server
 * passport of `servers` that is not revoked yet, whatever its state, each with its revocation feed
 * entry and its own `passport.revoked` audit event. Returns the revoked records.
 */
export async function revokeServerPassports(s: Stores, clock: Clock, r: ServersRevocation): Promise<PassportRecord[]> {
  const revoked = await s.passports.revokeBySubjects('server', r.servers, r.publisherId, { reason: r.reason, at: r.at });
  if (revoked.length === 0) return [];
  const seqOf = new Map((await recordRevocations(s, revoked.map((x) => feedEntry(x, r.reason, r.at)))).map((e) => [e.subject, e.seq]));
  for (const x of revoked) {
    await appendAuditEvent(s, clock, {
      actor: r.actor,
      action: 'passport.revoked',
      subject: `passport:${x.passportId}`,
      data: { ...auditData(x), reason: r.reason, cause: r.cause, revocation_seq: seqOf.get(x.passportId) },
    });
  }
  return revoked;
}
