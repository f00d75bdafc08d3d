// drizzle implementation of ServerStore.
import { and, asc, count, eq, gt, ilike, type SQL, sql } from 'drizzle-orm';
import { ConflictError } from '../../errors.js';
import type { OriginApproval } from '../../registry/origin-proof.js';
import type { Repository, Server } from '../../registry/server.js';
import type { ServerStore } from '../../registry/server-store.js';
import type { Database } from '../client.js';
import { preparedOnce } from '../prepared.js';
import { isUniqueViolation } from '../errors.js';
import { servers } from '../schema/index.js';
import { likePattern } from './publisher-store.js';

type Row = typeof servers.$inferSelect;

interface ApprovalJson {
  origin: string;
  reason: string;
  approved_by: string;
  approved_at: string;
  audit_seq: number;
}

const approvalOf = (j: unknown): OriginApproval | null => {
  if (!j) return null;
  const a = j as ApprovalJson;
  return {
    origin: a.origin,
    reason: a.reason,
    approvedBy: a.approved_by,
    approvedAt: new Date(a.approved_at),
    auditSeq: a.audit_seq,
  };
};

const approvalJson = (a: OriginApproval | null): ApprovalJson | null =>
  a && {
    origin: a.origin,
    reason: a.reason,
    approved_by: a.approvedBy,
    approved_at: a.approvedAt.toISOString(),
    audit_seq: a.auditSeq,
  };

export const toServer = (r: Row): Server => ({
  ...r,
  repository: (r.repository as Repository | null) ?? null,
  originApproval: approvalOf(r.originApproval),
});

const findQuery = preparedOnce((db) =>
  db
    .select()
    .from(servers)
    .where(eq(servers.name, sql.placeholder('name')))
    .limit(1)
    .prepare('server_find'),
);

export function serverStore(db: Database): ServerStore {
  return {
    insert: async (s) => {
      try {
        await db.insert(servers).values({ ...s, originApproval: approvalJson(s.originApproval) });
      } catch (err) {
        if (isUniqueViolation(err)) {
          throw new ConflictError(`a server named ${s.name} exists`, [
            { field: 'body.name', message: 'already registered' },
          ]);
        }
        throw err;
      }
    },
    find: async (name) => {
      const [row] = await findQuery(db).execute({ name });
      return row ? toServer(row) : undefined;
    },
    findForUpdate: async (name) => {
      const [row] = await db
        .select()
        .from(servers)
        .where(eq(servers.name, name))
        .limit(1)
        .for('update');
      return row ? toServer(row) : undefined;
    },
    update: async (s) => {
      await db
        .update(servers)
        .set({
          origin: s.origin,
          description: s.description,
          repository: s.repository,
          originApproval: approvalJson(s.originApproval),
          updatedAt: s.updatedAt,
        })
        .where(eq(servers.name, s.name));
    },
    list: async ({ after, limit, search, publisherId, namespace }) => {
      const conditions: SQL[] = [];
      if (after) conditions.push(gt(servers.name, after));
      if (search) conditions.push(ilike(servers.name, likePattern(search)));
      if (publisherId) conditions.push(eq(servers.publisherId, publisherId));
      if (namespace) conditions.push(eq(servers.namespace, namespace));
      const rows = await db
        .select()
        .from(servers)
        .where(conditions.length ? and(...conditions) : undefined)
        .orderBy(asc(servers.name))
        .limit(limit);
      return rows.map(toServer);
    },
    count: async () => {
      const [row] = await db.select({ n: count() }).from(servers);
      return row?.n ?? 0;
    },
  };
}
