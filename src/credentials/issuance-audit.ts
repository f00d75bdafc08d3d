// The audit trail of credential issuance, aggregated: one `credentials.issued` event per passport
// per minute with the count and the servers, instead of one event per credential (a busy agent
// mints one per tool call). Counts gather in memory and are appended when their minute is over
// (checked every few seconds, and on close).
// TODO: counts of the current minute are lost if the process dies before the flush (at most one
// minute of one instance); the issuance metric still counted them. A durable counter table would
// close that gap at one row write per issuance.
import { appendAuditEvent } from '../audit/append.js';
import type { Persistence } from '../stores.js';

export interface IssuanceAudit {
  /** Counts one credential issued to `passportId` for `server` at `now`. */
  record(passportId: string, server: string, now: Date): void;
  /** Appends the events of every minute that is over at `now` (all of them with `all`). */
  flush(o?: { all?: boolean }): Promise<void>;
  /** Stops the timer and flushes everything. */
  close(): Promise<void>;
}

interface Bucket {
  passportId: string;
  minute: number;
  count: number;
  servers: Set<string>;
}

export function createIssuanceAudit(
  p: Persistence,
  o: { onError?: (err: unknown) => void; intervalMs?: number } = {},
): IssuanceAudit {
  const buckets = new Map<string, Bucket>();
  let flushing: Promise<void> = Promise.resolve();

  const flushOnce = async (all: boolean) => {
    const nowMinute = Math.floor(p.clock.now().getTime() / 60_000) * 60_000;
    const due = [...buckets.entries()].filter(([, b]) => all || b.minute < nowMinute);
    for (const [key, b] of due) {
      buckets.delete(key);
      try {
        await p.transact((s) =>
          appendAuditEvent(s, p.clock, {
            actor: `passport:${b.passportId}`,
            action: 'credentials.issued',
            subject: `passport:${b.passportId}`,
            data: {
              count: b.count,
              window_start: new Date(b.minute).toISOString(),
              window_end: new Date(b.minute + 60_000).toISOString(),
              servers: [...b.servers].sort(),
            },
          }),
        );
      } catch (err) {
        // Put the count back so the next flush retries it (merged with newer counts of that minute).
        const again = buckets.get(key);
        if (again) again.count += b.count;
        else buckets.set(key, b);
        o.onError?.(err);
        return;
      }
    }
  };
  const flush = (f: { all?: boolean } = {}) =>
    (flushing = flushing.then(() => flushOnce(f.all ?? false)));

  const timer = setInterval(() => void flush(), o.intervalMs ?? 5_000);
  timer.unref();
  return {
    record: (passportId, server, now) => {
      const minute = Math.floor(now.getTime() / 60_000) * 60_000;
      const key = `${passportId}\u0000${minute}`;
      const b = buckets.get(key) ?? { passportId, minute, count: 0, servers: new Set<string>() };
      b.count += 1;
      b.servers.add(server);
      buckets.set(key, b);
    },
    flush,
    close: async () => {
      clearInterval(timer);
      await flush({ all: true });
    },
  };
}
