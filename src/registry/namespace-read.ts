// Reads of namespaces, with who may see what: an admin every record, a publisher its own records
// and its rival claims.
import { assertCanRead, type Principal } from '../auth/principal.js';
import type { Persistence } from '../stores.js';
import {
  claimAsNamespace,
  requireNamespace,
  requireNamespaceName,
  type Namespace,
  type NamespaceStatus,
} from './namespace.js';

/** A namespace, to an admin or its own publisher; a publisher with a rival claim sees that claim. */
export async function getNamespace(
  p: Persistence,
  principal: Principal,
  namespace: string,
): Promise<Namespace> {
  requireNamespaceName(namespace, 'path.namespace');
  const ns = await requireNamespace(p.stores, namespace);
  if (
    principal.role !== 'admin' &&
    principal.publisherId &&
    principal.publisherId !== ns.publisherId
  ) {
    const rival = await p.stores.namespaces.findClaim(namespace, principal.publisherId);
    if (rival) return claimAsNamespace(rival);
  }
  assertCanRead(principal, ns.publisherId);
  return ns;
}

/**
 * Namespaces the principal may see: all records for admins (or one publisher's, when named), else
 * its publisher's records and rival claims. `search` matches a substring of the name.
 */
export async function listNamespaces(
  p: Persistence,
  principal: Principal,
  o: {
    status?: NamespaceStatus | undefined;
    search?: string | undefined;
    publisherId?: string | undefined;
    after?: string | undefined;
    limit: number;
  },
): Promise<Namespace[]> {
  if (principal.role === 'admin') return p.stores.namespaces.list(o);
  if (!principal.publisherId) return [];
  const records = await p.stores.namespaces.list({ ...o, publisherId: principal.publisherId });
  if (o.status !== undefined && o.status !== 'pending') return records;
  const claims = await p.stores.namespaces.listClaimsOf({
    publisherId: principal.publisherId,
    search: o.search,
    after: o.after,
    limit: o.limit,
  });
  return [...records, ...claims.map(claimAsNamespace)]
    .sort((x, y) => (x.namespace < y.namespace ? -1 : 1))
    .slice(0, o.limit);
}

/** Claims waiting for a verification or an admin's decision. */
export function countPendingNamespaces(p: Persistence): Promise<number> {
  return p.stores.namespaces.count({ status: 'pending' });
}
