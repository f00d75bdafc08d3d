// Revocation (DESIGN.md §4.1, §10): by the owning publisher or an admin, with an RFC 5280 reason.
// Takes effect at once: status documents and /api/crl are computed from the row on each read,
// and the revocation feed (and its webhooks) gets an entry in the same transaction. The
// certificates bound to the passport are revoked with it (same reason), and keyCompromise
// revokes every passport and certificate carrying the key (src/revocation/follow-key.ts).
import { appendAuditEvent } from '../audit/append.js';
import type { Clock } from '../clock.js';
import { actorOf, assertActsFor, type Principal } from '../auth/principal.js';
import {
  passportFeedEntry,
  recordRevoked,
  revokeBoundCertificates,
  revokeEverythingWithKey,
  type Revoked,
} from '../revocation/follow-key.js';
import { recordRevocations } from '../revocation/revocation.js';
import type { TxStores } from '../stores.js';
import type { PassportDeps } from './deps.js';
import { findPassport } from './lifecycle.js';
import type { PassportRecord, RecordedRevocationReason, RevocationReason } from './passport.js';

/**
 * Revokes a passport (active, superseded or expired) and what follows from it. Revoking a revoked
 * passport, or a superseded one for `superseded`, returns it unchanged, with no second audit
 * event or feed entry.
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
  // A superseded passport is revoked with reason superseded in every view already (feed included).
  if (existing.state === 'superseded' && reason === 'superseded') return existing;
  const { record, certificates } = await p.transact(async (s) => {
    // Before any row: a certificate of this key being issued right now commits first, or waits.
    await s.locks.acquireFor('subject-key', existing.kid);
    const at = p.clock.now();
    const revoked = await s.passports.revoke(passportId, { reason, at });
    if (!revoked) return { record: await findPassport(s, passportId), certificates: 0 };
    const cause = `passport:${passportId}`;
    const all: Revoked[] = [
      { kind: 'passport', record: revoked, reason, at, previousState: existing.state },
      ...(await revokeBoundCertificates(s, [revoked], { reason, at, cause })),
    ];
    if (reason === 'keyCompromise')
      all.push(...(await revokeEverythingWithKey(s, revoked.kid, { at, cause })));
    await recordRevoked(s, p.clock, actorOf(principal), all);
    return { record: revoked, certificates: all.filter((r) => r.kind === 'certificate').length };
  });
  if (certificates > 0) d.certificatesRevoked?.();
  return record;
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
 * audit event (the feed rows name every passport); then the certificates bound to them, each with
 * its own feed entry and audit event. Passports signed by delegated issuers are not
 * stored here; they fail verification once their issuer passport, revoked here, is in the feed.
 */
export async function revokePassportsSignedBy(
  s: TxStores,
  clock: Clock,
  r: SignedByRevocation,
): Promise<{ count: number; seqs: [number, number] | null }> {
  const revoked = await s.passports.revokeSignedBy(r.kid, { reason: r.reason, at: r.at });
  if (revoked.length === 0) return { count: 0, seqs: null };
  const entries = await recordRevocations(
    s,
    revoked.map((x) => passportFeedEntry(x, r.reason, r.at)),
  );
  const seqs: [number, number] = [entries[0]!.seq, entries[entries.length - 1]!.seq];
  await appendAuditEvent(s, clock, {
    actor: r.actor,
    action: 'passports.revoked_with_authority_key',
    subject: `authority_key:${r.kid}`,
    data: {
      kid: r.kid,
      reason: r.reason,
      count: revoked.length,
      revocation_seqs: { from: seqs[0], to: seqs[1] },
    },
  });
  // Their certificates follow them, each in the feed and the audit log.
  const certificates = await revokeBoundCertificates(s, revoked, {
    reason: r.reason,
    at: r.at,
    cause: `authority_key:${r.kid}`,
  });
  await recordRevoked(s, clock, r.actor, certificates);
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
export async function revokeServerPassports(
  s: TxStores,
  clock: Clock,
  r: ServersRevocation,
): Promise<PassportRecord[]> {
  const revoked = await s.passports.revokeBySubjects('server', r.servers, r.publisherId, {
    reason: r.reason,
    at: r.at,
  });
  if (revoked.length === 0) return [];
  await recordRevoked(
    s,
    clock,
    r.actor,
    revoked.map((record): Revoked => ({
      kind: 'passport',
      record,
      reason: r.reason,
      at: r.at,
      cause: r.cause,
    })),
  );
  return revoked;
}
