// MCP Registry read API v0.1, compatible with the official registry (modelcontextprotocol/registry
// docs/reference/api/openapi.yaml): list envelope {servers, metadata:{nextCursor, count}}, entries
// {server: server.json, _meta}. Our trust data sits under `_meta["dev.mcps-ta/trust"]`.
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { InvalidRequestError } from '../../errors.js';
import {
  getRegistryVersion,
  listRegistryServers,
  listRegistryVersions,
  OFFICIAL_META_KEY,
  serverResponseOf,
  TRUST_META_KEY,
} from '../../manifests/mcp-registry.js';
import { versionProblem } from '../../manifests/manifest-input.js';
import { parseServerName } from '../../registry/namespace-name.js';
import { ACCESS, defineRoute } from '../access.js';
import type { AppEnv } from '../context.js';
import type { AppDeps } from '../deps.js';
import { decodeCursor, encodeCursor } from '../pagination.js';
import { ERRORS, IsoDateTime, jsonResponse } from '../schemas.js';
import { validationHook } from '../validation.js';
import { RepositorySchema } from './servers.routes.js';

const ServerResponse = z
  .object({
    server: z.object({
      $schema: z.string(),
      name: z.string().openapi({ example: 'com.example/weather' }),
      description: z.string(),
      version: z.string(),
      repository: RepositorySchema.optional(),
    }),
    _meta: z.object({
      [OFFICIAL_META_KEY]: z.object({
        status: z.enum(['active', 'deprecated', 'deleted']),
        statusMessage: z.string().optional(),
        statusChangedAt: IsoDateTime,
        publishedAt: IsoDateTime,
        updatedAt: IsoDateTime,
        isLatest: z.boolean(),
      }),
      [TRUST_META_KEY]: z.object({
        digest: z.string(),
        state: z.enum(['published', 'deprecated', 'yanked']),
        reason: z.string().nullable(),
        origin: z.string(),
        origin_proven: z.boolean().openapi({ description: "True while the TA holds a current proof for `origin`: a namespace the publisher holds verified, or an admin approval of it for this server" }),
        manifest_url: z.string(),
        payload_type: z.string(),
        signatures: z.array(z.object({ keyid: z.string(), sig: z.string() })),
        previous: z.object({ version: z.string(), digest: z.string() }).nullable(),
        tool_count: z.number().int(),
        server_json_digest: z.string().openapi({
          description: '`sha256:` + hex SHA-256 of JCS(`server`): recompute it over the `server` object served, and compare with JCS of `server_json` in the signed manifest (`manifest_url`)',
        }),
        server_json_signed: z.boolean().openapi({
          description: 'True when `server` is the `server_json` member of the signed manifest; false for versions published before server.json was signed (served from a snapshot fixed at upgrade)',
        }),
      }),
    }),
  })
  .openapi('McpRegistryServerResponse');

const ServerList = z
  .object({
    servers: z.array(ServerResponse),
    metadata: z.object({ nextCursor: z.string().optional(), count: z.number().int() }),
  })
  .openapi('McpRegistryServerList');

const includeDeleted = z
  .enum(['true', 'false'])
  .optional()
  .openapi({ param: { name: 'include_deleted', in: 'query' }, description: 'Include yanked ("deleted") versions' });
const serverNameParam = z.string().min(3).max(200).openapi({ param: { name: 'serverName', in: 'path' }, description: 'URL-encoded server name', example: 'com.example%2Fweather' });

