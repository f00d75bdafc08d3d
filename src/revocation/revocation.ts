// Revocations of every kind in one sequence (DESIGN.md §3: "one table/feed for passports,
// certificates, keys and manifests"). `seq` comes from a PostgreSQL sequence, so it is monotonic
// across app instances; the feed lock makes commit order follow seq order, so a reader that asks
// for `since=<seq>` never misses a row that commits later with a smaller number.
import type { Locks } from '../stores.js';
import type { RevocationStore } from './store.js';

export type RevocationKind = 'manifest' | 'passport' | 'certificate' | 'key';

export interface Revocation {
  seq: number;
  kind: RevocationKind;
  /** What is revoked: a manifest digest (`sha256:…`), a passport id, a certificate serial, a kid. */
  subject: string;
  reason: string;
  revokedAt: Date;
  /** Non-secret details for the feed (e.g. server and version of a manifest). */
  data: Record<string, unknown>;
}

export type NewRevocation = Omit<Revocation, 'seq'>;

/**
 * Records a revocation inside the caller's transaction (with its audit event beside it). Hold the
 * lock briefly: call it near the end of the transaction.
 */
export async function recordRevocation(
  s: { revocations: RevocationStore; locks: Locks },
  input: NewRevocation,
): Promise<Revocation> {
  await s.locks.acquire('revocation-feed');
  return s.revocations.insert(input);
}
