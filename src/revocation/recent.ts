// How many things were revoked recently, of every kind: the dashboard's "revocations (24 h)".
// Passport revocations are read from the passports themselves (their status is computed from
// the row); every other kind (manifest yanks, certificates, keys) from the revocations table.
import type { Persistence } from '../stores.js';
import type { RevocationKind } from './revocation.js';

export interface RecentRevocations {
  since: Date;
  total: number;
  byKind: Record<RevocationKind, number>;
}

/**
 * Revocations at or after `since`. Passports count once even if their revocations also come to
 * be recorded in the revocations table: rows of kind `passport` there are not added again.
 */
export async function countRevocationsSince(
  p: Persistence,
  since: Date,
): Promise<RecentRevocations> {
  const [passports, rows] = await Promise.all([
    p.stores.passports.countRevokedSince(since),
    p.stores.revocations.countRevokedSince(since),
  ]);
  const byKind: Record<RevocationKind, number> = {
    passport: passports,
    manifest: 0,
    certificate: 0,
    key: 0,
  };
  for (const r of rows) if (r.kind !== 'passport') byKind[r.kind] = (byKind[r.kind] ?? 0) + r.count;
  return { since, total: Object.values(byKind).reduce((a, b) => a + b, 0), byKind };
}

/** Revocations in the `hours` before now. */
export function countRecentRevocations(p: Persistence, hours: number): Promise<RecentRevocations> {
  return countRevocationsSince(p, new Date(p.clock.now().getTime() - hours * 3_600_000));
}
