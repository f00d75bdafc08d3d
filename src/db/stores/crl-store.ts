// drizzle implementation of CrlStore. The CRL number is nextval of crl_number_seq: a sequence is
// never rolled back and never hands the same value to two sessions.
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { CrlStore } from '../../certificates/store.js';
import type { Database } from '../client.js';
import { rowsOf } from '../rows.js';
import { crls } from '../schema/index.js';

const INFO = {
  crlNumber: crls.crlNumber,
  issuerKid: crls.issuerKid,
  thisUpdate: crls.thisUpdate,
  nextUpdate: crls.nextUpdate,
  entries: crls.entries,
  createdAt: crls.createdAt,
};

export function crlStore(db: Database): CrlStore {
  return {
    nextNumber: async () => {
      const [row] = rowsOf(await db.execute(sql`select nextval('crl_number_seq')::text as n`));
      return Number(row!.n);
    },
    insert: async (crl) => {
      await db.insert(crls).values(crl);
    },
    latestInfo: async (issuerKid) => {
      const [row] = await db
        .select(INFO)
        .from(crls)
        .where(eq(crls.issuerKid, issuerKid))
        .orderBy(desc(crls.crlNumber))
        .limit(1);
      return row;
    },
    findByNumber: async (crlNumber) => {
      const [row] = await db.select().from(crls).where(eq(crls.crlNumber, crlNumber)).limit(1);
      return row;
    },
    prune: async (issuerKid, keep) => {
      const kept = await db
        .select({ n: crls.crlNumber })
        .from(crls)
        .where(eq(crls.issuerKid, issuerKid))
        .orderBy(desc(crls.crlNumber))
        .limit(keep);
      if (kept.length < keep) return;
      await db
        .delete(crls)
        .where(and(eq(crls.issuerKid, issuerKid), lt(crls.crlNumber, kept[kept.length - 1]!.n)));
    },
  };
}
