// Revocation webhooks: register (URL + shared secret), list, read, delete, delivery history.
// Every revocation is POSTed to each live subscription as a JSON event signed with
// `x-mcps-signature: sha256=<hex HMAC-SHA256(secret, raw body)>`.
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { REVOCATION_KINDS, type RevocationKind } from '../../revocation/revocation.js';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listDeliveries,
  listWebhooks,
  retryDelivery,
} from '../../webhooks/subscriptions.js';
import {
  DESCRIPTION_MAX,
  SECRET_MAX,
  SECRET_MIN,
  URL_MAX,
  WEBHOOK_ID_PATTERN,
  type WebhookDelivery,
  type WebhookSubscription,
} from '../../webhooks/webhook.js';
import { ACCESS, defineRoute } from '../access.js';
import type { AppEnv } from '../context.js';
import type { AppDeps } from '../deps.js';
import { ERRORS, IsoDateTime, jsonBody, jsonResponse, RESOURCE_ERRORS } from '../schemas.js';
import { pageLimit } from '../pagination.js';
import { validationHook } from '../validation.js';

const tags = ['webhooks'];
const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'cancelled'] as const;
const Kind = z.enum(REVOCATION_KINDS as [RevocationKind, ...RevocationKind[]]);

const Webhook = z
  .object({
    id: z.string(),
    publisher_id: z
      .string()
      .nullable()
      .openapi({ description: 'Owner; null for one an admin registered' }),
    url: z.string(),
    kinds: z.array(Kind).openapi({ description: 'Revocation kinds delivered; empty = every kind' }),
    description: z.string().nullable(),
    created_at: IsoDateTime,
    deleted_at: IsoDateTime.nullable(),
  })
  .openapi('Webhook');

const CreateWebhook = z
  .object({
    url: z
      .string()
      .min(1)
      .max(URL_MAX)
      .openapi({ description: 'https URL that receives POSTs (public addresses only)' }),
    secret: z.string().min(SECRET_MIN).max(SECRET_MAX).openapi({
      description: 'Shared secret for the HMAC-SHA256 signature header; never returned',
    }),
    kinds: z.array(Kind).max(REVOCATION_KINDS.length).optional(),
    description: z.string().max(DESCRIPTION_MAX).nullable().optional(),
  })
  .openapi('CreateWebhook');

const Delivery = z
  .object({
    revocation_seq: z.number().int(),
    status: z.enum(DELIVERY_STATUSES).openapi({
      description:
        'pending: queued or backing off between attempts (exponential, with jitter); delivered: a 2xx answer; failed: the dead-letter state, given up after the last attempt (retry with POST …/deliveries/{seq}/retry); cancelled: the webhook was deleted',
    }),
    attempts: z.number().int(),
    next_attempt_at: IsoDateTime.nullable().openapi({ description: 'Set while pending' }),
    last_attempt_at: IsoDateTime.nullable(),
    last_status_code: z.number().int().nullable(),
    last_error: z.string().nullable(),
    created_at: IsoDateTime,
    delivered_at: IsoDateTime.nullable(),
  })
  .openapi('WebhookDelivery');

const idParam = z.object({
  id: z
    .string()
    .regex(WEBHOOK_ID_PATTERN, 'must be a webhook id (whk_ + 32 hex)')
    .openapi({ param: { name: 'id', in: 'path' } }),
});

