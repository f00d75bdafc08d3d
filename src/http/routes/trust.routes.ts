// Trust anchors: JWKS of the passport-signing keys, CA certificates, MCPS-compatible public key.
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { fromPem } from '../../crypto/x509/pem.js';
import { NotFoundError } from '../../errors.js';
import { ACCESS, defineRoute } from '../access.js';
import type { AppEnv } from '../context.js';
import type { AppDeps } from '../deps.js';
import { ERRORS, jsonResponse } from '../schemas.js';
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
    200: {
      description: 'Root then intermediate',
      content: { 'application/pem-certificate-chain': { schema: z.string() } },
    },
  },
});

/** `{kid}.cer`: a kid is an RFC 7638 thumbprint, 43 base64url characters. */
const CER_NAME = /^([A-Za-z0-9_-]{43})\.cer$/;

const caCertificate = defineRoute(ACCESS.public, {
  method: 'get',
  path: '/v1/trust/ca/{certificate}',
  tags: ['trust'],
  summary: 'One CA certificate by kid, DER (`{kid}.cer`): the AIA caIssuers URL of what it issued',
  description:
    'The root and every issuing-CA generation (also retired and revoked ones), so a client holding only the root can fetch the intermediate that issued a certificate (RFC 5280 §4.2.2.1).',
  request: {
    params: z.object({
      certificate: z
        .string()
        .regex(CER_NAME, 'must be a CA kid (43 base64url characters) followed by .cer')
        .openapi({
          param: { name: 'certificate', in: 'path' },
          example: 'G0Q3hTq1oXcU2lR6e1bYk5mZ8c2n4sW7vX9aB3dE6fA.cer',
        }),
    }),
  },
  responses: {
    200: {
      description: 'Certificate, DER (RFC 2585)',
      content: { 'application/pkix-cert': { schema: z.string().openapi({ format: 'binary' }) } },
    },
    400: ERRORS[400],
    404: ERRORS[404],
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
  app.openapi(caCertificate, (c) => {
    const kid = CER_NAME.exec(c.req.valid('param').certificate)![1]!;
    const ca =
      kid === keyring.root.kid
        ? keyring.root
        : keyring.issuingGenerations.find((g) => g.kid === kid);
    if (!ca) throw new NotFoundError(`no CA certificate ${kid}`);
    c.header('cache-control', 'public, max-age=3600');
    return c.body(new Uint8Array(fromPem(ca.certificatePem, ['CERTIFICATE'])!), 200, {
      'content-type': 'application/pkix-cert',
    });
  });
  app.openapi(publicKey, (c) => {
    c.header('cache-control', 'public, max-age=300');
    const active = keyring.jwks.find((k) => k.kid === keyring.documentSigner.kid)!;
    return c.json(active, 200);
  });
  return app;
}
