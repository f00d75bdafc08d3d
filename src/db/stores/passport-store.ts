// drizzle implementation of PassportStore, ChallengeStore and ChainLinkStore.
import { and, or, sql, type SQL } from 'drizzle-orm';
import {
  asc,
  count,
  desc,
  eq,
  gt,
  gte,
  ilike,
  inArray,
  isNull,
  like,
  lt,
  lte,
  ne,
} from 'drizzle-orm';
import { olderThan } from './keyset.js';
import type { ChainLink, ChainLinkDocument } from '../../passports/chain.js';
import type { PassportDocument, PassportRecord } from '../../passports/passport.js';
import type {
  ChainLinkStore,
  ChallengeStore,
  PassportQuery,
  PassportStore,
} from '../../passports/store.js';
import type { Database } from '../client.js';
import { columnPlaceholders, preparedOnce, rowValues } from '../prepared.js';
import { passportChainLinks, passportChallenges, passports } from '../schema/index.js';
import { likePattern, prefixPattern } from './publisher-store.js';

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

/** The WHERE conditions of a PassportQuery. */
function conditionsOf(q: PassportQuery): SQL[] {
  const where: SQL[] = [];
  if (q.state === 'active')
    where.push(eq(passports.state, 'active'), gt(passports.expiresAt, q.now));
  else if (q.state === 'expired')
    where.push(eq(passports.state, 'active'), lte(passports.expiresAt, q.now));
  else if (q.state) where.push(eq(passports.state, q.state));
  if (q.subjectType) where.push(eq(passports.subjectType, q.subjectType));
  if (q.publisherId) where.push(eq(passports.publisherId, q.publisherId));
  if (q.agentId) where.push(eq(passports.agentId, q.agentId));
  if (q.subjectName) where.push(eq(passports.subjectName, q.subjectName));
  if (q.search) {
    where.push(
      or(
        ilike(passports.subjectName, likePattern(q.search)),
        like(passports.passportId, prefixPattern(q.search)),
        eq(passports.kid, q.search),
        eq(passports.lineageId, q.search),
      )!,
    );
  }
  if (q.before) {
    const { issuedAt, passportId } = q.before;
    where.push(
      olderThan(passports.issuedAt, passports.passportId, { at: issuedAt, id: passportId }),
    );
  }
  return where;
}

const insertPassport = preparedOnce((db) =>
  db.insert(passports).values(columnPlaceholders(passports)).prepare('passport_insert'),
);

