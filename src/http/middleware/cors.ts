// CORS for the public read API (DESIGN.md §13; official registry issue #710): any origin may
// read what anyone may read — `Access-Control-Allow-Origin: *` on every GET/HEAD response outside
// the admin UI, and a 204 to a preflight that asks for GET or HEAD. Writes get no CORS grant: a
// preflight for any other method is refused (403, no CORS headers), so a page on another origin
// can never send a token-bearing POST. `Authorization` is not an allowed request header: a
// cross-origin page reads only public data. No credentials: `*` is never combined with cookies.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context.js';
import { problemResponse } from '../problem.js';
import { onTheResponse } from './response-headers.js';

const READ_METHODS = new Set(['GET', 'HEAD']);
const ALLOWED_HEADERS =
  'Accept, Accept-Language, Content-Language, Content-Type, If-None-Match, If-Modified-Since';
/** Preflight answers are cached by browsers this long (seconds). */
const MAX_AGE = '86400';

const excluded = (path: string) => path === '/admin' || path.startsWith('/admin/');

export function publicReadCors(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const path = c.req.path;
    if (excluded(path)) return next();
    if (
      c.req.method === 'OPTIONS' &&
      c.req.header('origin') !== undefined &&
      c.req.header('access-control-request-method') !== undefined
    ) {
      const asked = c.req.header('access-control-request-method')!.toUpperCase();
      if (!READ_METHODS.has(asked))
        return problemResponse(
          c,
          'forbidden',
          `cross-origin ${asked} is not allowed: only GET and HEAD are open to other origins`,
        );
      return new Response(null, {
        status: 204,
        headers: {
          'access-control-allow-origin': '*',
          'access-control-allow-methods': 'GET, HEAD',
          'access-control-allow-headers': ALLOWED_HEADERS,
          'access-control-max-age': MAX_AGE,
          vary: 'Access-Control-Request-Headers',
        },
      });
    }
    if (!READ_METHODS.has(c.req.method)) return next();
    const finish = onTheResponse(c, {
      'access-control-allow-origin': '*',
      'access-control-expose-headers': 'ETag, Link, Retry-After, X-Request-Id',
    });
    await next();
    finish();
  };
}
