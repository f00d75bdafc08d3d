// Mirroring (issue 17): import an official-registry /v0.1/servers export as an unverified source
// (admin), and claim a mirrored name by proof (publisher holding its namespace verified).
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { claimMirrored, importMirror } from '../../registry/mirror.js';
import { ACCESS, defineRoute } from '../access.js';
import type { AppEnv } from '../context.js';
import type { AppDeps } from '../deps.js';
import { ERRORS, jsonBody, jsonResponse, RESOURCE_ERRORS } from '../schemas.js';
import { validationHook } from '../validation.js';

const tags = ['mcp-registry'];

const RejectedEntry = z
  .object({
    index: z.number().int().openapi({ description: 'Index of the entry in `export.servers`' }),
    name: z
      .string()
      .nullable()
      .openapi({ description: "The entry's server name, or null when it has none" }),
    field: z.string().openapi({ example: 'body.export.servers.3.server.packages.0.version' }),
    message: z.string(),
  })
  .openapi('MirrorRejectedEntry');

const ImportReport = z
  .object({
    source: z.string(),
    added: z.number().int(),
    changed: z.number().int(),
    removed: z.number().int(),
    unchanged: z.number().int(),
    rejected: z.array(RejectedEntry).openapi({
      description:
        'Entries refused by the server.json schema (schemas/server.schema.json) or repeating a name@version: not imported, not served',
    }),
  })
  .openapi('MirrorImportReport');

const importRoute = defineRoute(ACCESS.admin, {
  method: 'post',
  path: '/v1/registry/mirror/imports',
  tags,
  signs: [],
  summary:
    'Import an official-registry /v0.1/servers export as an unverified mirror source (admin)',
  description:
    'Idempotent per source: entries are added, changed (server.json or official status differ) or removed (missing from this export: hidden from /v0.1). ' +
    'Each entry is validated against the server.json schema: an entry that breaks it is refused and listed under `rejected` (index, name, field), the rest are imported. ' +
    'Mirrored entries are served on /v0.1 with `_meta["dev.mcps-ta/trust"]` source `mirror`, verified false, no signature, no trust level, no profile; a name registered here hides its mirrored copy. ' +
    'Bodies are limited by TA_BODY_LIMIT_BYTES; import larger exports with `npm run ta -- registry import FILE|URL`.',
  request: jsonBody(
    z
      .object({
        source: z
          .string()
          .min(1)
          .max(500)
          .openapi({ example: 'https://registry.modelcontextprotocol.io/v0.1/servers' }),
        export: z
          .object({ servers: z.array(z.unknown()) })
          .passthrough()
          .openapi({
            description: 'The official list response {servers: [{server, _meta}], metadata}',
          }),
      })
      .openapi('MirrorImport'),
  ),
  responses: {
    200: jsonResponse(ImportReport, 'What the import changed'),
    400: ERRORS[400],
    401: ERRORS[401],
    403: ERRORS[403],
    413: ERRORS[413],
  },
});

const claimRoute = defineRoute(ACCESS.publisher, {
  method: 'post',
  path: '/v1/registry/mirror/{serverName}/claim',
  tags,
  signs: [],
  summary:
    "Claim a mirrored server name by proof: the caller's publisher holds its namespace verified",
  request: {
    params: z.object({
      serverName: z
        .string()
        .min(3)
        .max(600)
        .openapi({
          param: { name: 'serverName', in: 'path' },
          example: 'io.github.user%2Fweather',
        }),
    }),
    ...jsonBody(
      z
        .object({
          publisher_id: z
            .string()
            .max(64)
            .optional()
            .openapi({ description: 'Admins: the publisher claiming' }),
        })
        .openapi('MirrorClaim'),
    ),
  },
  responses: {
    200: jsonResponse(
      z
        .object({ name: z.string(), claimed_by: z.string(), versions: z.number().int() })
        .openapi('MirrorClaimed'),
      'Claimed: the entries now say verified = true',
    ),
    ...RESOURCE_ERRORS,
  },
});

export function registryMirrorRoutes(deps: AppDeps) {
  const p = deps.persistence;
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(importRoute, async (c) => {
    const body = c.req.valid('json');
    return c.json(await importMirror(p, c.get('principal')!, body.source, body.export), 200);
  });
  app.openapi(claimRoute, async (c) =>
    c.json(
      await claimMirrored(
        p,
        c.get('principal')!,
        c.req.valid('param').serverName,
        c.req.valid('json').publisher_id ?? null,
      ),
      200,
    ),
  );
  return app;
}
