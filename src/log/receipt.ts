// Log receipts (docs/transparency-log.md): a write response names the event it appended by its
// insertion id. Events are sequenced after the write commits (in batches, typically within
// 250 ms), so by default the response does not wait for it (seq null): the client resolves the id
// to its seq later with GET /v1/log/events/{event_id}. A client that sends `Prefer: wait=N`
// (RFC 7240) gets the response once the event has its seq, or after N s (at most 10) with null.
import { appendedEvent, receiptWaitMs } from '../audit/request-context.js';
import { NotFoundError } from '../errors.js';
import type { LogStore } from './store.js';

export interface LogReceipt {
  event_id: number;
  /** The event's place in the log, or null while it waits to be sequenced. */
  seq: number | null;
  /** Where the seq (and whether a signed checkpoint includes it) can be read. */
  event_uri: string;
}

export const eventUri = (id: number) => `/v1/log/events/${id}`;

/**
 * The receipt of the event `action` on `subject` that the current request appended (its
 * transaction must have committed), or undefined when the request appended none (e.g. an
 * idempotent re-publication that changed nothing).
 */
export async function receiptFor(
  log: LogStore,
  action: string,
  subject: string,
): Promise<LogReceipt | undefined> {
  const e = appendedEvent(action, subject);
  if (!e) return undefined;
  const waitMs = receiptWaitMs();
  return {
    event_id: e.id,
    seq: waitMs > 0 ? await seqWithin(log, e.id, waitMs) : null,
    event_uri: eventUri(e.id),
  };
}

/** How often a receipt that waits for its seq asks again (the sequencer runs every ≤ 250 ms). */
const SEQ_POLL_MS = 20;

/**
 * The seq of committed event `id` once the sequencer gave it one, asking every SEQ_POLL_MS for up
 * to `waitMs`; null if it is still queued then. Only a client that asked (`Prefer: wait=N`)
 * waits: the write itself committed before, whatever this returns.
 */
async function seqWithin(log: LogStore, id: number, waitMs: number): Promise<number | null> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const seq = await log.seqOf(id);
    if (typeof seq === 'number' || Date.now() + SEQ_POLL_MS > deadline) return seq ?? null;
    await new Promise((r) => setTimeout(r, SEQ_POLL_MS));
  }
}

export interface EventPosition {
  event_id: number;
  seq: number | null;
  /** queued: no seq yet · sequenced: a leaf, not yet in a signed checkpoint · checkpointed */
  state: 'queued' | 'sequenced' | 'checkpointed';
  /** Size of the latest signed checkpoint (0 when none). */
  checkpoint_tree_size: number;
}

/** Where the event with insertion id `id` is in the log; 404 for an id no committed event has. */
export async function eventPosition(log: LogStore, id: number): Promise<EventPosition> {
  const seq = await log.seqOf(id);
  if (seq === undefined) throw new NotFoundError(`no event ${id}`);
  const size = (await log.latestCheckpoint())?.treeSize ?? 0;
  const state = seq === null ? 'queued' : seq <= size ? 'checkpointed' : 'sequenced';
  return { event_id: id, seq, state, checkpoint_tree_size: size };
}
