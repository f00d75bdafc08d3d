// GET /v1/trust/anchors (newest) and /v1/trust/anchors/{version} (every historic version).
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { NotFoundError } from '../../errors.js';
import { findAnchorsVersion } from '../../keys/list.js';
import { ACCESS, defineRoute } from '../access.js';
import type { AppEnv } from '../context.js';
import type { AppDeps } from '../deps.js';
import { ERRORS, IsoDateTime, jsonResponse } from '../schemas.js';
import { validationHook } from '../validation.js';

const Anchors = z
  .object({
    type: z.literal('mcps-trust-anchors'),
    issuer: z.string(),
    version: z.number().int(),
    issued_at: IsoDateTime,
    expires_at: IsoDateTime,
    keys: z.array(
      z.object({
        kty: z.string(),
        crv: z.string(),
        x: z.string(),
        y: z.string(),
        kid: z.string(),
        alg: z.string(),
        use: z.string(),
        status: z.enum(['active', 'retiring']),
      }),
    ),
    ca_certificates: z.array(
      z.object({
        role: z.enum(['root', 'intermediate']),
        kid: z.string(),
        status: z.enum(['active', 'retiring']),
        pem: z.string(),
      }),
    ),
    revoked_kids: z.array(z.string()),
    signatures: z.array(z.object({ kid: z.string(), signature: z.string() })).openapi({
      description:
        'Each: base64 low-S P1363 ES256 over JCS of the document without `signatures`. Version N+1 is signed by an active key of version N and by its own active key.',
    }),
  })
  .openapi('TrustAnchors');

const latest = defineRoute(ACCESS.public, {
  method: 'get',
  path: '/v1/trust/anchors',
  tags: ['trust'],
  summary: 'Newest signed trust-anchor document (TUF-style)',
  responses: { 200: jsonResponse(Anchors, 'Newest version') },
});

const byVersion = defineRoute(ACCESS.public, {
  method: 'get',
  path: '/v1/trust/anchors/{version}',
  tags: ['trust'],
  summary: 'A historic trust-anchor version, to walk from an older one to the newest',
  request: {
    params: z.object({
      version: z.coerce
        .number()
        .int()
        .min(1)
        .max(2 ** 31 - 1)
        .openapi({ param: { name: 'version', in: 'path' } }),
    }),
  },
  responses: { 200: jsonResponse(Anchors, 'That version'), 400: ERRORS[400], 404: ERRORS[404] },
});

export function anchorsRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(latest, async (c) => {
    await deps.keyring.refreshIfStale();
    c.header('cache-control', 'public, max-age=60');
    return c.json(deps.keyring.anchors, 200);
  });
  app.openapi(byVersion, async (c) => {
    const doc = await findAnchorsVersion(deps.persistence, c.req.valid('param').version);
    if (!doc) throw new NotFoundError('no such trust-anchor version');
    // Historic versions never change.
    c.header('cache-control', 'public, max-age=31536000, immutable');
    return c.json(doc, 200);
  });
  return app;
}
