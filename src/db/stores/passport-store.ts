// drizzle implementation of PassportStore, ChallengeStore and ChainLinkStore.
import { and, asc, desc, eq, gt, inArray, isNull, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import type { ChainLink, ChainLinkDocument } from '../../passports/chain.js';
import type { PassportDocument, PassportRecord } from '../../passports/passport.js';
import type { ChainLinkStore, ChallengeStore, PassportStore } from '../../passports/store.js';
import type { Database } from '../client.js';
import { passportChainLinks, passportChallenges, passports } from '../schema/index.js';

type Row = typeof passports.$inferSelect;

function toRecord(r: Row): PassportRecord {
  return {
    ...r,
    subjectType: r.subjectType as PassportRecord['subjectType'],
    trustLevel: r.trustLevel as PassportRecord['trustLevel'],
    state: r.state as PassportRecord['state'],
    document: r.document as PassportDocument,
    revocationReason: r.revocationReason as PassportRecord['revocationReason'],
  };
}

export function passportStore(db: Database): PassportStore {
  return {
    insert: async (r) => {
      await db.insert(passports).values(r);
    },
    findById: async (id) => {
      const [row] = await db.select().from(passports).where(eq(passports.passportId, id)).limit(1);
      return row ? toRecord(row) : undefined;
    },
    supersede: async (id, { by, at }) => {
      // A conditional update: the row lock serialises concurrent callers, and each re-checks
      // the condition on the committed row (READ COMMITTED), so only the first one matches.
      const rows = await db
        .update(passports)
        .set({ state: 'superseded', supersededAt: at, supersededBy: by })
        .where(and(eq(passports.passportId, id), eq(passports.state, 'active'), gt(passports.expiresAt, at)))
        .returning({ id: passports.passportId });
      return rows.length === 1;
    },
    revoke: async (id, { reason, at }) => {
      const [row] = await db
        .update(passports)
        .set({ state: 'revoked', revokedAt: at, revocationReason: reason })
        .where(and(eq(passports.passportId, id), ne(passports.state, 'revoked')))
        .returning();
      return row ? toRecord(row) : undefined;
    },
    revokeSignedBy: async (issuerKid, { reason, at }) => {
      // TODO: no index on document->>'issuer_kid': this scans the passports table. Authority key
      // revocation is a rare admin action; add an expression index if the table grows very large.
      const rows = await db
        .update(passports)
        .set({ state: 'revoked', revokedAt: at, revocationReason: reason })
        .where(and(sql`${passports.document}->>'issuer_kid' = ${issuerKid}`, ne(passports.state, 'revoked')))
        .returning();
      return rows.map(toRecord).sort((a, b) => (a.passportId < b.passportId ? -1 : 1));
    },
    listByLineage: async (lineageId) =>
      (await db.select().from(passports).where(eq(passports.lineageId, lineageId)).orderBy(asc(passports.issuedAt), asc(passports.passportId))).map(
        toRecord,
      ),
    findActiveBySubject: async (subjectType, subjectName, now) => {
      const [row] = await db
        .select()
        .from(passports)
        .where(
          and(
            eq(passports.subjectType, subjectType),
            eq(passports.subjectName, subjectName),
            eq(passports.state, 'active'),
            gt(passports.expiresAt, now),
          ),
        )
        .orderBy(desc(passports.issuedAt))
        .limit(1);
      return row ? toRecord(row) : undefined;
    },
    listByAgent: async (agentId) =>
      (await db.select().from(passports).where(eq(passports.agentId, agentId)).orderBy(asc(passports.issuedAt), asc(passports.passportId))).map(
        toRecord,
      ),
    listRevoked: async (now) =>
      (
        await db
          .select()
          .from(passports)
          .where(and(inArray(passports.state, ['revoked', 'superseded']), gt(passports.expiresAt, now)))
          .orderBy(asc(passports.passportId))
      ).map(toRecord),
    findMany: async (ids) =>
      ids.length === 0 ? [] : (await db.select().from(passports).where(inArray(passports.passportId, ids))).map(toRecord),
  };
}

export function challengeStore(db: Database): ChallengeStore {
  return {
    insert: async (c) => {
      await db.insert(passportChallenges).values(c);
    },
    consume: async (nonceHash, { owners, now }) => {
      const ownerConditions: SQL[] = owners.map((o) =>
        o === null ? isNull(passportChallenges.publisherId) : eq(passportChallenges.publisherId, o),
      );
      const rows = await db
        .delete(passportChallenges)
        .where(and(eq(passportChallenges.nonceHash, nonceHash), gt(passportChallenges.expiresAt, now), or(...ownerConditions)))
        .returning({ nonceHash: passportChallenges.nonceHash });
      return rows.length === 1;
    },
    deleteExpired: async (now) =>
      (await db.delete(passportChallenges).where(lt(passportChallenges.expiresAt, now)).returning({ h: passportChallenges.nonceHash }))
        .length,
  };
}

export function chainLinkStore(db: Database): ChainLinkStore {
  return {
    insert: async (l) => {
      await db.insert(passportChainLinks).values(l);
    },
    listByLineage: async (lineageId) =>
      (
        await db.select().from(passportChainLinks).where(eq(passportChainLinks.lineageId, lineageId)).orderBy(asc(passportChainLinks.seq))
      ).map((r): ChainLink => ({ ...r, document: r.document as ChainLinkDocument })),
  };
}
