// Namespaces: claim with an HTTP challenge, verify, or admin approve/reject; release by the owner,
// revoke by an admin (DESIGN.md §4.1, §9).
import { OpenAPIHono, z } from '@hono/zod-openapi';
import {
  challengeUrlOf,
  claimNamespace,
  NAMESPACE_STATUSES,
  verifyNamespace,
  type Namespace,
} from '../../registry/namespace.js';
import { getNamespace, listNamespaces } from '../../registry/namespace-read.js';
import { approveNamespace, rejectNamespace } from '../../registry/namespace-decision.js';
import {
  domainOf,
  NAMESPACE_MAX_LENGTH,
  NAMESPACE_PATTERN,
} from '../../registry/namespace-name.js';
import {
  NAMESPACE_REASON_MAX,
  releaseNamespace,
  revokeNamespace,
  type WithdrawnNamespace,
} from '../../registry/namespace-withdrawal.js';
import { ACCESS, defineRoute } from '../access.js';
import type { AppEnv } from '../context.js';
import type { AppDeps } from '../deps.js';
import { decodeCursor, encodeCursor, pageCursor, pageLimit } from '../pagination.js';
import { ERRORS, IsoDateTime, jsonBody, jsonResponse, optionalJsonBody } from '../schemas.js';
import { validationHook } from '../validation.js';

const NamespaceName = z
  .string()
  .max(NAMESPACE_MAX_LENGTH)
  .regex(
    NAMESPACE_PATTERN,
    'must be a reverse-DNS name with at least two labels, e.g. com.example (compared in lower case)',
  );

const NamespaceSchema = z
  .object({
    namespace: z.string().openapi({ example: 'com.example' }),
    domain: z.string().openapi({ example: 'example.com' }),
    publisher_id: z.string(),
    status: z.enum(NAMESPACE_STATUSES as [Namespace['status'], ...Namespace['status'][]]).openapi({
      description:
        'pending: claimed, not proven (lapses at challenge_expires_at; blocks nobody); verified: proven or approved; rejected: an admin refused the claim; released: given up by its publisher; revoked: withdrawn by an admin',
    }),
    challenge_token: z.string(),
    challenge_url: z
      .string()
      .openapi({ description: 'Serve challenge_token (text/plain) here, then call …/verify' }),
    challenge_expires_at: IsoDateTime,
    verification_method: z.enum(['http-challenge', 'admin']).nullable(),
    verified_at: IsoDateTime.nullable(),
    reason: z
      .string()
      .nullable()
      .openapi({ description: 'Why an admin rejected the claim or revoked the namespace' }),
    created_at: IsoDateTime,
    updated_at: IsoDateTime,
  })
  .openapi('Namespace');

const ClaimNamespace = z
  .object({
    namespace: NamespaceName,
    url: z.string().min(1).max(2048).openapi({
      description:
        'https base URL on the namespace domain (or a subdomain); the token is fetched from <url>/.well-known/mcps-challenge/<token>',
      example: 'https://example.com',
    }),
    publisher_id: z.string().optional().openapi({
      description: 'Required with an admin token; a publisher token claims for its own publisher',
    }),
  })
  .openapi('ClaimNamespace');

const namespaceParams = z.object({
  namespace: NamespaceName.openapi({
    param: { name: 'namespace', in: 'path' },
    example: 'com.example',
  }),
});
const listQuery = z.object({
  status: z
    .enum(NAMESPACE_STATUSES as [string, ...string[]])
    .optional()
    .openapi({ param: { name: 'status', in: 'query' } }),
  limit: pageLimit(100),
  cursor: pageCursor(),
});

/** Approve and reject take an optional body: read only when the request says it is JSON. */
const isJson = (contentType: string | undefined) => (contentType ?? '').includes('json');

const common = { 400: ERRORS[400], 401: ERRORS[401], 403: ERRORS[403], 404: ERRORS[404] };

