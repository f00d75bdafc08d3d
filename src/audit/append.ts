// Appends an event to the hash chain inside the caller's transaction.
import type { Clock } from '../clock.js';
import type { InTransaction, Locks } from '../stores.js';
import { computeEventHash, GENESIS_HASH, type AuditEvent, type AuditEventInput } from './event.js';
import { eventOwner, type OwnerLookups } from './owner.js';
import type { AuditStore } from './store.js';

/**
 * Appends `input` as the next event. Must run inside the transaction of the state change it
 * records: the chain lock is held until that transaction ends, so sequence numbers have no gaps
 * and each event links to the one committed just before it, across every app instance.
 * Call it last in a transaction to keep the lock short. The event's publisher (`data.publisher_id`,
 * see owner.ts) is looked up before the chain lock is taken.
 */
export async function appendAuditEvent(
  s: InTransaction<{ audit: AuditStore; locks: Pick<Locks, 'acquire'> } & OwnerLookups>,
  clock: Clock,
  input: AuditEventInput,
): Promise<AuditEvent> {
  const data = { ...input.data };
  // An event that already names its publisher (token.created) keeps what it says.
  if (!('publisher_id' in data)) {
    const owner = await eventOwner(s, input.subject, input.actor);
    if (owner !== null) data.publisher_id = owner;
  }
  await s.locks.acquire('audit-chain');
  const last = await s.audit.last();
  const partial = {
    seq: (last?.seq ?? 0) + 1,
    occurredAt: clock.now(),
    actor: input.actor,
    action: input.action,
    subject: input.subject,
    data,
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  const event: AuditEvent = { ...partial, hash: computeEventHash(partial) };
  await s.audit.insert(event);
  return event;
}
