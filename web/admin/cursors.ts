// Keyset cursors of the admin lists that page newest first by (time, id): opaque in the URL
// (base64url JSON, like the API's), checked when read so a bad one is a 400 naming the field.
import { InvalidRequestError } from '../../src/errors.js';
import { decodeCursor, encodeCursor } from '../../src/http/pagination.js';

/** The cursor after the row at (`at`, `id`). */
export function encodeTimeCursor(at: Date, id: string): string {
  return encodeCursor(`${at.toISOString()} ${id}`);
}

/** The (`at`, `id`) position of a cursor made by encodeTimeCursor; 400 on anything else. */
export function decodeTimeCursor(cursor: string, field = 'query.cursor'): { at: Date; id: string } {
  const raw = decodeCursor(cursor, field);
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z) (\S{1,200})$/.exec(raw);
  const at = m ? new Date(m[1]!) : undefined;
  if (!m || !at || Number.isNaN(at.getTime()))
    throw InvalidRequestError.field(field, 'is not a cursor returned by this page');
  return { at, id: m[2]! };
}
