// Appends an event to the hash chain inside the caller's transaction.
import type { Clock } from '../clock.js';
import type { Locks } from '../stores.js';
import { computeEventHash, GENESIS_HASH, type AuditEvent, type AuditEventInput } from './event.js';
import type { AuditStore } from './store.js';

/**
 * Appends `input` as the next event. Must run inside the transaction of the state change it
 * records: the chain lock is held until that transaction ends, so sequence numbers have no gaps
 * and each event links to the one committed just before it, across every app instance.
 * Call it last in a transaction to keep the lock short.
 */
export async function appendAuditEvent(
  s: { audit: AuditStore; locks: Pick<Locks, 'acquire'> },
  clock: Clock,
  input: AuditEventInput,
): Promise<AuditEvent> {
  await s.locks.acquire('audit-chain');
  const last = await s.audit.last();
  const partial = {
    seq: (last?.seq ?? 0) + 1,
    occurredAt: clock.now(),
    actor: input.actor,
    action: input.action,
    subject: input.subject,
    data: input.data ?? {},
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  const event: AuditEvent = { ...partial, hash: computeEventHash(partial) };
  await s.audit.insert(event);
  return event;
}
