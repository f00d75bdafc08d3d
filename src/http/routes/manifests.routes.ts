// Signed tool manifests: publish, read by version/latest/digest, list, diff, deprecate, yank
// (DESIGN.md §4 Registry, §6).
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { PublishManifestInput } from '../../manifests/manifest-input.js';
import { envelopeOf, manifestOf, type ManifestRecord } from '../../manifests/manifest.js';
import { publishManifest } from '../../manifests/publish.js';
import {
  diffVersions,
  getManifest,
  getManifestByDigest,
  listManifestVersions,
  statusOf,
} from '../../manifests/read.js';
import { deprecateManifest, REASON_MAX, yankManifest } from '../../manifests/status.js';
import type { Persistence } from '../../stores.js';
import { ACCESS, defineRoute } from '../access.js';
import { logMember } from '../log-receipt.js';
import { ManifestResponse, StatusSchema } from './manifest-schemas.js';
import type { AppEnv } from '../context.js';
import type { AppDeps } from '../deps.js';
import { ERRORS, IsoDateTime, jsonBody, jsonResponse, RESOURCE_ERRORS } from '../schemas.js';
import { cachedRead, jsonRead, serveRead } from '../signed-read.js';
import { validationHook } from '../validation.js';
import { serverParams } from './servers.routes.js';

const VersionList = z
  .object({
    server: z.string(),
    items: z.array(
      z.object({
        version: z.string(),
        digest: z.string(),
        published_at: IsoDateTime,
        state: StatusSchema.shape.state,
        is_latest: z.boolean(),
      }),
    ),
  })
  .openapi('ManifestVersionList');

const WordChangeSchema = z
  .object({ op: z.enum(['equal', 'insert', 'delete']), text: z.string() })
  .openapi('WordChange', {
    description:
      'A run of text: unchanged, only in the newer version (insert) or only in the older one (delete)',
  });
const FieldChangeSchema = z
  .object({
    field: z.string().openapi({ example: 'description' }),
    format: z.enum(['text', 'json']).openapi({
      description: '`json`: the value pretty-printed (2 spaces, keys sorted) before diffing',
    }),
    before: z
      .string()
      .nullable()
      .openapi({ description: 'The field in version a (null when absent)' }),
    after: z
      .string()
      .nullable()
      .openapi({ description: 'The field in version b (null when absent)' }),
    words: z.array(WordChangeSchema).openapi({
      description:
        'Word-level diff: equal+delete texts give `before`, equal+insert texts give `after`',
    }),
  })
  .openapi('FieldChange');
const ChangedItemSchema = z.object({
  key: z.string(),
  fields: z.array(z.string()),
  field_changes: z.array(FieldChangeSchema),
});
const ItemDiff = z.object({
  added: z.array(z.string()),
  removed: z.array(z.string()),
  changed: z.array(ChangedItemSchema),
});
const DiffSchema = z
  .object({
    server: z.string(),
    from: z.object({ version: z.string(), digest: z.string() }),
    to: z.object({ version: z.string(), digest: z.string() }),
    diff: z.object({
      origin_changed: z.boolean(),
      server_json_changed: z.array(z.string()).nullable().openapi({
        description:
          'server.json members other than `version` that differ (e.g. `description`, `repository`); null when either version predates the signed server.json',
      }),
      tools: z.object({
        added: z.array(z.string()),
        removed: z.array(z.string()),
        changed: z.array(
          ChangedItemSchema.extend({ tool_hash: z.object({ from: z.string(), to: z.string() }) }),
        ),
      }),
      prompts: ItemDiff,
      resources: ItemDiff,
    }),
  })
  .openapi('ManifestDiff');

// Rebuilt from the domain's shape so `.openapi` exists whatever the module load order.
const PublishManifestBody = z.strictObject(PublishManifestInput.shape).openapi('PublishManifest');

const Version = z.string().min(1).max(64);
const versionParams = serverParams.extend({
  version: Version.openapi({
    param: { name: 'version', in: 'path' },
    description: 'A version or `latest`',
    example: '1.0.0',
  }),
});
const diffParams = serverParams.extend({
  a: Version.openapi({ param: { name: 'a', in: 'path' }, example: '1.0.0' }),
  b: Version.openapi({ param: { name: 'b', in: 'path' }, example: '1.1.0' }),
});
const DeprecateBody = z
  .object({ reason: z.string().min(1).max(REASON_MAX).optional() })
  .openapi('DeprecateManifest');
const YankBody = z.object({ reason: z.string().min(1).max(REASON_MAX) }).openapi('YankManifest');

