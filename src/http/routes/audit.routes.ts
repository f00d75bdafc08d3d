// The audit log: paginated events, chain verification, signed checkpoint of the head.
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { eventDocument, type AuditEvent } from '../../audit/event.js';
import { exportRecord, listAuditEventsAfter } from '../../audit/list.js';
import { verifyStoredAuditLog } from '../../audit/verify.js';
import { signDocument } from '../../crypto/signed-document.js';
import { ConflictError } from '../../errors.js';
import { ACCESS, defineRoute } from '../access.js';
import type { AppEnv } from '../context.js';
import type { AppDeps } from '../deps.js';
import { ERRORS, IsoDateTime, jsonResponse } from '../schemas.js';
import { validationHook } from '../validation.js';

const EventSchema = z
  .object({
    seq: z.number().int(),
    occurred_at: IsoDateTime,
    actor: z.string(),
    action: z.string(),
    subject: z.string(),
    outcome: z.enum(['success', 'refused']),
    data: z.record(z.string(), z.unknown()),
    prev_hash: z.string(),
    hash: z.string(),
    document: z.record(z.string(), z.unknown()).openapi({
      description: 'The standard event document: the transparency-log leaf is its JCS',
    }),
  })
  .openapi('AuditEvent');
const EventPage = z
  .object({ items: z.array(EventSchema), next_after: z.number().int().nullable() })
  .openapi('AuditEventPage');
const Verification = z
  .object({
    ok: z.boolean(),
    checked: z.number().int(),
    head_seq: z.number().int(),
    head_hash: z
      .string()
      .openapi({ description: 'Hex root hash of the tree recomputed from the events' }),
    checkpoints_checked: z.number().int(),
    first_broken_seq: z.number().int().nullable(),
    reason: z
      .enum([
        'hash-mismatch',
        'sequence-gap',
        'checkpoint-mismatch',
        'bad-checkpoint-signature',
        'tree-mismatch',
      ])
      .nullable(),
  })
  .openapi('AuditChainVerification');
const Checkpoint = z
  .object({
    issuer: z.string(),
    head_seq: z.number().int(),
    head_hash: z.string(),
    issued_at: IsoDateTime,
    issuer_kid: z.string(),
    signature: z.string(),
  })
  .openapi('AuditCheckpoint');

const list = defineRoute(ACCESS.auditor, {
  method: 'get',
  path: '/v1/audit',
  tags: ['audit'],
  summary: 'Audit events after a sequence number, oldest first',
  description:
    "Admins and TA-wide auditor tokens (created by an admin: POST /v1/auditor-tokens) read every event. A publisher's auditor token reads only that publisher's events: those about its " +
    'resources or done with its tokens (`data.publisher_id`, recorded when the event is appended and covered by the chain hash).',
  request: {
    query: z.object({
      after: z.coerce
        .number()
        .int()
        .min(0)
        .default(0)
        .openapi({ param: { name: 'after', in: 'query' } }),
      limit: z.coerce
        .number()
        .int()
        .min(1)
        .max(1000)
        .default(100)
        .openapi({ param: { name: 'limit', in: 'query' } }),
    }),
  },
  responses: {
    200: jsonResponse(EventPage, 'A page of events'),
    400: ERRORS[400],
    401: ERRORS[401],
    403: ERRORS[403],
  },
});
const verify = defineRoute(ACCESS.auditor, {
  method: 'get',
  path: '/v1/audit/verify',
  tags: ['audit'],
  summary: 'Recompute the Merkle tree from the events and report the first bad sequence number',
  description:
    'Recomputes every leaf from its event row and compares it with the tree, and the root at every size the log signed a ' +
    'checkpoint for. A changed, deleted or swapped row is named by its seq. Reports only counts, sequence numbers and ' +
    "hashes — no event content — so a publisher's auditor may run it too.",
  responses: {
    200: jsonResponse(Verification, 'Result of the check'),
    401: ERRORS[401],
    403: ERRORS[403],
  },
});
const checkpoint = defineRoute(ACCESS.auditor, {
  method: 'get',
  path: '/v1/audit/checkpoint',
  tags: ['audit'],
  summary:
    'Signed head of the verified log (head_hash: hex tree root); the public log checkpoint is GET /v1/log/checkpoint',
  responses: {
    200: jsonResponse(Checkpoint, 'Signed with a JWKS key'),
    401: ERRORS[401],
    403: ERRORS[403],
    409: ERRORS[409],
  },
});

function eventJson(e: AuditEvent) {
  return {
    ...exportRecord(e),
    outcome: e.outcome,
    prev_hash: e.prevHash,
    hash: e.hash,
    document: eventDocument(e) as unknown as Record<string, unknown>,
  };
}

export function auditRoutes(deps: AppDeps) {
  const p = deps.persistence;
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  // Read-your-writes on this instance: what committed before the read is sequenced first.
  const caughtUp = () =>
    deps.log
      .flush(5_000)
      .catch((err: unknown) =>
        deps.logger.warn({ err: { message: (err as Error).message } }, 'log not caught up'),
      );

  app.openapi(list, async (c) => {
    const { after, limit } = c.req.valid('query');
    await caughtUp();
    const items = await listAuditEventsAfter(p, c.get('principal'), after, limit);
    const next = items.length === limit ? items[items.length - 1]!.seq : null;
    return c.json({ items: items.map(eventJson), next_after: next }, 200);
  });

  const check = async () => {
    await caughtUp();
    return verifyStoredAuditLog(p, (kid) => deps.keyring.publicKeyFor(kid));
  };

  app.openapi(verify, async (c) => c.json(await check(), 200));

  app.openapi(checkpoint, async (c) => {
    const result = await check();
    if (!result.ok)
      throw new ConflictError(
        `audit chain broken at seq ${result.first_broken_seq}; no checkpoint signed`,
      );
    const doc = signDocument(
      {
        issuer: deps.config.taName,
        head_seq: result.head_seq,
        head_hash: result.head_hash,
        issued_at: p.clock.now().toISOString(),
      },
      deps.keyring.documentSigner,
    );
    return c.json(doc, 200);
  });

  return app;
}
