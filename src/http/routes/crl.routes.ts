// GET /v1/crl (DER) and /v1/crl.pem: the active issuing CA's newest stored CRL, never built per
// request; /v1/crl/{kid} and /v1/crl/{kid}.pem: the CRL of any CA generation by its kid — the URL
// written into the CRL distribution point of every certificate that CA issued, kept current after
// the CA is rotated, retired or revoked; /v1/crl/root (+ .pem) is the root CA's CRL (also at its
// kid), which verifiers that check CRLs for the whole chain (Node's `crl` option, OpenSSL
// -crl_check_all) need as well.
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ROOT_CRL } from '../../certificates/crl-publisher.js';
import type { StoredCrl } from '../../certificates/store.js';
import { toPem } from '../../crypto/x509/pem.js';
import { ACCESS, defineRoute } from '../access.js';
import type { AppEnv } from '../context.js';
import type { AppDeps } from '../deps.js';
import { ERRORS } from '../schemas.js';
import { validationHook } from '../validation.js';

const PEM_TYPE = 'application/x-pem-file';
const DER_TYPE = 'application/pkix-crl';

function crlRoute(path: string, format: 'der' | 'pem', summary: string) {
  const type = format === 'der' ? DER_TYPE : PEM_TYPE;
  return defineRoute(ACCESS.public, {
    method: 'get',
    path,
    tags: ['revocation'],
    summary,
    responses: {
      200: {
        description: `CRL, ${format.toUpperCase()}`,
        content: {
          [type]: {
            schema: z.string().openapi({ format: format === 'der' ? 'binary' : undefined }),
          },
        },
      },
      304: { description: 'Not modified (If-None-Match matched the CRL number)' },
      503: { description: 'No CRL published yet (only right after a first start); retry' },
    },
  });
}

/** Which CRL: undefined for the active issuing CA, `root`, or a CA's kid. */
const ROUTES: {
  kid: string | undefined;
  format: 'der' | 'pem';
  route: ReturnType<typeof crlRoute>;
}[] = [
  {
    kid: undefined,
    format: 'der',
    route: crlRoute(
      '/v1/crl',
      'der',
      'CRL of the active issuing CA (leaf certificates), DER: RFC 5280 v2, signed by the issuing CA',
    ),
  },
  {
    kid: undefined,
    format: 'pem',
    route: crlRoute('/v1/crl.pem', 'pem', 'CRL of the active issuing CA, PEM (label "X509 CRL")'),
  },
  {
    kid: ROOT_CRL,
    format: 'der',
    route: crlRoute('/v1/crl/root', 'der', 'CRL of the root CA (revoked issuing CAs), DER'),
  },
  {
    kid: ROOT_CRL,
    format: 'pem',
    route: crlRoute('/v1/crl/root.pem', 'pem', 'CRL of the root CA, PEM'),
  },
];

/** `{kid}` (DER) or `{kid}.pem`: a kid is an RFC 7638 thumbprint, 43 base64url characters. */
const CRL_NAME = /^([A-Za-z0-9_-]{43})(\.pem)?$/;

const byKid = defineRoute(ACCESS.public, {
  method: 'get',
  path: '/v1/crl/{crl}',
  tags: ['revocation'],
  summary: 'CRL of one CA generation: `{kid}` for DER, `{kid}.pem` for PEM',
  description:
    'Every CA generation — the root and each issuing intermediate, active, retiring, retired or revoked — publishes its own CRL, signed by its own key, at the URL in the CRL distribution point of every certificate it issued; it stays current until the CA certificate expires.',
  request: {
    params: z.object({
      crl: z
        .string()
        .regex(CRL_NAME, 'must be a CA kid (43 base64url characters), optionally followed by .pem')
        .openapi({
          param: { name: 'crl', in: 'path' },
          example: 'G0Q3hTq1oXcU2lR6e1bYk5mZ8c2n4sW7vX9aB3dE6fA.pem',
        }),
    }),
  },
  responses: {
    200: {
      description: 'CRL, DER or PEM',
      content: {
        [DER_TYPE]: { schema: z.string().openapi({ format: 'binary' }) },
        [PEM_TYPE]: { schema: z.string() },
      },
    },
    304: { description: 'Not modified (If-None-Match matched the CRL number)' },
    400: ERRORS[400],
    404: ERRORS[404],
    503: { description: 'No CRL published yet; retry' },
  },
});

/**
 * Caching: the issuing CRL changes within a second of a revocation, so caches must revalidate
 * (no-cache); the ETag is the CRL number, so revalidation is cheap.
 */
function respond(c: Context, crl: StoredCrl, format: 'der' | 'pem'): Response {
  const etag = `"crl-${crl.crlNumber}-${format}"`;
  c.header('etag', etag);
  c.header('cache-control', 'public, no-cache');
  c.header('last-modified', crl.thisUpdate.toUTCString());
  if (c.req.header('if-none-match') === etag) return c.body(null, 304);
  if (format === 'pem')
    return c.body(toPem('X509 CRL', crl.der), 200, { 'content-type': PEM_TYPE });
  return c.body(new Uint8Array(crl.der), 200, { 'content-type': DER_TYPE });
}

export function crlRoutes(deps: AppDeps) {
  const publisher = deps.certificates.crl;
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  for (const { kid, format, route } of ROUTES) {
    app.openapi(route, async (c) => respond(c, await publisher.current(kid), format));
  }
  app.openapi(byKid, async (c) => {
    const [, kid, pem] = CRL_NAME.exec(c.req.valid('param').crl)!;
    return respond(c, await publisher.current(kid), pem ? 'pem' : 'der');
  });
  return app;
}
