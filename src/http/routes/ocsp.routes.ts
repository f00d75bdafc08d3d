// OCSP responder (RFC 6960 Appendix A): POST with a DER body, or GET with the base64 request in
// the path. Every answer is an OCSPResponse — malformed requests and failures included — never
// a problem document, because OCSP clients cannot read those.
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { respondToOcsp } from '../../certificates/ocsp-responder.js';
import { ocspErrorResponse } from '../../crypto/x509/ocsp-response.js';
import { isDatabaseUnavailable } from '../../db/errors.js';
import { ACCESS, defineRoute } from '../access.js';
import type { AppEnv } from '../context.js';
import type { AppDeps } from '../deps.js';
import type { HttpMetrics } from '../metrics.js';
import { validationHook } from '../validation.js';

/** OCSP requests are a few hundred bytes; anything much larger is not one. */
const MAX_REQUEST_BYTES = 16_384;
const OCSP_RESPONSE = 'application/ocsp-response';

const responseContent = {
  200: {
    description: 'OCSPResponse, DER (also for malformed requests: responseStatus malformedRequest)',
    content: { [OCSP_RESPONSE]: { schema: z.string().openapi({ format: 'binary' }) } },
  },
};

const post = defineRoute(ACCESS.public, {
  method: 'post',
  path: '/v1/ocsp',
  signs: [],
  tags: ['revocation'],
  summary: 'OCSP (RFC 6960): status of certificates issued by the issuing CA',
  request: {
    body: {
      required: true,
      content: { 'application/ocsp-request': { schema: z.string().openapi({ format: 'binary' }) } },
    },
  },
  responses: responseContent,
});
const get = defineRoute(ACCESS.public, {
  method: 'get',
  path: '/v1/ocsp/{request}',
  tags: ['revocation'],
  summary:
    'OCSP over GET: the path is the URL-encoded base64 of the DER OCSPRequest (RFC 6960 A.1)',
  request: {
    params: z.object({ request: z.string().openapi({ param: { name: 'request', in: 'path' } }) }),
  },
  responses: responseContent,
});

/** Base64 (standard or URL-safe, padding optional) → bytes, or undefined if it is not base64. */
function decodeBase64(text: string): Buffer | undefined {
  const t = text.trim();
  if (
    t.length === 0 ||
    t.length > (MAX_REQUEST_BYTES * 4) / 3 + 4 ||
    !/^[A-Za-z0-9+/_-]+={0,2}$/.test(t)
  )
    return undefined;
  return Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

export function ocspRoutes(deps: AppDeps, metrics?: Pick<HttpMetrics, 'ocspResponse'>) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  const answer = async (c: Context, request: Uint8Array | undefined): Promise<Response> => {
    let body: Buffer;
    const observe = (status: string) => metrics?.ocspResponse(status);
    if (!request || request.length > MAX_REQUEST_BYTES) {
      observe('malformedRequest');
      body = ocspErrorResponse('malformedRequest');
    } else {
      try {
        body = await respondToOcsp(deps.certificates, request, observe, deps.signedReads);
      } catch (err) {
        const unavailable = isDatabaseUnavailable(err);
        deps.logger[unavailable ? 'warn' : 'error'](
          { req_id: c.get('requestId' as never), err },
          'OCSP request failed',
        );
        observe(unavailable ? 'tryLater' : 'internalError');
        body = ocspErrorResponse(unavailable ? 'tryLater' : 'internalError');
      }
    }
    // Answers come from the database on every request: caches must not hold them.
    return c.body(body as never, 200, {
      'content-type': OCSP_RESPONSE,
      'cache-control': 'no-cache',
    });
  };

  app.openapi(post, async (c) => {
    const raw = new Uint8Array(await c.req.arrayBuffer());
    return answer(c, raw);
  });
  app.openapi(get, async (c) => answer(c, decodeBase64(c.req.valid('param').request)));
  // Clients do not always percent-encode the '/' of base64, so the request may span segments.
  app.get('/v1/ocsp/:request{.+}', async (c) => answer(c, decodeBase64(c.req.param('request'))));
  return app;
}
