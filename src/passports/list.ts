// Listing passports (admin UI, owners): filters by effective state, subject and owner, free-text
// search, and keyset pages newest first; plus the counts the dashboard shows.
import { listingScope } from '../registry/listing.js';
import type { Principal } from '../auth/principal.js';
import type { Persistence } from '../stores.js';
import type { PassportRecord, PassportState, SubjectType } from './passport.js';
import type { PassportQuery } from './store.js';

/** The states a list can be narrowed to: stored states plus the derived `expired`. */
export const PASSPORT_LIST_STATES = [
  'active',
  'superseded',
  'revoked',
  'expired',
] as const satisfies ReadonlyArray<PassportState | 'expired'>;
export const SUBJECT_TYPES = [
  'agent',
  'server',
  'issuer',
] as const satisfies readonly SubjectType[];
export const MAX_PASSPORT_PAGE = 500;

/** Where a page ends: the next page starts after this passport. */
export interface PassportPosition {
  issuedAt: Date;
  passportId: string;
}

export interface ListPassportsOptions {
  state?: (typeof PASSPORT_LIST_STATES)[number] | undefined;
  subjectType?: SubjectType | undefined;
  /** Admins only may name another publisher; a publisher's token sees its own passports. */
  publisherId?: string | undefined;
  agentId?: string | undefined;
  subjectName?: string | undefined;
  /** Subject name substring, passport id prefix, exact kid or chain identity. */
  search?: string | undefined;
  after?: PassportPosition | undefined;
  limit: number;
}

export interface PassportPage {
  items: PassportRecord[];
  /** Position to pass as `after` for the next page; null on the last page. */
  next: PassportPosition | null;
}

/**
 * A page of the passports `principal` may read, newest first. Admins see every publisher's;
 * other callers see only their own publisher's (naming another publisher is 403).
 */
export async function listPassports(
  p: Persistence,
  principal: Principal,
  o: ListPassportsOptions,
): Promise<PassportPage> {
  const { search, publisherId } = listingScope(principal, o, MAX_PASSPORT_PAGE);
  const q: PassportQuery = {
    now: p.clock.now(),
    state: o.state,
    subjectType: o.subjectType,
    publisherId,
    agentId: o.agentId,
    subjectName: o.subjectName,
    search: search || undefined,
    before: o.after,
    limit: o.limit + 1,
  };
  const rows = await p.stores.passports.list(q);
  const items = rows.slice(0, o.limit);
  const last = items[items.length - 1];
  return {
    items,
    next:
      rows.length > o.limit && last
        ? { issuedAt: last.issuedAt, passportId: last.passportId }
        : null,
  };
}

/** Passports that are active and unexpired now. */
export function countActivePassports(p: Persistence): Promise<number> {
  return p.stores.passports.countActive(p.clock.now());
}

/** The newest `limit` passports of one subject, any publisher (admins). */
export function listSubjectPassports(
  p: Persistence,
  subjectType: SubjectType,
  subjectName: string,
  limit: number,
): Promise<PassportRecord[]> {
  return p.stores.passports.list({ now: p.clock.now(), subjectType, subjectName, limit });
}
