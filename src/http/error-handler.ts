// Maps every thrown error to a problem document. 5xx responses never carry internals.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from 'pino';
import { isDatabaseUnavailable, isRetryableConflict } from '../db/errors.js';
import { TaError } from '../errors.js';
import { problemResponse } from './problem.js';

export function errorHandler(logger: Logger) {
  return (err: Error, c: Context): Response => {
    if (err instanceof TaError) return problemResponse(c, err.code, err.message, err.issues);
    if (err instanceof HTTPException) {
      if (err.status === 400 && /json/i.test(err.message)) {
        return problemResponse(c, 'malformed-json', 'the request body is not valid JSON', [
          { field: 'body', message: 'is not valid JSON' },
        ]);
      }
      if (err.status === 413)
        return problemResponse(c, 'payload-too-large', 'request body too large');
      if (err.status < 500) return problemResponse(c, 'invalid-request', err.message);
    }
    if (isDatabaseUnavailable(err)) {
      logger.warn(
        { req_id: c.get('requestId' as never), err: { message: err.message } },
        'database unavailable',
      );
      return problemResponse(
        c,
        'service-unavailable',
        'the database is unavailable; retry shortly',
      );
    }
    if (isRetryableConflict(err)) {
      // Already retried once by Persistence.transact: a conflicting write won twice.
      logger.warn(
        { req_id: c.get('requestId' as never), err: { message: err.message } },
        'transaction conflict after retry',
      );
      return problemResponse(
        c,
        'service-unavailable',
        'a concurrent change conflicted with this request; retry it',
      );
    }
    logger.error({ req_id: c.get('requestId' as never), err }, 'unhandled error');
    return problemResponse(c, 'internal-error');
  };
}
