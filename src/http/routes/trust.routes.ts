// Trust anchors: JWKS of the passport-signing keys, CA certificates, MCPS-compatible public key.
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { ACCESS, defineRoute } from '../access.js';
import type { AppEnv } from '../context.js';
import type { AppDeps } from '../deps.js';
import { jsonResponse } from '../schemas.js';
import { validationHook } from '../validation.js';

const Jwk = z
  .object({
    kty: z.literal('EC'),
    crv: z.string(),
    x: z.string(),
    y: z.string(),
    kid: z.string().openapi({ description: 'RFC 7638 JWK thumbprint (SHA-256, base64url)' }),
    alg: z.literal('ES256'),
    use: z.literal('sig'),
  })
  .openapi('Jwk');
const Jwks = z.object({ keys: z.array(Jwk) }).openapi('Jwks');

const jwks = defineRoute(ACCESS.public, {
  method: 'get',
  path: '/v1/trust/jwks',
  tags: ['trust'],
  summary: 'Passport-signing keys (active and retiring)',
  responses: { 200: jsonResponse(Jwks, 'JWK Set (RFC 7517)') },
});

const caPem = defineRoute(ACCESS.public, {
  method: 'get',
  path: '/v1/trust/ca.pem',
  tags: ['trust'],
  summary: 'Root and issuing intermediate CA certificates, PEM',
  responses: {
    200: { description: 'Root then intermediate', content: { 'application/pem-certificate-chain': { schema: z.string() } } },
  },
});

const publicKey = defineRoute(ACCESS.public, {
  method: 'get',
  path: '/api/ta/public-key',
  tags: ['mcps-compat'],
  summary: 'The active passport-signing public key as a JWK (MCPS reference clients)',
  responses: { 200: jsonResponse(Jwk, 'Public JWK') },
});

export function trustRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const { keyring } = deps;
  app.openapi(jwks, (c) => {
    c.header('cache-control', 'public, max-age=300');
    return c.json({ keys: keyring.jwks }, 200);
  });
  app.openapi(caPem, (c) => {
    c.header('cache-control', 'public, max-age=3600');
    return c.body(keyring.caChainPem, 200, { 'content-type': 'application/pem-certificate-chain' });
  });
  app.openapi(publicKey, (c) => {
    c.header('cache-control', 'public, max-age=300');
    const active = keyring.jwks.find((k) => k.kid === keyring.documentSigner.kid)!;
    return c.json(active, 200);
  });
  return app;
}
