// Refused attempts that matter (a failed admin sign-in, a passport refused for an unproven
// origin or a replayed nonce) are audit events with outcome `refused`. The attempt's own
// transaction rolled back, so the event is written in a transaction of its own, best effort, and
// rate-limited: an attacker hammering the endpoint must not be able to flood the log.
import type { Persistence } from '../stores.js';
import { appendAuditEvent } from './append.js';
import type { AuditEventInput } from './event.js';
import { auditRequest } from './request-context.js';

/** Per process: one event per (action, actor, subject, address, reason) per window, and a global cap. */
export const REFUSAL_LIMITS = { perKeyWindowMs: 10_000, globalPerMinute: 60 } as const;

interface Limiter {
  lastByKey: Map<string, number>;
  windowStart: number;
  inWindow: number;
}

const limiters = new WeakMap<Persistence, Limiter>();

function admit(p: Persistence, key: string): boolean {
  const now = p.clock.now().getTime();
  let l = limiters.get(p);
  if (!l) limiters.set(p, (l = { lastByKey: new Map(), windowStart: now, inWindow: 0 }));
  if (now - l.windowStart >= 60_000) {
    l.windowStart = now;
    l.inWindow = 0;
    for (const [k, at] of l.lastByKey)
      if (now - at >= REFUSAL_LIMITS.perKeyWindowMs) l.lastByKey.delete(k);
  }
  const last = l.lastByKey.get(key);
  if (last !== undefined && now - last < REFUSAL_LIMITS.perKeyWindowMs) return false;
  if (l.inWindow >= REFUSAL_LIMITS.globalPerMinute) return false;
  l.lastByKey.set(key, now);
  l.inWindow += 1;
  return true;
}

/** Why an attempt was refused, recorded as `data.reason`. */
export type RefusalReason = 'invalid-credentials' | 'origin-unproven' | 'nonce-rejected';

/**
 * Records a refused attempt unless the rate limit drops it. Never throws: the caller is already
 * answering with the refusal, and failing to log it must not change that answer.
 */
export async function recordRefusal(
  p: Persistence,
  input: Omit<AuditEventInput, 'outcome'> & { reason: RefusalReason },
  onError?: (err: unknown) => void,
): Promise<void> {
  const { reason, ...event } = input;
  const where = auditRequest();
  // The client address matters for refusals (who is probing), so it is recorded for them.
  if (
    !admit(
      p,
      `${event.action}|${event.actor}|${event.subject}|${where.sourceAddress ?? ''}|${reason}`,
    )
  )
    return;
  try {
    await p.transact((s) =>
      appendAuditEvent(s, p.clock, {
        ...event,
        outcome: 'refused',
        data: { ...event.data, reason },
      }),
    );
  } catch (err) {
    onError?.(err);
  }
}

/** Marks an error as a refusal worth auditing; the caller that catches it calls recordRefusal. */
export function asRefusal<E extends Error>(err: E, reason: RefusalReason): E {
  (err as E & { auditRefusal?: RefusalReason }).auditRefusal = reason;
  return err;
}

/** The refusal reason an error was marked with, if any. */
export function refusalOf(err: unknown): RefusalReason | undefined {
  return (err as { auditRefusal?: RefusalReason } | null)?.auditRefusal;
}
