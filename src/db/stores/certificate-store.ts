// drizzle implementation of CertificateStore.
import {
  and,
  asc,
  count,
  desc,
  eq,
  gt,
  ilike,
  inArray,
  isNotNull,
  isNull,
  like,
  lte,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import { olderThan } from './keyset.js';
import {
  SerialCollisionError,
  type CertificateRecord,
  type RevocationReason,
} from '../../certificates/certificate.js';
import type { CertificateQuery, CertificateStore } from '../../certificates/store.js';
import type { Database } from '../client.js';
import { columnPlaceholders, preparedOnce, rowValues } from '../prepared.js';
import { isUniqueViolation } from '../errors.js';
import { certificates } from '../schema/index.js';
import { likePattern, prefixPattern } from './publisher-store.js';

type Row = typeof certificates.$inferSelect;

const toRecord = (r: Row): CertificateRecord => ({
  ...r,
  profile: r.profile as CertificateRecord['profile'],
  sans: r.sans as string[],
  revocationReason: r.revocationReason as CertificateRecord['revocationReason'],
});

const bySerial = (a: CertificateRecord, b: CertificateRecord) =>
  a.serial < b.serial ? -1 : a.serial > b.serial ? 1 : 0;

/** The WHERE conditions of a CertificateQuery. */
function conditionsOf(q: CertificateQuery): SQL[] {
  const where: SQL[] = [];
  if (q.status === 'revoked') where.push(isNotNull(certificates.revokedAt));
  else if (q.status === 'valid')
    where.push(isNull(certificates.revokedAt), gt(certificates.notAfter, q.now));
  else if (q.status === 'expired')
    where.push(isNull(certificates.revokedAt), lte(certificates.notAfter, q.now));
  if (q.profile) where.push(eq(certificates.profile, q.profile));
  if (q.publisherId) where.push(eq(certificates.publisherId, q.publisherId));
  if (q.search) {
    const { text, serialPrefix } = q.search;
    const any: SQL[] = [
      ilike(certificates.subject, likePattern(text)),
      like(certificates.passportId, prefixPattern(text)),
      // A SAN such as `DNS:mcp.example.com`: any substring of the stored list, any case.
      ilike(sql`${certificates.sans}::text`, likePattern(text)),
    ];
    if (serialPrefix) any.push(like(certificates.serial, prefixPattern(serialPrefix)));
    where.push(or(...any)!);
  }
  if (q.before) {
    const { createdAt, serial } = q.before;
    where.push(
      olderThan(certificates.createdAt, certificates.serial, { at: createdAt, id: serial }),
    );
  }
  return where;
}

const insertQuery = preparedOnce((db) =>
  db.insert(certificates).values(columnPlaceholders(certificates)).prepare('certificate_insert'),
);

export function certificateStore(db: Database): CertificateStore {
  return {
    insert: async (c) => {
      try {
        await insertQuery(db).execute(rowValues(certificates, c));
      } catch (err) {
        if (isUniqueViolation(err)) throw new SerialCollisionError(c.serial);
        throw err;
      }
    },
    findBySerial: async (serial) => {
      const [row] = await db
        .select()
        .from(certificates)
        .where(eq(certificates.serial, serial))
        .limit(1);
      return row ? toRecord(row) : undefined;
    },
    findManyBySerial: async (serials) =>
      serials.length === 0
        ? []
        : (await db.select().from(certificates).where(inArray(certificates.serial, serials))).map(
            toRecord,
          ),
    markRevoked: async (serial, at, reason) => {
      const rows = await db
        .update(certificates)
        .set({ revokedAt: at, revocationReason: reason })
        .where(and(eq(certificates.serial, serial), isNull(certificates.revokedAt)))
        .returning({ serial: certificates.serial });
      return rows.length === 1;
    },
    revokeByPassports: async (passportIds, at, reason) =>
      passportIds.length === 0
        ? []
        : (
            await db
              .update(certificates)
              .set({ revokedAt: at, revocationReason: reason })
              .where(
                and(inArray(certificates.passportId, passportIds), isNull(certificates.revokedAt)),
              )
              .returning()
          )
            .map(toRecord)
            .sort(bySerial),
    revokeServerCertificates: async (subject, keyThumbprint, at, reason) =>
      (
        await db
          .update(certificates)
          .set({ revokedAt: at, revocationReason: reason })
          .where(
            and(
              eq(certificates.profile, 'server'),
              eq(certificates.subject, subject),
              eq(certificates.keyThumbprint, keyThumbprint),
              isNull(certificates.revokedAt),
            ),
          )
          .returning()
      )
        .map(toRecord)
        .sort(bySerial),
    revokeByKeyThumbprint: async (keyThumbprint, at, reason) =>
      (
        await db
          .update(certificates)
          .set({ revokedAt: at, revocationReason: reason })
          .where(and(eq(certificates.keyThumbprint, keyThumbprint), isNull(certificates.revokedAt)))
          .returning()
      )
        .map(toRecord)
        .sort(bySerial),
    listWithoutKeyThumbprint: async (limit) =>
      (
        await db
          .select()
          .from(certificates)
          .where(isNull(certificates.keyThumbprint))
          .orderBy(asc(certificates.serial))
          .limit(limit)
      ).map(toRecord),
    setKeyThumbprint: async (serial, keyThumbprint) => {
      await db.update(certificates).set({ keyThumbprint }).where(eq(certificates.serial, serial));
    },
    listUnrevokedByIssuer: async (issuerKid) =>
      (
        await db
          .select()
          .from(certificates)
          .where(and(eq(certificates.issuerKid, issuerKid), isNull(certificates.revokedAt)))
          .orderBy(asc(certificates.serial))
      ).map(toRecord),
    listUnrevokedOf: async ({ publisherId, servers, passportIds }) => {
      const bound: SQL[] = [];
      if (servers.length)
        bound.push(
          and(eq(certificates.profile, 'server'), inArray(certificates.subject, servers))!,
        );
      if (passportIds.length) bound.push(inArray(certificates.passportId, passportIds));
      if (bound.length === 0) return [];
      const rows = await db
        .select()
        .from(certificates)
        .where(
          and(
            eq(certificates.publisherId, publisherId),
            isNull(certificates.revokedAt),
            or(...bound),
          ),
        )
        .orderBy(asc(certificates.serial));
      return rows.map(toRecord);
    },
    listRevoked: async ({ issuerKid, expiringAfter, after, limit }) => {
      const conditions: SQL[] = [
        eq(certificates.issuerKid, issuerKid),
        isNotNull(certificates.revokedAt),
        gt(certificates.notAfter, expiringAfter),
      ];
      if (after !== undefined) conditions.push(gt(certificates.serial, after));
      const rows = await db
        .select({
          serial: certificates.serial,
          revokedAt: certificates.revokedAt,
          reason: certificates.revocationReason,
        })
        .from(certificates)
        .where(and(...conditions))
        .orderBy(asc(certificates.serial))
        .limit(limit);
      return rows.map((r) => ({
        serial: r.serial,
        revokedAt: r.revokedAt!,
        reason: (r.reason ?? 'unspecified') as RevocationReason,
      }));
    },
    list: async (q) => {
      const where = conditionsOf(q);
      const rows = await db
        .select()
        .from(certificates)
        .where(where.length ? and(...where) : undefined)
        .orderBy(desc(certificates.createdAt), desc(certificates.serial))
        .limit(q.limit);
      return rows.map(toRecord);
    },
    countValid: async (now) => {
      const [row] = await db
        .select({ n: count() })
        .from(certificates)
        .where(and(isNull(certificates.revokedAt), gt(certificates.notAfter, now)));
      return row?.n ?? 0;
    },
  };
}
