// Makes the request id and client address available to the audit events appended while the
// request is handled (src/audit/request-context.ts), without passing them through every domain call.
import type { MiddlewareHandler } from 'hono';
import { withAuditRequest } from '../../audit/request-context.js';
import type { AppEnv } from '../context.js';

/** The TCP peer address under @hono/node-server; null when not served over a socket (tests). */
function peerAddress(env: unknown): string | null {
  const incoming = (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)
    ?.incoming;
  return incoming?.socket?.remoteAddress ?? null;
}

export function auditRequestContext(): MiddlewareHandler<AppEnv> {
  return (c, next) =>
    withAuditRequest(
      { requestId: c.get('requestId') ?? null, sourceAddress: peerAddress(c.env) },
      () => next(),
    );
}
