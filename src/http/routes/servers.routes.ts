// Registered MCP servers: register, list, read, change (DESIGN.md §4.1).
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { NAMESPACE_PATTERN, SERVER_LOCAL_NAME_PATTERN } from '../../registry/namespace-name.js';
import { listServers, serverOriginProof } from '../../registry/read.js';
import {
  approveServerOrigin,
  getServer,
  registerServer,
  SERVER_DESCRIPTION_MAX,
  updateServer,
  type Server,
} from '../../registry/server.js';
import { ACCESS, defineRoute } from '../access.js';
import type { AppEnv } from '../context.js';
import type { AppDeps } from '../deps.js';
import { decodeCursor, encodeCursor, PageQuery } from '../pagination.js';
import { ERRORS, IsoDateTime, jsonBody, jsonResponse, RESOURCE_ERRORS } from '../schemas.js';
import { validationHook } from '../validation.js';

export const RepositorySchema = z
  .object({
    url: z.string().min(1).max(2048).openapi({ example: 'https://github.com/example/weather-mcp' }),
    source: z.string().min(1).max(64).openapi({ example: 'github' }),
    subfolder: z.string().min(1).max(512).optional(),
    id: z.string().min(1).max(256).optional(),
  })
  .openapi('Repository');

const ServerSchema = z
  .object({
    name: z.string().openapi({ example: 'com.example/weather' }),
    namespace: z.string(),
    publisher_id: z.string(),
    origin: z.string().openapi({ example: 'https://weather.example.com' }),
    description: z.string(),
    repository: RepositorySchema.nullable(),
    created_at: IsoDateTime,
    updated_at: IsoDateTime,
  })
  .openapi('Server');
const ServerDetail = ServerSchema.extend({
  origin_verified: z.boolean().openapi({
    description:
      'True when the TA holds a current proof for the origin (an L3 condition): its host lies within a namespace the same publisher verified, or an admin approved it for this server',
  }),
  origin_proof: z
    .enum(['namespace', 'admin-approval'])
    .nullable()
    .openapi({ description: 'Which proof the TA holds for the origin; null when none' }),
}).openapi('ServerDetail');

const RegisterServer = z
  .object({
    name: z.string().min(3).max(200).openapi({ example: 'com.example/weather' }),
    origin: z.string().min(1).max(2048).openapi({ example: 'https://weather.example.com' }),
    description: z.string().min(1).max(SERVER_DESCRIPTION_MAX),
    repository: RepositorySchema.optional(),
    origin_approval_reason: z.string().min(1).max(500).optional().openapi({
      description:
        'Admins only: approve `origin` for this server in the same step (for IP literals, private hosts or plain http, which no namespace proves). Audited.',
    }),
  })
  .openapi('RegisterServer');
const ApproveOrigin = z
  .object({
    origin: z.string().min(1).max(2048).openapi({ example: 'https://127.0.0.1:8443' }),
    reason: z.string().min(1).max(500).openapi({
      example: 'on-premises server reached over the site VPN; checked with the operator',
    }),
  })
  .openapi('ApproveOrigin');
const UpdateServer = z
  .object({
    origin: z.string().min(1).max(2048).optional(),
    description: z.string().min(1).max(SERVER_DESCRIPTION_MAX).optional(),
    repository: RepositorySchema.nullable().optional(),
  })
  .openapi('UpdateServer');

/** `{namespace}/{name}` path parameters of every per-server route. */
export const serverParams = z.object({
  namespace: z
    .string()
    .max(253)
    .regex(NAMESPACE_PATTERN, 'must be a reverse-DNS namespace')
    .openapi({ param: { name: 'namespace', in: 'path' }, example: 'com.example' }),
  name: z
    .string()
    .min(1)
    .max(200)
    .regex(SERVER_LOCAL_NAME_PATTERN, 'must be letters, digits, ".", "_" or "-"')
    .openapi({ param: { name: 'name', in: 'path' }, example: 'weather' }),
});

