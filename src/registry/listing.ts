// What every admin/API listing checks first: the page size, the search text, and which
// publisher's resources the caller may list (admins: any, or the one they name; others: their own).
import { InvalidRequestError } from '../errors.js';
import { assertCanRead, type Principal } from '../auth/principal.js';

/** Longest accepted search text. */
export const MAX_SEARCH = 200;

export interface ListingRequest {
  limit: number;
  search?: string | undefined;
  publisherId?: string | undefined;
}

export interface ListingScope {
  /** Trimmed search text, or undefined for none. */
  search: string | undefined;
  /** The publisher to list for; undefined: every publisher (admins only). */
  publisherId: string | undefined;
}

/** Validates a listing request (400 naming `query.limit`/`query.search`) and scopes it (403). */
export function listingScope(
  principal: Principal,
  o: ListingRequest,
  maxPage: number,
): ListingScope {
  if (!Number.isInteger(o.limit) || o.limit < 1 || o.limit > maxPage) {
    throw InvalidRequestError.field('query.limit', `must be an integer from 1 to ${maxPage}`);
  }
  const search = o.search?.trim() || undefined;
  if (search && search.length > MAX_SEARCH)
    throw InvalidRequestError.field('query.search', `must be at most ${MAX_SEARCH} characters`);
  let publisherId = o.publisherId;
  if (principal.role !== 'admin') {
    publisherId ??= principal.publisherId ?? '';
    assertCanRead(principal, publisherId);
  }
  return { search, publisherId };
}
