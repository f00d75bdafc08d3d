// The request body size limit. A body whose Content-Length is within the limit is read as it is
// (Node's parser delivers no more than that) straight into Hono's body cache (readSocketBody),
// one that declares more is refused at once, and only a body without a usable length (chunked)
// is counted while it streams, by Hono's bodyLimit.
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../context.js';
import { bodyFraming, readSocketBody } from '../request-body.js';

export function requestBodyLimit(o: {
  maxSize: number;
  onError: (c: Context<AppEnv>) => Response | Promise<Response>;
}): MiddlewareHandler<AppEnv> {
  const streamed = bodyLimit({ maxSize: o.maxSize, onError: o.onError });
  return async (c, next) => {
    const body = bodyFraming(c);
    if (!body.present) return next();
    if (body.length !== null) {
      if (body.length > o.maxSize) return o.onError(c);
      await readSocketBody(c);
      return next();
    }
    return streamed(c, next);
  };
}
