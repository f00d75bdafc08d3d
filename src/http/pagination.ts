// Opaque cursors for keyset pagination, and the common page query.
import { z } from '@hono/zod-openapi';
import { InvalidRequestError } from '../errors.js';

/** `limit` of a page: 1–500, `fallback` when absent. */
export const pageLimit = (fallback = 50) =>
  z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .default(fallback)
    .openapi({ param: { name: 'limit', in: 'query' } });

/** The opaque `cursor` of the next page. */
export const pageCursor = () =>
  z
    .string()
    .max(512)
    .optional()
    .openapi({ param: { name: 'cursor', in: 'query' } });

export const PageQuery = z.object({
  limit: pageLimit(),
  cursor: pageCursor(),
  search: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .openapi({ param: { name: 'search', in: 'query' } }),
});

export function encodeCursor(value: string): string {
  return Buffer.from(JSON.stringify({ after: value }), 'utf8').toString('base64url');
}

/** Decodes a cursor made by encodeCursor; a bad one is a 400 naming `field`. */
export function decodeCursor(cursor: string, field: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      after?: unknown;
    };
    if (typeof parsed.after === 'string' && parsed.after.length <= 256) return parsed.after;
  } catch {
    // fall through
  }
  throw InvalidRequestError.field(field, 'is not a cursor returned by this API');
}
