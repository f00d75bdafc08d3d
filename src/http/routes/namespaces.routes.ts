// Namespaces: claim with an HTTP challenge, verify, or admin approve/reject (DESIGN.md §4.1).
import { OpenAPIHono, z } from '@hono/zod-openapi';
import {
  approveNamespace,
  challengeUrlOf,
  claimNamespace,
  getNamespace,
  listNamespaces,
  NAMESPACE_STATUSES,
  rejectNamespace,
  verifyNamespace,
  type Namespace,
} from '../../registry/namespace.js';
import { domainOf, NAMESPACE_MAX_LENGTH, NAMESPACE_PATTERN } from '../../registry/namespace-name.js';
import { ACCESS, defineRoute } from '../access.js';
import type { AppEnv } from '../context.js';
import type { AppDeps } from '../deps.js';
import { decodeCursor, encodeCursor } from '../pagination.js';
import { ERRORS, IsoDateTime, jsonBody, jsonResponse } from '../schemas.js';
import { validationHook } from '../validation.js';

const NamespaceName = z
  .string()
  .max(NAMESPACE_MAX_LENGTH)
  .regex(NAMESPACE_PATTERN, 'must be a lower-case reverse-DNS name with at least two labels, e.g. com.example');

const NamespaceSchema = z
  .object({
    namespace: z.string().openapi({ example: 'com.example' }),
    domain: z.string().openapi({ example: 'example.com' }),
    publisher_id: z.string(),
    status: z.enum(['pending', 'verified', 'rejected']),
    challenge_token: z.string(),
    challenge_url: z.string().openapi({ description: 'Serve challenge_token (text/plain) here, then call …/verify' }),
    challenge_expires_at: IsoDateTime,
    verification_method: z.enum(['http-challenge', 'admin']).nullable(),
    verified_at: IsoDateTime.nullable(),
    reason: z.string().nullable(),
    created_at: IsoDateTime,
    updated_at: IsoDateTime,
  })
  .openapi('Namespace');

const ClaimNamespace = z
  .object({
    namespace: NamespaceName,
    url: z.string().min(1).max(2048).openapi({
      description: 'https base URL on the namespace domain (or a subdomain); the token is fetched from <url>/.well-known/mcps-challenge/<token>',
      example: 'https://example.com',
    }),
    publisher_id: z.string().optional().openapi({ description: 'Required with an admin token; a publisher token claims for its own publisher' }),
  })
  .openapi('ClaimNamespace');

const namespaceParams = z.object({ namespace: NamespaceName.openapi({ param: { name: 'namespace', in: 'path' }, example: 'com.example' }) });
const listQuery = z.object({
  status: z.enum(NAMESPACE_STATUSES as [string, ...string[]]).optional().openapi({ param: { name: 'status', in: 'query' } }),
  limit: z.coerce.number().int().min(1).max(500).default(100).openapi({ param: { name: 'limit', in: 'query' } }),
  cursor: z.string().max(512).optional().openapi({ param: { name: 'cursor', in: 'query' } }),
});

const common = { 400: ERRORS[400], 401: ERRORS[401], 403: ERRORS[403], 404: ERRORS[404] };