const create = defineRoute(ACCESS.publisher, {
  method: 'post',
  path: '/v1/webhooks',
  signs: [],
  tags,
  summary: 'Register a revocation webhook',
  description:
    'Each revocation (of the chosen kinds) is POSTed as `{type: "mcps.revocation", id, issuer, subscription_id, revocation}` with headers `x-mcps-signature: sha256=<hex HMAC-SHA256(secret, raw body)>` and `x-mcps-event-id`. Delivery is at least once (deduplicate on `id`); failures are retried with exponential backoff for about half a day, also across restarts.',
  request: jsonBody(CreateWebhook),
  responses: {
    201: jsonResponse(Webhook, 'Registered'),
    400: ERRORS[400],
    401: ERRORS[401],
    403: ERRORS[403],
    409: ERRORS[409],
  },
});
const list = defineRoute(ACCESS.anyToken, {
  method: 'get',
  path: '/v1/webhooks',
  tags,
  summary: "Live webhooks of the caller's publisher (admins: all)",
  responses: {
    200: jsonResponse(z.object({ items: z.array(Webhook) }).openapi('WebhookList'), 'Webhooks'),
    401: ERRORS[401],
    403: ERRORS[403],
  },
});
const get = defineRoute(ACCESS.anyToken, {
  method: 'get',
  path: '/v1/webhooks/{id}',
  tags,
  summary: 'A webhook (owner or admin)',
  request: { params: idParam },
  responses: {
    200: jsonResponse(Webhook, 'The webhook'),
    ...RESOURCE_ERRORS,
  },
});
const remove = defineRoute(ACCESS.publisher, {
  method: 'delete',
  path: '/v1/webhooks/{id}',
  signs: [],
  tags,
  summary: 'Delete a webhook: no further deliveries; pending ones are cancelled; history stays',
  request: { params: idParam },
  responses: {
    200: jsonResponse(Webhook, 'Deleted'),
    ...RESOURCE_ERRORS,
  },
});
const deliveries = defineRoute(ACCESS.anyToken, {
  method: 'get',
  path: '/v1/webhooks/{id}/deliveries',
  tags,
  summary: 'Delivery history of a webhook, newest revocation first (owner or admin)',
  request: {
    params: idParam,
    query: z.object({
      limit: pageLimit(),
      before: z.coerce
        .number()
        .int()
        .min(1)
        .max(Number.MAX_SAFE_INTEGER)
        .optional()
        .openapi({
          param: { name: 'before', in: 'query' },
          description:
            'Only deliveries of revocations with a smaller seq (the `next_before` of the previous page)',
        }),
      status: z
        .enum(DELIVERY_STATUSES)
        .optional()
        .openapi({
          param: { name: 'status', in: 'query' },
          description: 'Only deliveries in this state (`failed`: the dead letters)',
        }),
    }),
  },
  responses: {
    200: jsonResponse(
      z
        .object({ items: z.array(Delivery), next_before: z.number().int().nullable() })
        .openapi('WebhookDeliveryList'),
      'A page of deliveries',
    ),
    ...RESOURCE_ERRORS,
  },
});

const retry = defineRoute(ACCESS.publisher, {
  method: 'post',
  path: '/v1/webhooks/{id}/deliveries/{seq}/retry',
  signs: [],
  tags,
  summary:
    'Retry a dead-letter delivery (owner or admin): back in the queue with a fresh series of attempts',
  request: {
    params: idParam.extend({
      seq: z.coerce
        .number()
        .int()
        .min(1)
        .max(Number.MAX_SAFE_INTEGER)
        .openapi({
          param: { name: 'seq', in: 'path' },
          description: 'The revocation_seq of the delivery',
        }),
    }),
  },
  responses: {
    200: jsonResponse(Delivery, 'Queued again'),
    ...RESOURCE_ERRORS,
    409: ERRORS[409],
  },
});

function webhookJson(w: WebhookSubscription) {
  return {
    id: w.id,
    publisher_id: w.publisherId,
    url: w.url,
    kinds: w.kinds,
    description: w.description,
    created_at: w.createdAt.toISOString(),
    deleted_at: w.deletedAt?.toISOString() ?? null,
  };
}

function deliveryJson(d: WebhookDelivery) {
  return {
    revocation_seq: d.revocationSeq,
    status: d.status,
    attempts: d.attempts,
    next_attempt_at: d.status === 'pending' ? d.nextAttemptAt.toISOString() : null,
    last_attempt_at: d.lastAttemptAt?.toISOString() ?? null,
    last_status_code: d.lastStatusCode,
    last_error: d.lastError,
    created_at: d.createdAt.toISOString(),
    delivered_at: d.deliveredAt?.toISOString() ?? null,
  };
}

export function webhookRoutes(deps: AppDeps) {
  const p = deps.persistence;
  const settings = { kek: deps.kek, allowPrivate: deps.config.allowPrivateWebhooks };
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(create, async (c) =>
    c.json(
      webhookJson(await createWebhook(p, settings, c.get('principal'), c.req.valid('json'))),
      201,
    ),
  );
  app.openapi(list, async (c) =>
    c.json({ items: (await listWebhooks(p, c.get('principal'))).map(webhookJson) }, 200),
  );
  app.openapi(get, async (c) =>
    c.json(webhookJson(await getWebhook(p, c.get('principal'), c.req.valid('param').id)), 200),
  );
  app.openapi(remove, async (c) =>
    c.json(webhookJson(await deleteWebhook(p, c.get('principal'), c.req.valid('param').id)), 200),
  );
  app.openapi(deliveries, async (c) => {
    const q = c.req.valid('query');
    const items = await listDeliveries(p, c.get('principal'), c.req.valid('param').id, {
      beforeSeq: q.before,
      limit: q.limit + 1,
      status: q.status,
    });
    const page = items.slice(0, q.limit);
    return c.json(
      {
        items: page.map(deliveryJson),
        next_before: items.length > q.limit ? page[page.length - 1]!.revocationSeq : null,
      },
      200,
    );
  });
  app.openapi(retry, async (c) => {
    const { id, seq } = c.req.valid('param');
    return c.json(deliveryJson(await retryDelivery(p, c.get('principal'), id, seq)), 200);
  });
  return app;
}
