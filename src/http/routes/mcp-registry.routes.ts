// MCP Registry API v0.1, compatible with the official registry (modelcontextprotocol/registry
// docs/reference/api/openapi.yaml): list envelope {servers, metadata:{nextCursor, count}}, entries
// {server: server.json, _meta}, health, ping and publish — under `/v0.1` and its `/v0` alias.
// Our trust data sits under `_meta["dev.mcps-ta/trust"]`. As upstream, lookups that cannot
// match (a name without a namespace, a version that is no version) are 404, and a `limit` out of
// range is 422 in the official (huma) error shape; every other error is a problem document.
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { NotFoundError } from '../../errors.js';
import {
  getRegistryVersion,
  listRegistryServers,
  listRegistryVersions,
  registryResponseOf,
  TRUST_META_KEY,
} from '../../manifests/mcp-registry.js';
import { versionProblem } from '../../manifests/manifest-input.js';
import { publishServerJson, withoutEmptyRepository } from '../../manifests/publish-server-json.js';
import {
  OFFICIAL_SERVER_NAME_PATTERN,
  ServerJsonDocument,
} from '../../manifests/server-json-schema.js';
import { ACCESS, defineRoute } from '../access.js';
import { logMember } from '../log-receipt.js';
import { ServerList, ServerResponse } from './mcp-registry-schemas.js';
import type { AppEnv } from '../context.js';
import type { AppDeps } from '../deps.js';
import { encodeCursor, pageCursor } from '../pagination.js';
import { ERRORS, jsonBody, jsonResponse, RESOURCE_ERRORS } from '../schemas.js';
import { validationHook } from '../validation.js';

/** The official registry's (huma) error document, used for its 422s. */
const OfficialError = z
  .object({
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(
      z.object({ message: z.string(), location: z.string(), value: z.unknown().optional() }),
    ),
  })
  .openapi('McpRegistryError');
const OFFICIAL_422 = {
  description: 'Validation failed (official registry error shape)',
  content: { 'application/problem+json': { schema: OfficialError } },
};

const includeDeleted = z
  .enum(['true', 'false'])
  .optional()
  .openapi({
    param: { name: 'include_deleted', in: 'query' },
    description: 'Include yanked ("deleted") versions',
  });
const serverNameParam = z
  .string()
  .min(1)
  .max(600)
  .openapi({
    param: { name: 'serverName', in: 'path' },
    description: 'URL-encoded server name',
    example: 'com.example%2Fweather',
  });
const LIMIT_MAX = 100;