const claim = defineRoute(ACCESS.publisher, {
  method: 'post',
  path: '/v1/namespaces',
  signs: [],
  tags: ['namespaces'],
  summary: 'Claim a namespace; returns the HTTP challenge to serve',
  request: jsonBody(ClaimNamespace),
  responses: { 201: jsonResponse(NamespaceSchema, 'Claimed; pending verification'), ...common, 409: ERRORS[409] },
});
const list = defineRoute(ACCESS.anyToken, {
  method: 'get',
  path: '/v1/namespaces',
  tags: ['namespaces'],
  summary: "Namespaces: all for admins, else the caller's publisher's",
  request: { query: listQuery },
  responses: { 200: jsonResponse(z.object({ items: z.array(NamespaceSchema), next_cursor: z.string().nullable() }), 'A page'), 400: ERRORS[400], 401: ERRORS[401] },
});
const get = defineRoute(ACCESS.anyToken, {
  method: 'get',
  path: '/v1/namespaces/{namespace}',
  tags: ['namespaces'],
  summary: 'A namespace (admin or its publisher)',
  request: { params: namespaceParams },
  responses: { 200: jsonResponse(NamespaceSchema, 'The namespace'), ...common },
});
const verify = defineRoute(ACCESS.publisher, {
  method: 'post',
  path: '/v1/namespaces/{namespace}/verify',
  signs: [],
  tags: ['namespaces'],
  summary: 'Fetch the challenge URL and mark the namespace verified when it serves the token',
  description: 'https only, 5 s timeout, 1 KiB limit, no redirects, public addresses only. A failed check is a 400 naming `challenge_url` (or `challenge_token` when the challenge expired).',
  request: { params: namespaceParams },
  responses: { 200: jsonResponse(NamespaceSchema, 'Verified'), ...common, 409: ERRORS[409] },
});
const approve = defineRoute(ACCESS.admin, {
  method: 'post',
  path: '/v1/namespaces/{namespace}/approve',
  signs: [],
  tags: ['namespaces'],
  summary: 'Approve a claim without a challenge (admin)',
  request: { params: namespaceParams },
  responses: { 200: jsonResponse(NamespaceSchema, 'Verified'), ...common },
});
const reject = defineRoute(ACCESS.admin, {
  method: 'post',
  path: '/v1/namespaces/{namespace}/reject',
  signs: [],
  tags: ['namespaces'],
  summary: 'Reject a claim or withdraw a verification (admin)',
  request: {
    params: namespaceParams,
    body: { required: false, content: { 'application/json': { schema: z.object({ reason: z.string().min(1).max(500).optional() }).openapi('RejectNamespace') } } },
  },
  responses: { 200: jsonResponse(NamespaceSchema, 'Rejected'), ...common },
});

function namespaceJson(ns: Namespace) {
  return {
    namespace: ns.namespace,
    domain: domainOf(ns.namespace),
    publisher_id: ns.publisherId,
    status: ns.status,
    challenge_token: ns.challengeToken,
    challenge_url: challengeUrlOf(ns),
    challenge_expires_at: ns.challengeExpiresAt.toISOString(),
    verification_method: ns.verificationMethod,
    verified_at: ns.verifiedAt?.toISOString() ?? null,
    reason: ns.reason,
    created_at: ns.createdAt.toISOString(),
    updated_at: ns.updatedAt.toISOString(),
  };
}

export function namespaceRoutes(deps: AppDeps) {
  const p = deps.persistence;
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(claim, async (c) => {
    const body = c.req.valid('json');
    const ns = await claimNamespace(p, c.get('principal'), { namespace: body.namespace, url: body.url, publisherId: body.publisher_id }, {
      allowPrivate: deps.config.allowPrivateChallenges,
    });
    return c.json(namespaceJson(ns), 201);
  });

  app.openapi(list, async (c) => {
    const q = c.req.valid('query');
    const after = q.cursor ? decodeCursor(q.cursor, 'query.cursor') : undefined;
    const items = await listNamespaces(p, c.get('principal'), { status: q.status as Namespace['status'] | undefined, after, limit: q.limit + 1 });
    const page = items.slice(0, q.limit);
    const next = items.length > q.limit ? encodeCursor(page[page.length - 1]!.namespace) : null;
    return c.json({ items: page.map(namespaceJson), next_cursor: next }, 200);
  });

  app.openapi(get, async (c) => c.json(namespaceJson(await getNamespace(p, c.get('principal'), c.req.valid('param').namespace)), 200));

  app.openapi(verify, async (c) => {
    const ns = await verifyNamespace(p, c.get('principal'), c.req.valid('param').namespace, deps.fetchChallenge);
    return c.json(namespaceJson(ns), 200);
  });

  app.openapi(approve, async (c) => c.json(namespaceJson(await approveNamespace(p, c.get('principal'), c.req.valid('param').namespace)), 200));

  app.openapi(reject, async (c) => {
    const body: { reason?: string } = (c.req.header('content-type') ?? '').includes('json') ? c.req.valid('json') : {};
    const ns = await rejectNamespace(p, c.get('principal'), c.req.valid('param').namespace, body.reason ?? null);
    return c.json(namespaceJson(ns), 200);
  });

  return app;
}
