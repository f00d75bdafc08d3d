// Publishers and their API tokens (DESIGN.md §4.1).
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { UnauthorizedError } from '../../errors.js';
import {
  createApiToken,
  listPublisherTokens,
  revokeApiToken,
  type ApiTokenView,
} from '../../auth/api-token.js';
import {
  createPublisher,
  getPublisher,
  PUBLISHER_NAME_PATTERN,
  type Publisher,
} from '../../registry/publisher.js';
import { listPublishers } from '../../registry/read.js';
import { ACCESS, defineRoute } from '../access.js';
import type { AppEnv } from '../context.js';
import type { AppDeps } from '../deps.js';
import { decodeCursor, encodeCursor, PageQuery } from '../pagination.js';
import { ERRORS, IsoDateTime, jsonBody, jsonResponse, RESOURCE_ERRORS } from '../schemas.js';
import { validationHook } from '../validation.js';

const PublisherId = z
  .string()
  .regex(/^pub_[0-9a-f]{32}$/, 'must be a publisher id (pub_ + 32 hex)');
export const TokenId = z.string().regex(/^tok_[0-9a-f]{16}$/, 'must be a token id (tok_ + 16 hex)');

const PublisherSchema = z
  .object({ id: z.string(), name: z.string(), created_at: IsoDateTime })
  .openapi('Publisher');
const PublisherList = z
  .object({ items: z.array(PublisherSchema), next_cursor: z.string().nullable() })
  .openapi('PublisherList');
const CreatePublisher = z
  .object({
    name: z
      .string()
      .regex(
        PUBLISHER_NAME_PATTERN,
        'must be 1–128 printable characters without surrounding spaces',
      )
      .openapi({ pattern: PUBLISHER_NAME_PATTERN.source }),
  })
  .openapi('CreatePublisher');

export const TokenView = z
  .object({
    id: z.string(),
    role: z.enum(['admin', 'publisher', 'auditor']),
    publisher_id: z.string().nullable(),
    label: z.string().nullable(),
    created_at: IsoDateTime,
    expires_at: IsoDateTime.nullable(),
    revoked_at: IsoDateTime.nullable(),
  })
  .openapi('ApiToken');
/** The answers of a token revocation (publisher tokens here, TA-wide auditor tokens alike). */
export const TOKEN_REVOKED = {
  200: jsonResponse(TokenView, 'Revoked'),
  ...RESOURCE_ERRORS,
};

export const CreatedToken = TokenView.extend({
  token: z
    .string()
    .openapi({ description: 'The bearer token. Shown only in this response; store it now.' }),
}).openapi('CreatedApiToken');
const CreateToken = z
  .object({
    role: z.enum(['publisher', 'auditor']),
    label: z.string().min(1).max(128).optional(),
    expires_at: z.iso.datetime({ offset: false }).optional().openapi({ format: 'date-time' }),
  })
  .openapi('CreateApiToken');

const publisherParams = z.object({
  id: PublisherId.openapi({ param: { name: 'id', in: 'path' } }),
});
const tokenParams = publisherParams.extend({
  token_id: TokenId.openapi({ param: { name: 'token_id', in: 'path' } }),
});