function routesFor(prefix: '/v0.1' | '/v0') {
  const tags = ['mcp-registry'];
  const alias = prefix === '/v0' ? ' (alias of /v0.1)' : '';
  return {
    list: defineRoute(ACCESS.public, {
      method: 'get',
      path: `${prefix}/servers`,
      tags,
      summary: `List servers (one entry per published version)${alias}`,
      request: {
        query: z.object({
          limit: z
            .string()
            .max(32)
            .optional()
            .openapi({
              param: { name: 'limit', in: 'query' },
              description: `1–${LIMIT_MAX}, default 30; out of range is 422`,
            }),
          cursor: pageCursor(),
          search: z
            .string()
            .max(200)
            .optional()
            .openapi({
              param: { name: 'search', in: 'query' },
              description: 'Case-insensitive substring of the server name (empty: no filter)',
            }),
          updated_since: z.iso
            .datetime({ offset: true })
            .optional()
            .openapi({ param: { name: 'updated_since', in: 'query' }, format: 'date-time' }),
          version: z
            .string()
            .min(1)
            .max(255)
            .optional()
            .openapi({
              param: { name: 'version', in: 'query' },
              description: '`latest` or an exact version',
            }),
          include_deleted: includeDeleted,
        }),
      },
      responses: {
        200: jsonResponse(ServerList, 'A page of servers'),
        400: ERRORS[400],
        422: OFFICIAL_422,
      },
    }),
    versions: defineRoute(ACCESS.public, {
      method: 'get',
      path: `${prefix}/servers/{serverName}/versions`,
      tags,
      summary: `All versions of a server, newest publication first${alias}`,
      request: {
        params: z.object({ serverName: serverNameParam }),
        query: z.object({ include_deleted: includeDeleted }),
      },
      responses: { 200: jsonResponse(ServerList, 'Versions'), 404: ERRORS[404] },
    }),
    version: defineRoute(ACCESS.public, {
      method: 'get',
      path: `${prefix}/servers/{serverName}/versions/{version}`,
      tags,
      summary: `One version of a server, or \`latest\`${alias}`,
      request: {
        params: z.object({
          serverName: serverNameParam,
          version: z
            .string()
            .min(1)
            .max(255)
            .openapi({ param: { name: 'version', in: 'path' }, example: 'latest' }),
        }),
        query: z.object({ include_deleted: includeDeleted }),
      },
      responses: { 200: jsonResponse(ServerResponse, 'The server version'), 404: ERRORS[404] },
    }),
    health: defineRoute(ACCESS.public, {
      method: 'get',
      path: `${prefix}/health`,
      tags,
      summary: `Registry health (official API)${alias}`,
      responses: {
        200: jsonResponse(
          z.object({ status: z.literal('ok') }).openapi('McpRegistryHealth'),
          'The registry answers',
        ),
      },
    }),
    ping: defineRoute(ACCESS.public, {
      method: 'get',
      path: `${prefix}/ping`,
      tags,
      summary: `Ping (official API)${alias}`,
      responses: {
        200: jsonResponse(z.object({ pong: z.literal(true) }).openapi('McpRegistryPong'), 'Pong'),
      },
    }),
    publish: defineRoute(ACCESS.publisher, {
      method: 'post',
      path: `${prefix}/publish`,
      tags,
      summary: `Publish a server.json as a version of a registered server (what mcp-publisher sends)${alias}`,
      description:
        'Body: a server.json (official schema 2025-12-11) naming a server registered with POST /v1/servers. Tools, prompts and resources of the version come from ' +
        '`_meta["io.modelcontextprotocol.registry/publisher-provided"]["dev.mcps-ta/manifest"]` = {tools, prompts?, resources?, server_signature?}, which is ' +
        'taken out of the served server.json (the tools are in the signed manifest); without it the version has no tools. Every remotes[].url host must be proven like the origin.',
      signs: ['manifest', 'registry-entry'],
      request: jsonBody(
        z.preprocess(withoutEmptyRepository, ServerJsonDocument),
        'server.json (an empty repository {url:"", source:""}, as Go clients send for none, is taken as absent)',
      ),
      responses: {
        200: jsonResponse(ServerResponse, 'An identical version was already published'),
        201: jsonResponse(ServerResponse, 'Published'),
        ...RESOURCE_ERRORS,
        409: ERRORS[409],
      },
    }),
  };
}

/** A name that can name a server (official pattern), else 404 as the official registry answers. */
function requireServerName(name: string): string {
  if (name.length < 3 || name.length > 200 || !OFFICIAL_SERVER_NAME_PATTERN.test(name))
    throw new NotFoundError(`no server ${name}`);
  return name;
}

/**
 * Our cursors are opaque base64url of JSON [name, position]. Anything else (a cursor of another
 * registry, e.g. `name:version`) continues after that server name, as a name keyset would.
 */
function decodeRegistryCursor(cursor: string): { name: string; position: number } {
  try {
    const { after } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      after?: unknown;
    };
    const [name, position] = JSON.parse(String(after)) as unknown[];
    if (typeof name === 'string' && Number.isSafeInteger(position))
      return { name, position: position as number };
  } catch {
    // a foreign cursor
  }
  const colon = cursor.lastIndexOf(':');
  // 2^31 - 1: past every position of that server (an int4 column).
  return { name: colon > 0 ? cursor.slice(0, colon) : cursor, position: 2_147_483_647 };
}

