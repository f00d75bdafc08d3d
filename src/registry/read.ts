// Reads of the registry for the API and the admin UI: publishers, servers and namespaces by key,
// keyset pages, counts, and the proof standing of a server's origin. The tenant rules of reads
// that have them are in publisher.ts, namespace-read.ts and server.ts (getPublisher, getNamespace…);
// these serve callers that already are admins or read public records (servers).
import type { Persistence } from '../stores.js';
import type { NamespaceClaim, Namespace } from './namespace.js';
import { isOriginVerified } from './origin-verification.js';
import type { OriginProofResult } from './origin-proof.js';
import type { Publisher } from './publisher.js';
import { proveServerOrigin, type Server } from './server.js';

/** A keyset page: `next` is the key to start the next page after (null on the last page). */
export interface KeysetPage<T> {
  items: T[];
  next: string | null;
}

function pageOf<T>(rows: T[], limit: number, key: (x: T) => string): KeysetPage<T> {
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? key(items[items.length - 1]!) : null };
}

/** The publisher `id`, or undefined (admins). */
export function findPublisher(p: Persistence, id: string): Promise<Publisher | undefined> {
  return p.stores.publishers.findById(id);
}

/** A page of publishers ordered by id, after the id `after`; `search` matches the name (admins). */
export async function listPublishers(
  p: Persistence,
  o: { after?: string | undefined; limit: number; search?: string | undefined },
): Promise<KeysetPage<Publisher>> {
  const rows = await p.stores.publishers.list({
    ...(o.after !== undefined ? { after: o.after } : {}),
    limit: o.limit + 1,
    ...(o.search !== undefined ? { search: o.search } : {}),
  });
  return pageOf(rows, o.limit, (x) => x.id);
}

export function countPublishers(p: Persistence): Promise<number> {
  return p.stores.publishers.count();
}

/**
 * A page of registered servers (public records) ordered by name, after the name `after`;
 * `search` matches a substring of the name, `namespace` and `publisherId` exactly.
 */
export async function listServers(
  p: Persistence,
  o: {
    after?: string | undefined;
    limit: number;
    search?: string | undefined;
    namespace?: string | undefined;
    publisherId?: string | undefined;
  },
): Promise<KeysetPage<Server>> {
  const rows = await p.stores.servers.list({ ...o, limit: o.limit + 1 });
  return pageOf(rows, o.limit, (s) => s.name);
}

export function countServers(p: Persistence): Promise<number> {
  return p.stores.servers.count();
}

/** Whether, and by which proof, the TA vouches for a server's origin now. */
export function serverOriginProof(p: Persistence, server: Server): Promise<OriginProofResult> {
  return proveServerOrigin(p.stores, server);
}

/** Whether a verified namespace of the server's publisher covers its origin (no admin approval counted). */
export function isServerOriginInNamespace(
  p: Persistence,
  server: Pick<Server, 'origin' | 'publisherId'>,
): Promise<boolean> {
  return isOriginVerified(p.stores.namespaces, server);
}

/** The namespace record, or undefined (admins). */
export function findNamespace(p: Persistence, namespace: string): Promise<Namespace | undefined> {
  return p.stores.namespaces.find(namespace);
}

/** Rival claims on `namespace`, oldest first (admins). */
export function listRivalClaims(p: Persistence, namespace: string): Promise<NamespaceClaim[]> {
  return p.stores.namespaces.listClaimsOn(namespace);
}

/** The rival claim of `publisherId` on `namespace`, or undefined (admins). */
export function findNamespaceClaim(
  p: Persistence,
  namespace: string,
  publisherId: string,
): Promise<NamespaceClaim | undefined> {
  return p.stores.namespaces.findClaim(namespace, publisherId);
}
