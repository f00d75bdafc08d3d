// The audit log: paginated events, chain verification, signed checkpoint of the head.
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AuditEvent } from '../../audit/event.js';
import { verifyAuditChain } from '../../audit/verify.js';
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
    data: z.record(z.string(), z.unknown()),
    prev_hash: z.string(),
    hash: z.string(),
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
    head_hash: z.string(),
    first_broken_seq: z.number().int().nullable(),
    reason: z.enum(['hash-mismatch', 'broken-link', 'sequence-gap']).nullable(),
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
      after: z.coerce.number().int().min(0).default(0).openapi({ param: { name: 'after', in: 'query' } }),
      limit: z.coerce.number().int().min(1).max(1000).default(100).openapi({ param: { name: 'limit', in: 'query' } }),
    }),
  },
  responses: { 200: jsonResponse(EventPage, 'A page of events'), 400: ERRORS[400], 401: ERRORS[401], 403: ERRORS[403] },
});
const verify = defineRoute(ACCESS.auditor, {
  method: 'get',
  path: '/v1/audit/verify',
  tags: ['audit'],
  summary: 'Recompute the hash chain and report the first broken sequence number',
  description:
    'Checks the whole chain (a hash chain cannot be checked in parts) and reports only counts, sequence numbers and ' +
    "hashes — no event content — so a publisher's auditor may run it too.",
  responses: { 200: jsonResponse(Verification, 'Result of the check'), 401: ERRORS[401], 403: ERRORS[403] },
});
const checkpoint = defineRoute(ACCESS.auditor, {
  method: 'get',
  path: '/v1/audit/checkpoint',
  tags: ['audit'],
  summary: 'Signed checkpoint of the verified chain head (keep them to detect truncation later)',
  responses: {
    200: jsonResponse(Checkpoint, 'Signed with a JWKS key'),
    401: ERRORS[401],
    403: ERRORS[403],
    409: ERRORS[409],
  },
});

function eventJson(e: AuditEvent) {
  return {
    seq: e.seq,
    occurred_at: e.occurredAt.toISOString(),
    actor: e.actor,
    action: e.action,
    subject: e.subject,
    data: e.data,
    prev_hash: e.prevHash,
    hash: e.hash,
  };
}

export function auditRoutes(deps: AppDeps) {
  const p = deps.persistence;
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(list, async (c) => {
    const { after, limit } = c.req.valid('query');
    const principal = c.get('principal');
    // A publisher's auditor sees its own publisher's events; admins and the TA-wide auditors an
    // admin created explicitly (auditor tokens of no publisher) see all.
    const scope = principal.role === 'admin' || principal.publisherId === null ? {} : { publisherId: principal.publisherId };
    const items = await p.stores.audit.listAfter(after, limit, scope);
    const next = items.length === limit ? items[items.length - 1]!.seq : null;
    return c.json({ items: items.map(eventJson), next_after: next }, 200);
  });

  app.openapi(verify, async (c) => c.json(await verifyAuditChain(p.stores.audit), 200));

  app.openapi(checkpoint, async (c) => {
    const result = await verifyAuditChain(p.stores.audit);
    if (!result.ok) throw new ConflictError(`audit chain broken at seq ${result.first_broken_seq}; no checkpoint signed`);
    const doc = signDocument(
      { issuer: deps.config.taName, head_seq: result.head_seq, head_hash: result.head_hash, issued_at: p.clock.now().toISOString() },
      deps.keyring.documentSigner,
    );
    return c.json(doc, 200);
  });

  return app;
}