const base = '/v1/servers/{namespace}/{name}/manifests';
const publish = defineRoute(ACCESS.publisher, {
  method: 'post',
  path: base,
  signs: ['manifest', 'registry-entry'],
  tags: ['manifests'],
  summary: 'Publish a manifest version (immutable)',
  description:
    'Same version with identical content returns the stored version (200); with other content 409.',
  request: { params: serverParams, ...jsonBody(PublishManifestBody) },
  responses: {
    201: jsonResponse(ManifestResponse, 'Published'),
    200: jsonResponse(ManifestResponse, 'Identical version already published'),
    ...RESOURCE_ERRORS,
    409: ERRORS[409],
  },
});
const versions = defineRoute(ACCESS.public, {
  method: 'get',
  path: base,
  tags: ['manifests'],
  summary: 'Versions of a server, highest first',
  request: { params: serverParams },
  responses: { 200: jsonResponse(VersionList, 'Versions'), 400: ERRORS[400], 404: ERRORS[404] },
});
const byVersion = defineRoute(ACCESS.public, {
  method: 'get',
  path: `${base}/{version}`,
  tags: ['manifests'],
  summary: 'A version, or `latest`',
  request: { params: versionParams },
  responses: {
    200: jsonResponse(ManifestResponse, 'The manifest'),
    400: ERRORS[400],
    404: ERRORS[404],
  },
});
const byDigest = defineRoute(ACCESS.public, {
  method: 'get',
  path: '/v1/manifests/{digest}',
  tags: ['manifests'],
  summary: 'A manifest by digest, whatever its state',
  request: {
    params: z.object({
      digest: z
        .string()
        .max(80)
        .openapi({ param: { name: 'digest', in: 'path' }, example: `sha256:${'0'.repeat(64)}` }),
    }),
  },
  responses: {
    200: jsonResponse(ManifestResponse, 'The manifest'),
    400: ERRORS[400],
    404: ERRORS[404],
  },
});
const diff = defineRoute(ACCESS.public, {
  method: 'get',
  path: `${base}/{a}/diff/{b}`,
  tags: ['manifests'],
  summary: 'What changed from version a to version b',
  request: { params: diffParams },
  responses: {
    200: jsonResponse(DiffSchema, 'The differences'),
    400: ERRORS[400],
    404: ERRORS[404],
  },
});
const deprecate = defineRoute(ACCESS.publisher, {
  method: 'post',
  path: `${base}/{version}/deprecate`,
  signs: [],
  tags: ['manifests'],
  summary: 'Deprecate a version (still served)',
  request: {
    params: versionParams,
    body: { required: false, content: { 'application/json': { schema: DeprecateBody } } },
  },
  responses: {
    200: jsonResponse(ManifestResponse, 'Deprecated'),
    ...RESOURCE_ERRORS,
    409: ERRORS[409],
  },
});
const yank = defineRoute(ACCESS.publisher, {
  method: 'post',
  path: `${base}/{version}/yank`,
  signs: [],
  tags: ['manifests'],
  summary: 'Yank a version: a revocation, listed in the revocation feed',
  request: { params: versionParams, ...jsonBody(YankBody) },
  responses: {
    200: jsonResponse(ManifestResponse, 'Yanked'),
    ...RESOURCE_ERRORS,
  },
});

async function manifestJson(p: Persistence, r: ManifestRecord) {
  return {
    manifest: manifestOf(r),
    digest: r.digest,
    envelope: envelopeOf(r),
    signature_history: r.signatureHistory ?? [],
    status: await statusOf(p, r),
  };
}

export function manifestRoutes(deps: AppDeps) {
  const p = deps.persistence;
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const nameOf = (v: { namespace: string; name: string }) => `${v.namespace}/${v.name}`;

  app.openapi(publish, async (c) => {
    const { record, created } = await publishManifest(
      p,
      { signer: deps.keyring.documentSigner, serverKeys: deps.serverKeys },
      c.get('principal'),
      nameOf(c.req.valid('param')),
      c.req.valid('json'),
    );
    const log = created
      ? await logMember(
          deps,
          'manifest.published',
          `manifest:${record.serverName}@${record.version}`,
        )
      : {};
    return c.json({ ...(await manifestJson(p, record)), ...log }, created ? 201 : 200);
  });

  app.openapi(versions, async (c) => {
    const name = nameOf(c.req.valid('param'));
    const items = await listManifestVersions(p, name);
    return c.json(
      {
        server: name,
        items: items.map((r) => ({
          version: r.version,
          digest: r.digest,
          published_at: r.publishedAt.toISOString(),
          state: r.state,
          is_latest: r.isLatest,
        })),
      },
      200,
    );
  });

  app.openapi(byVersion, async (c) => {
    const v = c.req.valid('param');
    return c.json(await manifestJson(p, await getManifest(p, nameOf(v), v.version)), 200);
  });

  // A digest names fixed bytes, but the status view around them (state, is_latest, the yank's
  // revocation_seq) changes: the cache entry goes stale on any manifests or revocations change.
  const cache = deps.signedReads;
  app.openapi(byDigest, async (c) => {
    const digest = c.req.valid('param').digest;
    const read = await cachedRead(cache, 'manifest', digest, async () =>
      jsonRead(await manifestJson(p, await getManifestByDigest(p, digest)), 200),
    );
    return serveRead(c, read) as never;
  });

  app.openapi(diff, async (c) => {
    const v = c.req.valid('param');
    return c.json(await diffVersions(p, nameOf(v), v.a, v.b), 200);
  });

  app.openapi(deprecate, async (c) => {
    const v = c.req.valid('param');
    const body: { reason?: string } = (c.req.header('content-type') ?? '').includes('json')
      ? c.req.valid('json')
      : {};
    const record = await deprecateManifest(
      p,
      c.get('principal'),
      nameOf(v),
      v.version,
      body.reason ?? null,
    );
    const log = await logMember(
      deps,
      'manifest.deprecated',
      `manifest:${record.serverName}@${record.version}`,
    );
    return c.json({ ...(await manifestJson(p, record)), ...log }, 200);
  });

  app.openapi(yank, async (c) => {
    const v = c.req.valid('param');
    const record = await yankManifest(
      p,
      c.get('principal'),
      nameOf(v),
      v.version,
      c.req.valid('json').reason,
    );
    const log = await logMember(
      deps,
      'manifest.yanked',
      `manifest:${record.serverName}@${record.version}`,
    );
    return c.json({ ...(await manifestJson(p, record)), ...log }, 200);
  });

  return app;
}
