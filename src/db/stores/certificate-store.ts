// drizzle implementation of CertificateStore.
import { and, asc, eq, gt, inArray, isNotNull, isNull, type SQL } from 'drizzle-orm';
import { SerialCollisionError, type CertificateRecord, type RevocationReason } from '../../certificates/certificate.js';
import type { CertificateStore } from '../../certificates/store.js';
import type { Database } from '../client.js';
import { isUniqueViolation } from '../errors.js';
import { certificates } from '../schema/index.js';

type Row = typeof certificates.$inferSelect;

const toRecord = (r: Row): CertificateRecord => ({
  ...r,
  profile: r.profile as CertificateRecord['profile'],
  sans: r.sans as string[],
  revocationReason: r.revocationReason as CertificateRecord['revocationReason'],
});

export function certificateStore(db: Database): CertificateStore {
  return {
    insert: async (c) => {
      try {
        await db.insert(certificates).values(c);
      } catch (err) {
        if (isUniqueViolation(err)) throw new SerialCollisionError(c.serial);
        throw err;
      }
    },
    findBySerial: async (serial) => {
      const [row] = await db.select().from(certificates).where(eq(certificates.serial, serial)).limit(1);
      return row ? toRecord(row) : undefined;
    },
    findManyBySerial: async (serials) =>
      serials.length === 0 ? [] : (await db.select().from(certificates).where(inArray(certificates.serial, serials))).map(toRecord),
    markRevoked: async (serial, at, reason) => {
      const rows = await db
        .update(certificates)
        .set({ revokedAt: at, revocationReason: reason })
        .where(and(eq(certificates.serial, serial), isNull(certificates.revokedAt)))
        .returning({ serial: certificates.serial });
      return rows.length === 1;
    },
    listUnrevokedByIssuer: async (issuerKid) =>
      (await db.select().from(certificates).where(and(eq(certificates.issuerKid, issuerKid), isNull(certificates.revokedAt))).orderBy(asc(certificates.serial))).map(toRecord),
    listRevoked: async ({ issuerKid, expiringAfter, after, limit }) => {
      const conditions: SQL[] = [eq(certificates.issuerKid, issuerKid), isNotNull(certificates.revokedAt), gt(certificates.notAfter, expiringAfter)];
      if (after !== undefined) conditions.push(gt(certificates.serial, after));
      const rows = await db
        .select({ serial: certificates.serial, revokedAt: certificates.revokedAt, reason: certificates.revocationReason })
        .from(certificates)
        .where(and(...conditions))
        .orderBy(asc(certificates.serial))
        .limit(limit);
      return rows.map((r) => ({ serial: r.serial, revokedAt: r.revokedAt!, reason: (r.reason ?? 'unspecified') as RevocationReason }));
    },
  };
}