export function passportStore(db: Database): PassportStore {
  return {
    insert: async (r) => {
      await insertPassport(db).execute(rowValues(passports, r));
    },
    findById: async (id, o) => {
      const query = db.select().from(passports).where(eq(passports.passportId, id)).limit(1);
      const [row] = o?.lock === 'share' ? await query.for('share') : await query;
      return row ? toRecord(row) : undefined;
    },
    supersede: async (id, { by, at }) => {
      // A conditional update: the row lock serialises concurrent callers, and each re-checks
      // the condition on the committed row (READ COMMITTED), so only the first one matches.
      const rows = await db
        .update(passports)
        .set({ state: 'superseded', supersededAt: at, supersededBy: by })
        .where(
          and(
            eq(passports.passportId, id),
            eq(passports.state, 'active'),
            gt(passports.expiresAt, at),
          ),
        )
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
        .where(
          and(
            sql`${passports.document}->>'issuer_kid' = ${issuerKid}`,
            ne(passports.state, 'revoked'),
          ),
        )
        .returning();
      return rows.map(toRecord).sort((a, b) => (a.passportId < b.passportId ? -1 : 1));
    },
    revokeBySubjects: async (subjectType, subjectNames, publisherId, { reason, at }) => {
      if (subjectNames.length === 0) return [];
      const rows = await db
        .update(passports)
        .set({ state: 'revoked', revokedAt: at, revocationReason: reason })
        .where(
          and(
            eq(passports.subjectType, subjectType),
            inArray(passports.subjectName, subjectNames),
            eq(passports.publisherId, publisherId),
            ne(passports.state, 'revoked'),
          ),
        )
        .returning();
      return rows.map(toRecord).sort((a, b) => (a.passportId < b.passportId ? -1 : 1));
    },
    revokeByKid: async (kid, { reason, at }) => {
      const rows = await db
        .update(passports)
        .set({ state: 'revoked', revokedAt: at, revocationReason: reason })
        .where(and(eq(passports.kid, kid), ne(passports.state, 'revoked')))
        .returning();
      return rows.map(toRecord).sort((a, b) => (a.passportId < b.passportId ? -1 : 1));
    },
    listByLineage: async (lineageId) =>
      (
        await db
          .select()
          .from(passports)
          .where(eq(passports.lineageId, lineageId))
          .orderBy(asc(passports.issuedAt), asc(passports.passportId))
      ).map(toRecord),
    findNewestByKid: async (kid) => {
      const [row] = await db
        .select()
        .from(passports)
        .where(eq(passports.kid, kid))
        .orderBy(desc(passports.issuedAt))
        .limit(1);
      return row ? toRecord(row) : undefined;
    },
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
      (
        await db
          .select()
          .from(passports)
          .where(eq(passports.agentId, agentId))
          .orderBy(asc(passports.issuedAt), asc(passports.passportId))
      ).map(toRecord),
    listRevoked: async (now) =>
      (
        await db
          .select()
          .from(passports)
          .where(
            and(inArray(passports.state, ['revoked', 'superseded']), gt(passports.expiresAt, now)),
          )
          .orderBy(asc(passports.passportId))
      ).map(toRecord),
    findMany: async (ids) =>
      ids.length === 0
        ? []
        : (await db.select().from(passports).where(inArray(passports.passportId, ids))).map(
            toRecord,
          ),
    list: async (q) => {
      const where = conditionsOf(q);
      const rows = await db
        .select()
        .from(passports)
        .where(where.length ? and(...where) : undefined)
        .orderBy(desc(passports.issuedAt), desc(passports.passportId))
        .limit(q.limit);
      return rows.map(toRecord);
    },
    countActive: async (now) => {
      const [row] = await db
        .select({ n: count() })
        .from(passports)
        .where(and(eq(passports.state, 'active'), gt(passports.expiresAt, now)));
      return row?.n ?? 0;
    },
    countRevokedSince: async (since) => {
      const [row] = await db
        .select({ n: count() })
        .from(passports)
        .where(and(eq(passports.state, 'revoked'), gte(passports.revokedAt, since)));
      return row?.n ?? 0;
    },
  };
}

const insertChallenge = preparedOnce((db) =>
  db
    .insert(passportChallenges)
    .values(columnPlaceholders(passportChallenges))
    .prepare('challenge_insert'),
);

export function challengeStore(db: Database): ChallengeStore {
  return {
    insert: async (c) => {
      await insertChallenge(db).execute(rowValues(passportChallenges, c));
    },
    consume: async (nonceHash, { owners, now }) => {
      const ownerConditions: SQL[] = owners.map((o) =>
        o === null ? isNull(passportChallenges.publisherId) : eq(passportChallenges.publisherId, o),
      );
      const rows = await db
        .delete(passportChallenges)
        .where(
          and(
            eq(passportChallenges.nonceHash, nonceHash),
            gt(passportChallenges.expiresAt, now),
            or(...ownerConditions),
          ),
        )
        .returning({ nonceHash: passportChallenges.nonceHash });
      return rows.length === 1;
    },
    deleteExpired: async (now) =>
      (
        await db
          .delete(passportChallenges)
          .where(lt(passportChallenges.expiresAt, now))
          .returning({ h: passportChallenges.nonceHash })
      ).length,
  };
}

const insertChainLink = preparedOnce((db) =>
  db
    .insert(passportChainLinks)
    .values(columnPlaceholders(passportChainLinks))
    .prepare('chain_link_insert'),
);

export function chainLinkStore(db: Database): ChainLinkStore {
  return {
    insert: async (l) => {
      await insertChainLink(db).execute(rowValues(passportChainLinks, l));
    },
    listByLineage: async (lineageId) =>
      (
        await db
          .select()
          .from(passportChainLinks)
          .where(eq(passportChainLinks.lineageId, lineageId))
          .orderBy(asc(passportChainLinks.seq))
      ).map((r): ChainLink => ({ ...r, document: r.document as ChainLinkDocument })),
  };
}