const create = defineRoute(ACCESS.admin, {
  method: 'post',
  path: '/v1/publishers',
  signs: [],
  tags: ['publishers'],
  summary: 'Create a publisher',
  request: jsonBody(CreatePublisher),
  responses: {
    201: jsonResponse(PublisherSchema, 'Created'),
    400: ERRORS[400],
    401: ERRORS[401],
    403: ERRORS[403],
    409: ERRORS[409],
  },
});
const list = defineRoute(ACCESS.admin, {
  method: 'get',
  path: '/v1/publishers',
  tags: ['publishers'],
  summary: 'List publishers',
  request: { query: PageQuery },
  responses: {
    200: jsonResponse(PublisherList, 'A page of publishers'),
    400: ERRORS[400],
    401: ERRORS[401],
    403: ERRORS[403],
  },
});
const get = defineRoute(ACCESS.anyToken, {
  method: 'get',
  path: '/v1/publishers/{id}',
  tags: ['publishers'],
  summary: 'Get a publisher (admin, or a token of that publisher)',
  request: { params: publisherParams },
  responses: {
    200: jsonResponse(PublisherSchema, 'The publisher'),
    ...RESOURCE_ERRORS,
  },
});
const createToken = defineRoute(ACCESS.admin, {
  method: 'post',
  path: '/v1/publishers/{id}/tokens',
  signs: [],
  tags: ['tokens'],
  summary: 'Create an API token for a publisher (the secret is shown once)',
  request: { params: publisherParams, ...jsonBody(CreateToken) },
  responses: {
    201: jsonResponse(CreatedToken, 'Created'),
    ...RESOURCE_ERRORS,
  },
});
const listTokens = defineRoute(ACCESS.anyToken, {
  method: 'get',
  path: '/v1/publishers/{id}/tokens',
  tags: ['tokens'],
  summary: "List a publisher's tokens (never their secrets)",
  request: { params: publisherParams },
  responses: {
    200: jsonResponse(z.object({ items: z.array(TokenView) }), 'Tokens'),
    ...RESOURCE_ERRORS,
  },
});
const revokeToken = defineRoute(ACCESS.publisher, {
  method: 'post',
  path: '/v1/publishers/{id}/tokens/{token_id}/revoke',
  signs: [],
  tags: ['tokens'],
  summary: 'Revoke a token (admin, or a publisher token of the same publisher)',
  request: { params: tokenParams },
  responses: TOKEN_REVOKED,
});

const Whoami = z
  .object({
    token_id: z.string(),
    role: z.enum(['admin', 'publisher', 'auditor']),
    publisher_id: z.string().nullable(),
  })
  .openapi('Whoami');
const whoami = defineRoute(ACCESS.anyToken, {
  method: 'get',
  path: '/v1/token',
  tags: ['tokens'],
  summary: 'The calling token: id, role and publisher',
  responses: { 200: jsonResponse(Whoami, 'The caller'), 401: ERRORS[401] },
});

function publisherJson(p: Publisher) {
  return { id: p.id, name: p.name, created_at: p.createdAt.toISOString() };
}

export function tokenJson(t: ApiTokenView) {
  return {
    id: t.id,
    role: t.role,
    publisher_id: t.publisherId,
    label: t.label,
    created_at: t.createdAt.toISOString(),
    expires_at: t.expiresAt?.toISOString() ?? null,
    revoked_at: t.revokedAt?.toISOString() ?? null,
  };
}

export function publisherRoutes(deps: AppDeps) {
  const p = deps.persistence;
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(create, async (c) => {
    const publisher = await createPublisher(p, c.get('principal'), c.req.valid('json'));
    return c.json(publisherJson(publisher), 201);
  });

  app.openapi(list, async (c) => {
    const q = c.req.valid('query');
    const after = q.cursor ? decodeCursor(q.cursor, 'query.cursor') : undefined;
    const page = await listPublishers(p, { after, limit: q.limit, search: q.search });
    return c.json(
      {
        items: page.items.map(publisherJson),
        next_cursor: page.next === null ? null : encodeCursor(page.next),
      },
      200,
    );
  });

  app.openapi(get, async (c) => {
    const publisher = await getPublisher(p, c.get('principal'), c.req.valid('param').id);
    return c.json(publisherJson(publisher), 200);
  });

  app.openapi(createToken, async (c) => {
    const body = c.req.valid('json');
    const created = await createApiToken(p, c.get('principal'), {
      role: body.role,
      publisherId: c.req.valid('param').id,
      label: body.label ?? null,
      expiresAt: body.expires_at ? new Date(body.expires_at) : null,
    });
    c.header('cache-control', 'no-store');
    return c.json({ ...tokenJson(created.view), token: created.token }, 201);
  });

  app.openapi(listTokens, async (c) => {
    const tokens = await listPublisherTokens(p, c.get('principal'), c.req.valid('param').id);
    return c.json({ items: tokens.map(tokenJson) }, 200);
  });

  app.openapi(revokeToken, async (c) => {
    const { id, token_id } = c.req.valid('param');
    const view = await revokeApiToken(p, c.get('principal'), id, token_id);
    return c.json(tokenJson(view), 200);
  });

  app.openapi(whoami, (c) => {
    const principal = c.get('principal');
    // /v1 routes authenticate only API tokens; an admin UI session never reaches them.
    if (principal.kind !== 'token')
      throw new UnauthorizedError('this endpoint describes API tokens');
    return c.json(
      { token_id: principal.tokenId, role: principal.role, publisher_id: principal.publisherId },
      200,
    );
  });

  return app;
}
