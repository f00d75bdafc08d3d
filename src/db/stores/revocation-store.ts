// drizzle implementation of RevocationStore.
import { and, asc, count, eq, gt, gte, max } from 'drizzle-orm';
import type { Revocation, RevocationKind } from '../../revocation/revocation.js';
import type { RevocationStore } from '../../revocation/store.js';
import type { Database } from '../client.js';
import { revocations } from '../schema/index.js';

type Row = typeof revocations.$inferSelect;

const toRevocation = (r: Row): Revocation => ({
  ...r,
  kind: r.kind as RevocationKind,
  data: r.data as Record<string, unknown>,
});

export function revocationStore(db: Database): RevocationStore {
  return {
    lastSeq: async () => {
      const [row] = await db.select({ last: max(revocations.seq) }).from(revocations);
      return Number(row?.last ?? 0);
    },
    insertMany: async (rs) => {
      if (rs.length === 0) return [];
      // RETURNING order is not guaranteed to follow VALUES order: sort by seq.
      const rows = await db.insert(revocations).values(rs).returning();
      return rows.map(toRevocation).sort((a, b) => a.seq - b.seq);
    },
    find: async (kind, subject) => {
      const [row] = await db
        .select()
        .from(revocations)
        .where(and(eq(revocations.kind, kind), eq(revocations.subject, subject)))
        .limit(1);
      return row ? toRevocation(row) : undefined;
    },
    listSince: async (since, limit) =>
      (
        await db
          .select()
          .from(revocations)
          .where(gt(revocations.seq, since))
          .orderBy(asc(revocations.seq))
          .limit(limit)
      ).map(toRevocation),
    countRevokedSince: async (since) =>
      (
        await db
          .select({ kind: revocations.kind, count: count() })
          .from(revocations)
          .where(gte(revocations.revokedAt, since))
          .groupBy(revocations.kind)
      ).map((r) => ({ kind: r.kind as RevocationKind, count: r.count })),
  };
}