const list = defineRoute(ACCESS.public, {
  method: 'get',
  path: '/v0.1/servers',
  tags: ['mcp-registry'],
  summary: 'List servers (one entry per published version)',
  request: {
    query: z.object({
      limit: z.coerce.number().int().min(1).max(100).default(30).openapi({ param: { name: 'limit', in: 'query' } }),
      cursor: z.string().max(512).optional().openapi({ param: { name: 'cursor', in: 'query' } }),
      search: z.string().min(1).max(200).optional().openapi({ param: { name: 'search', in: 'query' }, description: 'Case-insensitive substring of the server name' }),
      updated_since: z.iso.datetime({ offset: true }).optional().openapi({ param: { name: 'updated_since', in: 'query' }, format: 'date-time' }),
      version: z.string().min(1).max(64).optional().openapi({ param: { name: 'version', in: 'query' }, description: '`latest` or an exact version' }),
      include_deleted: includeDeleted,
    }),
  },
  responses: { 200: jsonResponse(ServerList, 'A page of servers'), 400: ERRORS[400] },
});
const versions = defineRoute(ACCESS.public, {
  method: 'get',
  path: '/v0.1/servers/{serverName}/versions',
  tags: ['mcp-registry'],
  summary: 'All versions of a server, newest publication first',
  request: { params: z.object({ serverName: serverNameParam }), query: z.object({ include_deleted: includeDeleted }) },
  responses: { 200: jsonResponse(ServerList, 'Versions'), 400: ERRORS[400], 404: ERRORS[404] },
});
const version = defineRoute(ACCESS.public, {
  method: 'get',
  path: '/v0.1/servers/{serverName}/versions/{version}',
  tags: ['mcp-registry'],
  summary: 'One version of a server, or `latest`',
  request: {
    params: z.object({ serverName: serverNameParam, version: z.string().min(1).max(64).openapi({ param: { name: 'version', in: 'path' }, example: 'latest' }) }),
    query: z.object({ include_deleted: includeDeleted }),
  },
  responses: { 200: jsonResponse(ServerResponse, 'The server version'), 400: ERRORS[400], 404: ERRORS[404] },
});

function requireServerName(name: string): string {
  const parsed = parseServerName(name);
  if (typeof parsed === 'string') throw InvalidRequestError.field('path.serverName', parsed);
  return name;
}

function decodeRegistryCursor(cursor: string): { name: string; position: number } {
  const value = decodeCursor(cursor, 'query.cursor');
  try {
    const [name, position] = JSON.parse(value) as unknown[];
    if (typeof name === 'string' && Number.isSafeInteger(position)) return { name, position: position as number };
  } catch {
    // fall through
  }
  throw InvalidRequestError.field('query.cursor', 'is not a cursor returned by this API');
}

export function mcpRegistryRoutes(deps: AppDeps) {
  const p = deps.persistence;
  const baseUrl = deps.config.publicUrl;
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(list, async (c) => {
    const q = c.req.valid('query');
    if (q.version && q.version !== 'latest' && versionProblem(q.version)) {
      throw InvalidRequestError.field('query.version', 'must be "latest" or an exact semantic version');
    }
    const page = await listRegistryServers(p, {
      after: q.cursor ? decodeRegistryCursor(q.cursor) : undefined,
      limit: q.limit,
      search: q.search,
      updatedSince: q.updated_since ? new Date(q.updated_since) : undefined,
      latestOnly: q.version === 'latest',
      version: q.version && q.version !== 'latest' ? q.version : undefined,
      includeDeleted: q.include_deleted === 'true',
    });
    const servers = page.entries.map((e) => serverResponseOf(e, baseUrl));
    const metadata = page.next ? { nextCursor: encodeCursor(JSON.stringify([page.next.name, page.next.position])), count: servers.length } : { count: servers.length };
    return c.json({ servers, metadata }, 200);
  });

  app.openapi(versions, async (c) => {
    const name = requireServerName(c.req.valid('param').serverName);
    const entries = await listRegistryVersions(p, name, c.req.valid('query').include_deleted === 'true');
    const servers = entries.map((e) => serverResponseOf(e, baseUrl));
    return c.json({ servers, metadata: { count: servers.length } }, 200);
  });

  app.openapi(version, async (c) => {
    const { serverName, version: v } = c.req.valid('param');
    const entry = await getRegistryVersion(p, requireServerName(serverName), v, c.req.valid('query').include_deleted === 'true');
    return c.json(serverResponseOf(entry, baseUrl), 200);
  });

  return app;
}