const claim = defineRoute(ACCESS.publisher, {
  method: 'post',
  path: '/v1/namespaces',
  signs: [],
  tags: ['namespaces'],
  summary: 'Claim a namespace; returns the HTTP challenge to serve',
  request: jsonBody(ClaimNamespace),
  description:
    "A live claim of the same publisher is returned unchanged (200): re-claiming never extends challenge_expires_at; a fresh challenge is issued only once the claim lapsed. While another publisher's claim is only pending, this claim competes with it under its own token; the first to pass its challenge takes the namespace over.",
  responses: {
    201: jsonResponse(NamespaceSchema, 'Claimed; pending verification'),
    200: jsonResponse(
      NamespaceSchema,
      "The publisher's live claim, unchanged (same token and expiry; the URL may change)",
    ),
    ...common,
    409: ERRORS[409],
  },
});
const list = defineRoute(ACCESS.anyToken, {
  method: 'get',
  path: '/v1/namespaces',
  tags: ['namespaces'],
  summary: "Namespaces: all for admins, else the caller's publisher's",
  request: { query: listQuery },
  responses: {
    200: jsonResponse(
      z.object({ items: z.array(NamespaceSchema), next_cursor: z.string().nullable() }),
      'A page',
    ),
    400: ERRORS[400],
    401: ERRORS[401],
  },
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
  description:
    'https only, 5 s timeout, 1 KiB limit, no redirects, public addresses only. A failed check is a 400 naming `challenge_url` (or `challenge_token` when the challenge expired).',
  request: { params: namespaceParams },
  responses: { 200: jsonResponse(NamespaceSchema, 'Verified'), ...common, 409: ERRORS[409] },
});
const approve = defineRoute(ACCESS.admin, {
  method: 'post',
  path: '/v1/namespaces/{namespace}/approve',
  signs: [],
  tags: ['namespaces'],
  summary: 'Approve a claim without a challenge (admin)',
  description:
    "Approves the claim the namespace's record holds, or with `publisher_id` another publisher's rival claim, which then takes the namespace over from the pending claim (audited).",
  request: {
    params: namespaceParams,
    ...optionalJsonBody(
      z
        .object({
          publisher_id: z
            .string()
            .min(1)
            .max(64)
            .optional()
            .openapi({ description: "Approve this publisher's rival claim" }),
        })
        .openapi('ApproveNamespace'),
    ),
  },
  responses: { 200: jsonResponse(NamespaceSchema, 'Verified'), ...common, 409: ERRORS[409] },
});
const reject = defineRoute(ACCESS.admin, {
  method: 'post',
  path: '/v1/namespaces/{namespace}/reject',
  signs: [],
  tags: ['namespaces'],
  summary: 'Reject a pending claim (admin)',
  description: 'A verified namespace is revoked instead (…/revoke): 409.',
  request: {
    params: namespaceParams,
    ...optionalJsonBody(
      z.object({ reason: z.string().min(1).max(500).optional() }).openapi('RejectNamespace'),
    ),
  },
  responses: { 200: jsonResponse(NamespaceSchema, 'Rejected'), ...common, 409: ERRORS[409] },
});

const WithdrawnSchema = NamespaceSchema.extend({
  servers: z.array(z.string()).openapi({ description: 'Servers whose origin lost its proof' }),
  revoked_passports: z
    .array(z.string())
    .openapi({ description: 'Server passports revoked (cessationOfOperation)' }),
  revoked_certificates: z
    .array(z.string())
    .openapi({ description: 'Certificate serials revoked (cessationOfOperation)' }),
}).openapi('WithdrawnNamespace');

const withdrawalEffect =
  "Its servers' origins are no longer proven: certificate issuance and renewal, passport issuance and rotation and manifest publication for them get 409 naming the reason, and their server passports and certificates (server certificates and client certificates of those passports) are revoked with cessationOfOperation in the same transaction, each in /v1/revocations, the CRL and the audit log.";

