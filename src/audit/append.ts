// Appends an event inside the caller's transaction, without any global lock: the event enters
// the unsequenced queue and the log sequencer (src/log/sequencer.ts) gives it its seq later.
import type { Clock } from '../clock.js';
import type { InTransaction } from '../stores.js';
import type { QueuedAuditEvent, AuditEventInput } from './event.js';
import { actorPublisher, eventOwner, type OwnerLookups } from './owner.js';
import { auditRequest, noteAppended } from './request-context.js';
import type { AuditStore } from './store.js';

/**
 * The stores appendAuditEvent reads and writes: those of the caller's transaction (the brand
 * only `transact` gives), so an event can never be written beside its state change's
 * transaction.
 */
export type AppendStores = InTransaction<{ audit: AuditStore } & OwnerLookups>;

/** The event `input` describes, as appendAuditEvent writes it. */
export async function queued(
  s: AppendStores,
  clock: Clock,
  input: AuditEventInput,
): Promise<QueuedAuditEvent> {
  const data = { ...input.data };
  // An event that already names its publisher (token.created) keeps what it says.
  if (!('publisher_id' in data)) {
    const owner = await eventOwner(s, input.subject, input.actor);
    if (owner !== null) data.publisher_id = owner;
  }
  const actorPublisherId = await actorPublisher(s, input.actor);
  const request = auditRequest();
  const outcome = input.outcome ?? 'success';
  return {
    occurredAt: clock.now(),
    actor: input.actor,
    actorPublisherId,
    action: input.action,
    subject: input.subject,
    outcome,
    data,
    requestId: request.requestId,
    // Leaves of public artifacts are public: a client's address is recorded only for refusals,
    // where who is probing is the point.
    sourceAddress: outcome === 'refused' ? request.sourceAddress : null,
  };
}

/**
 * Records `input` as an event of the state change whose transaction `s` belongs to: it commits
 * with that change or not at all. Returns the event's insertion id; the seq (its place in the
 * log) is assigned by the sequencer after commit, typically within 250 ms.
 */
export async function appendAuditEvent(
  s: AppendStores,
  clock: Clock,
  input: AuditEventInput,
): Promise<{ id: number }> {
  const id = await s.audit.enqueue(await queued(s, clock, input));
  noteAppended({ id, action: input.action, subject: input.subject });
  return { id };
}
