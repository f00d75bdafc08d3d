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

interface RequestScope extends AuditRequestInfo {
  appended: AppendedEvent[];
}

const current = new AsyncLocalStorage<RequestScope>();

/** Runs `fn` with `info` as the request every event appended inside it records. */
export function withAuditRequest<T>(info: AuditRequestInfo, fn: () => Promise<T>): Promise<T> {
  return current.run(
    { requestId: info.requestId, sourceAddress: info.sourceAddress, appended: [] },
    fn,
  );
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