const register = defineRoute(ACCESS.publisher, {
  method: 'post',
  path: '/v1/servers',
  tags: ['servers'],
  summary: 'Register a server under a namespace the caller verified, with a proven origin',
  description:
    "The origin must be https on a host within a namespace the same publisher holds verified; any other origin (IP literal, loopback, private or link-local host, plain http) only with an admin's approval: an admin registers the server with `origin_approval_reason`, or approves it later (`POST …/origin-approval`).",
  signs: ['registry-entry'],
  request: jsonBody(RegisterServer),
  responses: {
    201: jsonResponse(ServerSchema, 'Registered'),
    400: ERRORS[400],
    401: ERRORS[401],
    403: ERRORS[403],
    409: ERRORS[409],
  },
});
const list = defineRoute(ACCESS.public, {
  method: 'get',
  path: '/v1/servers',
  tags: ['servers'],
  summary: 'List registered servers',
  request: { query: PageQuery },
  responses: {
    200: jsonResponse(
      z.object({ items: z.array(ServerSchema), next_cursor: z.string().nullable() }),
      'A page',
    ),
    400: ERRORS[400],
  },
});
const get = defineRoute(ACCESS.public, {
  method: 'get',
  path: '/v1/servers/{namespace}/{name}',
  tags: ['servers'],
  summary: 'A registered server',
  request: { params: serverParams },
  responses: { 200: jsonResponse(ServerDetail, 'The server'), 400: ERRORS[400], 404: ERRORS[404] },
});
const patch = defineRoute(ACCESS.publisher, {
  method: 'patch',
  path: '/v1/servers/{namespace}/{name}',
  tags: ['servers'],
  summary:
    "Change a server's origin, description or repository (namespace owner); a new origin needs a proof as at registration",
  signs: ['registry-entry'],
  request: { params: serverParams, ...jsonBody(UpdateServer) },
  responses: {
    200: jsonResponse(ServerSchema, 'Changed'),
    ...RESOURCE_ERRORS,
  },
});

const approveOrigin = defineRoute(ACCESS.admin, {
  method: 'post',
  path: '/v1/servers/{namespace}/{name}/origin-approval',
  tags: ['servers'],
  summary: "Approve an origin for one server and make it the server's origin (admin, audited)",
  description:
    'The explicit admin approval of DESIGN proof (b): the only way an IP literal, a loopback, private or link-local host or a plain http origin gets into a certificate, passport or manifest. It covers that exact origin for that server.',
  signs: ['registry-entry'],
  request: { params: serverParams, ...jsonBody(ApproveOrigin) },
  responses: {
    200: jsonResponse(ServerDetail, 'Approved'),
    ...RESOURCE_ERRORS,
  },
});

export function serverJson(s: Server) {
  return {
    name: s.name,
    namespace: s.namespace,
    publisher_id: s.publisherId,
    origin: s.origin,
    description: s.description,
    repository: s.repository,
    created_at: s.createdAt.toISOString(),
    updated_at: s.updatedAt.toISOString(),
  };
}

export function serverRoutes(deps: AppDeps) {
  const p = deps.persistence;
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const serverDetail = async (server: Server) => {
    const proof = await serverOriginProof(p, server);
    return {
      ...serverJson(server),
      origin_verified: proof.proven,
      origin_proof: proof.proven ? proof.proof.kind : null,
    };
  };

  app.openapi(register, async (c) => {
    const { origin_approval_reason: originApprovalReason, ...body } = c.req.valid('json');
    return c.json(
      serverJson(await registerServer(p, c.get('principal'), { ...body, originApprovalReason })),
      201,
    );
  });

  app.openapi(list, async (c) => {
    const q = c.req.valid('query');
    const after = q.cursor ? decodeCursor(q.cursor, 'query.cursor') : undefined;
    const page = await listServers(p, { after, limit: q.limit, search: q.search });
    return c.json(
      {
        items: page.items.map(serverJson),
        next_cursor: page.next === null ? null : encodeCursor(page.next),
      },
      200,
    );
  });

  app.openapi(get, async (c) => {
    const { namespace, name } = c.req.valid('param');
    return c.json(await serverDetail(await getServer(p, `${namespace}/${name}`)), 200);
  });

  app.openapi(approveOrigin, async (c) => {
    const { namespace, name } = c.req.valid('param');
    return c.json(
      await serverDetail(
        await approveServerOrigin(
          p,
          c.get('principal'),
          `${namespace}/${name}`,
          c.req.valid('json'),
        ),
      ),
      200,
    );
  });

  app.openapi(patch, async (c) => {
    const { namespace, name } = c.req.valid('param');
    return c.json(
      serverJson(
        await updateServer(p, c.get('principal'), `${namespace}/${name}`, c.req.valid('json')),
      ),
      200,
    );
  });

  return app;
}