const release = defineRoute(ACCESS.publisher, {
  method: 'post',
  path: '/v1/namespaces/{namespace}/release',
  tags: ['namespaces'],
  signs: [],
  summary: 'Give up a verified namespace (its publisher)',
  description: `Anyone may claim it afterwards. ${withdrawalEffect} Already released → unchanged.`,
  request: { params: namespaceParams },
  responses: { 200: jsonResponse(WithdrawnSchema, 'Released'), ...common, 409: ERRORS[409] },
});
const revoke = defineRoute(ACCESS.admin, {
  method: 'post',
  path: '/v1/namespaces/{namespace}/revoke',
  tags: ['namespaces'],
  signs: [],
  summary: 'Revoke a verified namespace (admin)',
  description: `Its publisher may not claim it again unless an admin approves it; other publishers may. ${withdrawalEffect} Already revoked → unchanged.`,
  request: {
    params: namespaceParams,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({ reason: z.string().trim().min(1).max(NAMESPACE_REASON_MAX) })
            .openapi('RevokeNamespace'),
        },
      },
    },
  },
  responses: { 200: jsonResponse(WithdrawnSchema, 'Revoked'), ...common, 409: ERRORS[409] },
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

function withdrawnJson(w: WithdrawnNamespace) {
  return {
    ...namespaceJson(w.namespace),
    servers: w.servers,
    revoked_passports: w.revoked.passports,
    revoked_certificates: w.revoked.certificates,
  };
}

export function namespaceRoutes(deps: AppDeps) {
  const p = deps.persistence;
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(claim, async (c) => {
    const body = c.req.valid('json');
    const ns = await claimNamespace(
      p,
      c.get('principal'),
      { namespace: body.namespace, url: body.url, publisherId: body.publisher_id },
      {
        allowPrivate: deps.config.allowPrivateChallenges,
      },
    );
    return ns.created
      ? c.json(namespaceJson(ns.namespace), 201)
      : c.json(namespaceJson(ns.namespace), 200);
  });

  app.openapi(list, async (c) => {
    const q = c.req.valid('query');
    const after = q.cursor ? decodeCursor(q.cursor, 'query.cursor') : undefined;
    const items = await listNamespaces(p, c.get('principal'), {
      status: q.status as Namespace['status'] | undefined,
      after,
      limit: q.limit + 1,
    });
    const page = items.slice(0, q.limit);
    const next = items.length > q.limit ? encodeCursor(page[page.length - 1]!.namespace) : null;
    return c.json({ items: page.map(namespaceJson), next_cursor: next }, 200);
  });

  app.openapi(get, async (c) =>
    c.json(
      namespaceJson(
        await getNamespace(p, c.get('principal'), c.req.valid('param').namespace.toLowerCase()),
      ),
      200,
    ),
  );

  app.openapi(verify, async (c) => {
    const ns = await verifyNamespace(
      p,
      c.get('principal'),
      c.req.valid('param').namespace.toLowerCase(),
      deps.fetchChallenge,
    );
    return c.json(namespaceJson(ns), 200);
  });

  app.openapi(approve, async (c) => {
    const body = isJson(c.req.header('content-type')) ? c.req.valid('json') : {};
    const name = c.req.valid('param').namespace.toLowerCase();
    const ns = await approveNamespace(p, c.get('principal'), name, {
      publisherId: body.publisher_id,
    });
    return c.json(namespaceJson(ns), 200);
  });

  app.openapi(reject, async (c) => {
    const body = isJson(c.req.header('content-type')) ? c.req.valid('json') : {};
    const name = c.req.valid('param').namespace.toLowerCase();
    const ns = await rejectNamespace(p, c.get('principal'), name, body.reason ?? null);
    return c.json(namespaceJson(ns), 200);
  });

  const dependents = deps.originDependents;
  app.openapi(release, async (c) => {
    const name = c.req.valid('param').namespace.toLowerCase();
    const w = await releaseNamespace(p, dependents, c.get('principal'), name);
    return c.json(withdrawnJson(w), 200);
  });

  app.openapi(revoke, async (c) => {
    const name = c.req.valid('param').namespace.toLowerCase();
    const { reason } = c.req.valid('json');
    return c.json(
      withdrawnJson(await revokeNamespace(p, dependents, c.get('principal'), name, reason)),
      200,
    );
  });

  return app;
}
