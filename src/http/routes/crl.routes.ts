// GET /v1/crl (DER) and /v1/crl.pem: the issuing CA's newest stored CRL, never built per request;
// /v1/crl/root and /v1/crl/root.pem: the root CA's CRL, which verifiers that check CRLs for the
// whole chain (Node's `crl` option, OpenSSL -crl_check_all) need as well.
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { CrlScope } from '../../certificates/crl-publication.js';
import type { StoredCrl } from '../../certificates/store.js';
import { toPem } from '../../crypto/x509/pem.js';
import { ACCESS, defineRoute } from '../access.js';
import type { AppEnv } from '../context.js';
import type { AppDeps } from '../deps.js';
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
      200: { description: `CRL, ${format.toUpperCase()}`, content: { [type]: { schema: z.string().openapi({ format: format === 'der' ? 'binary' : undefined }) } } },
      304: { description: 'Not modified (If-None-Match matched the CRL number)' },
      503: { description: 'No CRL published yet (only right after a first start); retry' },
    },
  });
}

const ROUTES: { scope: CrlScope; format: 'der' | 'pem'; route: ReturnType<typeof crlRoute> }[] = [
  { scope: 'issuing', format: 'der', route: crlRoute('/v1/crl', 'der', 'CRL of the issuing CA (leaf certificates), DER: RFC 5280 v2, signed by the issuing CA') },
  { scope: 'issuing', format: 'pem', route: crlRoute('/v1/crl.pem', 'pem', 'CRL of the issuing CA, PEM (label "X509 CRL")') },
  { scope: 'root', format: 'der', route: crlRoute('/v1/crl/root', 'der', 'CRL of the root CA (issuing CAs), DER') },
  { scope: 'root', format: 'pem', route: crlRoute('/v1/crl/root.pem', 'pem', 'CRL of the root CA, PEM') },
];

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
  if (format === 'pem') return c.body(toPem('X509 CRL', crl.der), 200, { 'content-type': PEM_TYPE });
  return c.body(new Uint8Array(crl.der), 200, { 'content-type': DER_TYPE });
}

export function crlRoutes(deps: AppDeps) {
  const publisher = deps.certificates.crl;
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  for (const { scope, format, route } of ROUTES) {
    app.openapi(route, async (c) => respond(c, await publisher.current(scope), format));
  }
  return app;
}
