// Reading a passport's record with the checks every state change starts with, and what every
// supersession (rotation, re-issue) writes besides the new passport.
import type { Clock } from '../clock.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { recordRevoked, revokeBoundCertificates } from '../revocation/follow-key.js';
import type { Stores, TxStores } from '../stores.js';
import { effectiveState, type PassportRecord } from './passport.js';

export async function findPassport(s: Stores, passportId: string): Promise<PassportRecord> {
  const record = await s.passports.findById(passportId);
  if (!record) throw new NotFoundError(`no passport ${passportId}`);
  return record;
}

/** Refuses (409) to change a passport that is not active and unexpired at `now`. */
export function assertActive(r: PassportRecord, now: Date, doing: string): void {
  const state = effectiveState(r, now);
  if (state === 'active') return;
  const why =
    state === 'superseded'
      ? `it was superseded by ${r.supersededBy}`
      : state === 'revoked'
        ? 'it is revoked'
        : 'it has expired';
  throw new ConflictError(`cannot ${doing} passport ${r.passportId}: ${why}`);
}

/** Thrown when a concurrent change won the row: the caller lost the race. */
export function lostRace(passportId: string, doing: string): ConflictError {
  return new ConflictError(
    `cannot ${doing} passport ${passportId}: it was changed concurrently (rotated, approved, revoked or expired)`,
  );
}

/**
 * In the transaction that superseded `previous` by `supersededBy` at `at` (a rotation or
 * re-issue): its entry in the revocation feed (reason `superseded`, naming the successor) and its
 * certificates revoked with reason `superseded`, each in the feed and the audit log. Returns how
 * many certificates it revoked. Call after the rows are written (the feed lock is taken here).
 */
export async function recordSupersession(
  s: TxStores,
  clock: Clock,
  actor: string,
  previous: PassportRecord,
  by: { supersededBy: string; at: Date },
): Promise<number> {
  const { at } = by;
  const old: PassportRecord = {
    ...previous,
    state: 'superseded',
    supersededAt: at,
    supersededBy: by.supersededBy,
  };
  const certificates = await revokeBoundCertificates(s, [old], {
    reason: 'superseded',
    at,
    cause: `passport:${old.passportId}`,
  });
  await recordRevoked(s, clock, actor, [
    { kind: 'passport', record: old, reason: 'superseded', at, supersededBy: old.supersededBy! },
    ...certificates,
  ]);
  return certificates.length;
}
