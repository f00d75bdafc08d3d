// Sequencing one event inside the state change's own transaction, for the rare change that must
// cite its own event's seq (an admin approval that a passport or server records).
import { queued, type AppendStores } from '../audit/append.js';
import type { AuditEventInput } from '../audit/event.js';
import type { Clock } from '../clock.js';
import { sequenceStep } from './sequence.js';
import type { LogStore } from './store.js';

/**
 * Like appendAuditEvent, but the event gets its seq now: the transaction waits for the sequencer
 * lock and holds it until it ends (as every write did before the log had a sequencer), so use it
 * only where the seq must be stored with the change.
 */
export async function appendSequencedAuditEvent(
  s: AppendStores & { log: LogStore },
  clock: Clock,
  input: AuditEventInput,
): Promise<{ id: number; seq: number }> {
  const event = await queued(s, clock, input);
  const id = await s.audit.enqueue(event);
  await s.log.lock();
  // Events older than the tree are leaves before anything new (normally done at start-up).
  while ((await s.log.maxSeq()) > (await s.log.treeSize())) await sequenceStep(s, { limit: 1000 });
  const batch = await sequenceStep(s, { limit: 1, onlyId: id });
  return { id, seq: batch.appended[0]!.seq };
}
