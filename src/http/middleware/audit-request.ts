// Makes the request id, client address and authenticated caller available to the audit events
// appended while the request is handled (src/audit/request-context.ts), without passing them
// through every domain call; and how long the client prefers to wait for a sequenced log receipt.
import type { MiddlewareHandler } from 'hono';
import { withAuditRequest, type RequestActor } from '../../audit/request-context.js';
import { actorOf, type Principal } from '../../auth/principal.js';
import type { AppEnv } from '../context.js';

/** The longest `Prefer: wait=N` honoured for a log receipt, in seconds. */
export const MAX_RECEIPT_WAIT_S = 10;

/** The TCP peer address under @hono/node-server; null when not served over a socket (tests). */
function peerAddress(env: unknown): string | null {
  const incoming = (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)
    ?.incoming;
  return incoming?.socket?.remoteAddress ?? null;
}

/**
 * The `wait` preference of RFC 7240 §4.3 (`Prefer: wait=5`), in ms, capped at
 * MAX_RECEIPT_WAIT_S; 0 when absent or malformed (a preference the server may ignore).
 */
export function preferredWaitMs(prefer: string | undefined): number {
  if (!prefer) return 0;
  const m = /(?:^|[,;]\s*)wait\s*=\s*"?(\d{1,6})"?\s*(?:[,;]|$)/i.exec(prefer);
  if (!m) return 0;
  return Math.min(Number(m[1]), MAX_RECEIPT_WAIT_S) * 1000;
}

function requestActor(p: Principal | undefined): RequestActor | undefined {
  return p ? { actor: actorOf(p), publisherId: p.publisherId } : undefined;
}

export function auditRequestContext(): MiddlewareHandler<AppEnv> {
  return (c, next) =>
    withAuditRequest(
      {
        requestId: c.get('requestId') ?? null,
        sourceAddress: peerAddress(c.env),
        actor: requestActor(c.get('principal')),
        receiptWaitMs: preferredWaitMs(c.req.header('prefer')),
      },
      () => next(),
    );
}
