// drizzle implementation of RevocationStore.
import { and, asc, count, eq, gt, gte, max, sql, type SQL } from 'drizzle-orm';
import type { Revocation, RevocationKind } from '../../revocation/revocation.js';
import type { RevocationStore } from '../../revocation/store.js';
import type { Database } from '../client.js';
import { rowsOf } from '../rows.js';
import { certificates, passports, revocations } from '../schema/index.js';

type Row = typeof revocations.$inferSelect;

const toRevocation = (r: Row): Revocation => ({
  ...r,
  kind: r.kind as RevocationKind,
  data: r.data as Record<string, unknown>,
});

/**
 * The key-compromise check made before every issuance (test/unit/db/compromise-index.test.ts).
 * The reason is a literal, not a parameter: only then can a prepared statement's generic plan use
 * the partial indexes on keyCompromise rows (migration 0008).
 */
export const compromisedKeyQuery = (thumbprint: string): SQL =>
  sql`select 1 as found from ${passports}
    where ${passports.kid} = ${thumbprint} and ${passports.revocationReason} = 'keyCompromise'
    union all
    select 1 from ${certificates}
    where ${certificates.keyThumbprint} = ${thumbprint}
      and ${certificates.revocationReason} = 'keyCompromise'
    limit 1`;

export function revocationStore(db: Database): RevocationStore {
  return {
    isKeyCompromised: async (thumbprint) =>
      rowsOf(await db.execute(compromisedKeyQuery(thumbprint))).length > 0,
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
