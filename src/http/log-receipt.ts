// The `log` member of write responses (docs/transparency-log.md): which transparency-log event
// the write appended, so the client can later fetch its inclusion proof.
import { z } from '@hono/zod-openapi';
import { readReceipt } from '../log/read.js';
import type { LogReceipt } from '../log/receipt.js';
import type { AppDeps } from './deps.js';

export const LogReceiptSchema = z
  .object({
    event_id: z
      .number()
      .int()
      .openapi({ description: 'Insertion id of the audit event this write appended' }),
    seq: z.number().int().nullable().openapi({
      description:
        'Its seq in the transparency log. The sequencer numbers events after their write commits (typically ≤ 250 ms), so this is null unless the request sent `Prefer: wait=N` (RFC 7240; N ≤ 10 s): then the response waits until the event has its seq, and is null only if N passed first',
    }),
    event_uri: z
      .string()
      .openapi({ description: 'GET it for the seq once sequenced', example: '/v1/log/events/42' }),
  })
  .openapi('LogReceipt', {
    description:
      'The log event of this write. Resolve `event_uri` to the seq, then fetch an inclusion proof and a checkpoint ' +
      '(or let `npm run ta -- verify … --require-log` do it). Absent when the call appended no event (nothing changed).',
  });

/** `{log}` for a response, or `{}` when the request appended no event `action` on `subject`. */
export async function logMember(
  deps: AppDeps,
  action: string,
  subject: string,
): Promise<{ log?: LogReceipt }> {
  const log = await readReceipt(deps.persistence, action, subject);
  return log ? { log } : {};
}