/** `limit` as the official API checks it: an integer 1–100, else its 422 document. */
function parseLimit(c: Context, raw: string | undefined): number | Response {
  if (raw === undefined) return 30;
  const n = Number(raw);
  if (raw.trim() !== '' && Number.isInteger(n) && n >= 1 && n <= LIMIT_MAX) return n;
  const message =
    !Number.isInteger(n) || raw.trim() === ''
      ? 'expected integer'
      : n < 1
        ? 'expected number >= 1'
        : `expected number <= ${LIMIT_MAX}`;
  const body = {
    title: 'Unprocessable Entity',
    status: 422,
    detail: 'validation failed',
    errors: [{ message, location: 'query.limit', value: Number.isFinite(n) ? n : raw }],
  };
  return c.body(JSON.stringify(body), 422, { 'content-type': 'application/problem+json' });
}

export function mcpRegistryRoutes(deps: AppDeps) {
  const p = deps.persistence;
  const baseUrl = deps.config.publicUrl;
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const publishDeps = { signer: deps.keyring.documentSigner, serverKeys: deps.serverKeys };

  for (const prefix of ['/v0.1', '/v0'] as const) {
    const r = routesFor(prefix);

    app.openapi(r.list, async (c) => {
      const q = c.req.valid('query');
      const limit = parseLimit(c, q.limit);
      if (typeof limit !== 'number') return limit as never;
      // A version filter that is no version matches nothing (the official registry answers 200).
      if (q.version && q.version !== 'latest' && versionProblem(q.version))
        return c.json({ servers: [], metadata: { count: 0 } }, 200);
      const page = await listRegistryServers(p, {
        after: q.cursor ? decodeRegistryCursor(q.cursor) : undefined,
        limit,
        search: q.search === '' ? undefined : q.search,
        updatedSince: q.updated_since ? new Date(q.updated_since) : undefined,
        latestOnly: q.version === 'latest',
        version: q.version && q.version !== 'latest' ? q.version : undefined,
        includeDeleted: q.include_deleted === 'true',
      });
      const servers = page.entries.map((e) => registryResponseOf(e, baseUrl));
      const metadata = page.next
        ? {
            nextCursor: encodeCursor(JSON.stringify([page.next.name, page.next.position])),
            count: servers.length,
          }
        : { count: servers.length };
      return c.json({ servers, metadata }, 200);
    });

    app.openapi(r.versions, async (c) => {
      const name = requireServerName(c.req.valid('param').serverName);
      const entries = await listRegistryVersions(
        p,
        name,
        c.req.valid('query').include_deleted === 'true',
      );
      const servers = entries.map((e) => registryResponseOf(e, baseUrl));
      return c.json({ servers, metadata: { count: servers.length } }, 200);
    });

    app.openapi(r.version, async (c) => {
      const { serverName, version: v } = c.req.valid('param');
      const name = requireServerName(serverName);
      if (v !== 'latest' && versionProblem(v))
        throw new NotFoundError(`no version ${v} of ${name}`);
      const entry = await getRegistryVersion(
        p,
        name,
        v,
        c.req.valid('query').include_deleted === 'true',
      );
      return c.json(registryResponseOf(entry, baseUrl), 200);
    });

    app.openapi(r.health, (c) => c.json({ status: 'ok' as const }, 200));
    app.openapi(r.ping, (c) => c.json({ pong: true as const }, 200));

    app.openapi(r.publish, async (c) => {
      const { record, created } = await publishServerJson(
        p,
        publishDeps,
        c.get('principal')!,
        c.req.valid('json'),
      );
      const entry = await getRegistryVersion(p, record.serverName, record.version, true);
      const response = registryResponseOf(entry, baseUrl);
      if (created) {
        // The receipt goes in our own _meta member: the official document shape stays as is.
        const { log } = await logMember(
          deps,
          'manifest.published',
          `manifest:${record.serverName}@${record.version}`,
        );
        if (log) Object.assign(response._meta[TRUST_META_KEY], { log });
      }
      return c.json(response, created ? 201 : 200);
    });
  }

  return app;
}
