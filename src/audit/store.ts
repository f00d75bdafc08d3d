// Storage port of the audit log.
import type { AuditEvent, QueuedAuditEvent } from './event.js';

export interface AuditStore {
  /** The sequenced event with the highest seq, or undefined for an empty log. */
  last(): Promise<AuditEvent | undefined>;
  /** Inserts an unsequenced event (seq null); returns its insertion id. */
  enqueue(event: QueuedAuditEvent): Promise<number>;
  /**
   * Sequenced events with seq > `after`, ascending, at most `limit`; with `publisherId`, only the events
   * recorded as that publisher's (`data.publisher_id`, see owner.ts).
   */
  listAfter(after: number, limit: number, o?: { publisherId?: string }): Promise<AuditEvent[]>;
  /** Newest first: sequenced events with seq < `before` (all when absent) matching every given filter exactly. */
  listNewest(o: AuditQuery): Promise<AuditEvent[]>;
}

export interface AuditQuery {
  before?: number;
  limit: number;
  actor?: string | undefined;
  action?: string | undefined;
  subject?: string | undefined;
  /** Events that occurred at or after this instant. */
  since?: Date | undefined;
  /** Events that occurred strictly before this instant. */
  until?: Date | undefined;
  /** `data.outcome`, where an event records one; events without it count as `success`. */
  outcome?: 'success' | 'refused' | undefined;
}
