// Revocations of every kind in one sequence (DESIGN.md §3: "one table/feed for passports,
// certificates, keys and manifests"). `seq` is the last seq + 1, taken under the feed lock that is
// held until the transaction ends: so it is 1, 2, 3, … across every app instance with no gaps (a
// rolled-back or crashed transaction leaves its number to the next one, where a PostgreSQL
// sequence would skip it), and commit order follows seq order, so a reader that asks for
// `since=<seq>` never misses a row that commits later with a smaller number. Every domain
// records its revocations through `recordRevocation(s)` inside the transaction of the state change;
// the same call queues the webhook deliveries (src/webhooks) in that transaction.
import type { InTransaction, Locks } from '../stores.js';
import type { WebhookOutbox } from '../webhooks/store.js';
import type { RevocationStore } from './store.js';

export type RevocationKind = 'manifest' | 'passport' | 'certificate' | 'key';
export const REVOCATION_KINDS: readonly RevocationKind[] = [
  'manifest',
  'passport',
  'certificate',
  'key',
];

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

/** The stores a revocation writes to: the table, the feed lock and the webhook outbox. */
export type RevocationWriter = InTransaction<{
  revocations: RevocationStore;
  locks: Locks;
  webhookOutbox: WebhookOutbox;
}>;

/**
 * Records a revocation inside the caller's transaction (with its audit event beside it) and
 * queues its webhook deliveries. Hold the lock briefly: call it near the end of the transaction.
 * Certificates, passports, keys and manifests all come through here.
 */
export async function recordRevocation(
  s: RevocationWriter,
  input: NewRevocation,
): Promise<Revocation> {
  const [r] = await recordRevocations(s, [input]);
  return r!;
}

/** Rows per INSERT statement: PostgreSQL allows 65,535 bind parameters per statement. */
const INSERT_CHUNK = 1000;

/**
 * Records many revocations in one transaction (e.g. everything a revoked authority key signed),
 * with consecutive sequence numbers.
 */
export async function recordRevocations(
  s: RevocationWriter,
  inputs: NewRevocation[],
): Promise<Revocation[]> {
  if (inputs.length === 0) return [];
  await s.locks.acquire('revocation-feed');
  const last = await s.revocations.lastSeq();
  const rows = inputs.map((r, i): Revocation => ({ ...r, seq: last + 1 + i }));
  const out: Revocation[] = [];
  for (let i = 0; i < rows.length; i += INSERT_CHUNK)
    out.push(...(await s.revocations.insertMany(rows.slice(i, i + INSERT_CHUNK))));
  // While the feed lock is held nobody else takes a seq, so [first, last] holds only these rows.
  await s.webhookOutbox.enqueue({
    fromSeq: out[0]!.seq,
    toSeq: out[out.length - 1]!.seq,
    at: inputs[0]!.revokedAt,
  });
  return out;
}
