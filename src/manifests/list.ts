// Listing published versions across every server (admin UI): by state, server or free text,
// in keyset pages newest first. Manifests are public, so anyone may list them.
import { InvalidRequestError } from '../errors.js';
import type { Persistence } from '../stores.js';
import type { ManifestRecord, ManifestState } from './manifest.js';

export const MANIFEST_STATES = [
  'published',
  'deprecated',
  'yanked',
] as const satisfies readonly ManifestState[];
export const MAX_MANIFEST_PAGE = 500;
const MAX_SEARCH = 200;

/** Where a page ends: the next page starts after this version. */
export interface ManifestPosition {
  publishedAt: Date;
  digest: string;
}

export interface ListManifestsOptions {
  state?: ManifestState | undefined;
  serverName?: string | undefined;
  /** A substring of the server name, or an exact version, `sha256:` digest or tool name. */
  search?: string | undefined;
  after?: ManifestPosition | undefined;
  limit: number;
}

export interface ManifestPage {
  items: ManifestRecord[];
  next: ManifestPosition | null;
}

/** A page of manifest versions, newest first. */
export async function listManifests(
  p: Persistence,
  o: ListManifestsOptions,
): Promise<ManifestPage> {
  if (!Number.isInteger(o.limit) || o.limit < 1 || o.limit > MAX_MANIFEST_PAGE) {
    throw InvalidRequestError.field(
      'query.limit',
      `must be an integer from 1 to ${MAX_MANIFEST_PAGE}`,
    );
  }
  const search = o.search?.trim();
  if (search && search.length > MAX_SEARCH)
    throw InvalidRequestError.field('query.search', `must be at most ${MAX_SEARCH} characters`);
  const rows = await p.stores.manifests.list({
    state: o.state,
    serverName: o.serverName,
    search: search || undefined,
    before: o.after,
    limit: o.limit + 1,
  });
  const items = rows.slice(0, o.limit);
  const last = items[items.length - 1];
  return {
    items,
    next:
      rows.length > o.limit && last ? { publishedAt: last.publishedAt, digest: last.digest } : null,
  };
}
