// drizzle implementation of NamespaceStore.
import { and, asc, count, eq, gt, ilike, inArray, type SQL, sql } from 'drizzle-orm';
import type { Namespace } from '../../registry/namespace.js';
import type { NamespaceStore } from '../../registry/namespace-store.js';
import type { Database } from '../client.js';
import { preparedOnce } from '../prepared.js';
import { namespaceClaims, namespaces } from '../schema/index.js';
import { likePattern } from './publisher-store.js';

type Row = typeof namespaces.$inferSelect;

const toNamespace = (r: Row): Namespace => ({
  ...r,
  status: r.status as Namespace['status'],
  verificationMethod: r.verificationMethod as Namespace['verificationMethod'],
});

const findForShareQuery = preparedOnce((db) =>
  db
    .select()
    .from(namespaces)
    .where(eq(namespaces.namespace, sql.placeholder('namespace')))
    .limit(1)
    .for('share')
    .prepare('namespace_find_for_share'),
);

export function namespaceStore(db: Database): NamespaceStore {
  return {
    find: async (namespace) => {
      const [row] = await db
        .select()
        .from(namespaces)
        .where(eq(namespaces.namespace, namespace))
        .limit(1);
      return row ? toNamespace(row) : undefined;
    },
    findForShare: async (namespace) => {
      const [row] = await findForShareQuery(db).execute({ namespace });
      return row ? toNamespace(row) : undefined;
    },
    save: async (ns) => {
      const { namespace: _key, ...rest } = ns;
      await db
        .insert(namespaces)
        .values(ns)
        .onConflictDoUpdate({ target: namespaces.namespace, set: rest });
    },
    findVerified: async (names, o) => {
      if (names.length === 0) return [];
      const query = db
        .select()
        .from(namespaces)
        .where(and(inArray(namespaces.namespace, names), eq(namespaces.status, 'verified')));
      const rows = o?.lock === 'share' ? await query.for('share') : await query;
      return rows.map(toNamespace);
    },
    list: async ({ publisherId, status, search, after, limit }) => {
      const conditions: SQL[] = [];
      if (search) conditions.push(ilike(namespaces.namespace, likePattern(search)));
      if (publisherId) conditions.push(eq(namespaces.publisherId, publisherId));
      if (status) conditions.push(eq(namespaces.status, status));
      if (after) conditions.push(gt(namespaces.namespace, after));
      const rows = await db
        .select()
        .from(namespaces)
        .where(conditions.length ? and(...conditions) : undefined)
        .orderBy(asc(namespaces.namespace))
        .limit(limit);
      return rows.map(toNamespace);
    },
    count: async (o = {}) => {
      const [row] = await db
        .select({ n: count() })
        .from(namespaces)
        .where(o.status ? eq(namespaces.status, o.status) : undefined);
      return row?.n ?? 0;
    },
    findClaim: async (namespace, publisherId) => {
      const [row] = await db
        .select()
        .from(namespaceClaims)
        .where(
          and(
            eq(namespaceClaims.namespace, namespace),
            eq(namespaceClaims.publisherId, publisherId),
          ),
        )
        .limit(1);
      return row;
    },
    saveClaim: async (claim) => {
      const { namespace: _n, publisherId: _p, ...rest } = claim;
      await db
        .insert(namespaceClaims)
        .values(claim)
        .onConflictDoUpdate({
          target: [namespaceClaims.namespace, namespaceClaims.publisherId],
          set: rest,
        });
    },
    deleteClaims: async (namespace, publisherId) => {
      const conditions: SQL[] = [eq(namespaceClaims.namespace, namespace)];
      if (publisherId) conditions.push(eq(namespaceClaims.publisherId, publisherId));
      await db.delete(namespaceClaims).where(and(...conditions));
    },
    listClaimsOn: async (namespace) =>
      db
        .select()
        .from(namespaceClaims)
        .where(eq(namespaceClaims.namespace, namespace))
        .orderBy(asc(namespaceClaims.createdAt), asc(namespaceClaims.publisherId)),
    listClaimsOf: async ({ publisherId, search, after, limit }) => {
      const conditions: SQL[] = [eq(namespaceClaims.publisherId, publisherId)];
      if (search) conditions.push(ilike(namespaceClaims.namespace, likePattern(search)));
      if (after) conditions.push(gt(namespaceClaims.namespace, after));
      return db
        .select()
        .from(namespaceClaims)
        .where(and(...conditions))
        .orderBy(asc(namespaceClaims.namespace))
        .limit(limit);
    },
  };
}
