// The request an audit event was caused by (request id, client address), carried through the
// async call chain so that domain code appends events without knowing about HTTP.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { AuditRequestInfo } from './event.js';

const current = new AsyncLocalStorage<AuditRequestInfo>();

/** Runs `fn` with `info` as the request every event appended inside it records. */
export function withAuditRequest<T>(info: AuditRequestInfo, fn: () => Promise<T>): Promise<T> {
  return current.run(info, fn);
}

/** The current request, or nulls outside any (CLI, background jobs). */
export function auditRequest(): AuditRequestInfo {
  return current.getStore() ?? { requestId: null, sourceAddress: null };
}
