// Opaque cursors for keyset pagination, and the common page query.
import { z } from '@hono/zod-openapi';
import { InvalidRequestError } from '../errors.js';

export const PageQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .default(50)
    .openapi({ param: { name: 'limit', in: 'query' } }),
  cursor: z
    .string()
    .max(512)
    .optional()
    .openapi({ param: { name: 'cursor', in: 'query' } }),
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
