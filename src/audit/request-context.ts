// The request an audit event was caused by (request id, client address), carried through the
// async call chain so that domain code appends events without knowing about HTTP. The events a
// request appends are remembered too, so a write response can name its own event (log receipt).
import { AsyncLocalStorage } from 'node:async_hooks';
import type { AuditRequestInfo } from './event.js';

/** An event appended during the current request: its insertion id, action and subject. */
export interface AppendedEvent {
  id: number;
  action: string;
  subject: string;
}

/** The caller of the current request as audit events name it, with its token's publisher. */
export interface RequestActor {
  actor: string;
  publisherId: string | null;
}

/** What a request scope knows besides the request itself. */
export interface RequestScopeOptions {
  /** The authenticated caller, so its events need not look its token up again. */
  actor?: RequestActor;
  /**
   * How long (ms) the client prefers to wait for its write's log receipt to carry the seq
   * (`Prefer: wait=N`); 0 when it did not ask.
   */
  receiptWaitMs?: number;
}

interface RequestScope extends AuditRequestInfo {
  appended: AppendedEvent[];
  actor: RequestActor | undefined;
  receiptWaitMs: number;
}

const current = new AsyncLocalStorage<RequestScope>();

/** Runs `fn` with `info` as the request every event appended inside it records. */
export function withAuditRequest<T>(
  info: AuditRequestInfo & RequestScopeOptions,
  fn: () => Promise<T>,
): Promise<T> {
  return current.run(
    {
      requestId: info.requestId,
      sourceAddress: info.sourceAddress,
      appended: [],
      actor: info.actor,
      receiptWaitMs: info.receiptWaitMs ?? 0,
    },
    fn,
  );
}

/**
 * The publisher of `actor`'s token when `actor` is the current request's authenticated caller
 * (null: a token of no publisher); undefined when this request cannot say.
 */
export function knownActorPublisher(actor: string): string | null | undefined {
  const a = current.getStore()?.actor;
  return a?.actor === actor ? a.publisherId : undefined;
}

/** How long the current request's client prefers to wait for a sequenced receipt (ms). */
export function receiptWaitMs(): number {
  return current.getStore()?.receiptWaitMs ?? 0;
}

/** The current request, or nulls outside any (CLI, background jobs). */
export function auditRequest(): AuditRequestInfo {
  const s = current.getStore();
  return s
    ? { requestId: s.requestId, sourceAddress: s.sourceAddress }
    : { requestId: null, sourceAddress: null };
}

/** Remembers an event appended in the current request (no-op outside a request). */
export function noteAppended(e: AppendedEvent): void {
  current.getStore()?.appended.push(e);
}

/**
 * The last event of the current request with this action and subject. A transaction that was
 * retried appended once per attempt; only the last attempt committed, so the last one wins. Call
 * it only after the domain function returned (its transaction committed).
 */
export function appendedEvent(action: string, subject: string): AppendedEvent | undefined {
  const list = current.getStore()?.appended ?? [];
  for (let i = list.length - 1; i >= 0; i -= 1)
    if (list[i]!.action === action && list[i]!.subject === subject) return list[i];
  return undefined;
}
