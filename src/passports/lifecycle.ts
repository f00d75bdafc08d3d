// Reading a passport's record with the checks every state change starts with.
import { ConflictError, NotFoundError } from '../errors.js';
import type { Stores } from '../stores.js';
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
    state === 'superseded' ? `it was superseded by ${r.supersededBy}` : state === 'revoked' ? 'it is revoked' : 'it has expired';
  throw new ConflictError(`cannot ${doing} passport ${r.passportId}: ${why}`);
}

/** Thrown when a concurrent change won the row: the caller lost the race. */
export function lostRace(passportId: string, doing: string): ConflictError {
  return new ConflictError(`cannot ${doing} passport ${passportId}: it was changed concurrently (rotated, approved, revoked or expired)`);
}
