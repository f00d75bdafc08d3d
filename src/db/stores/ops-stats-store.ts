// drizzle implementation of OperationalStatsSource: grouped counts, no rows.
import { and, asc, count, desc, eq, isNull, max, min, ne, sql } from 'drizzle-orm';
import type { OperationalStatsSource } from '../../ops/stats.js';
import type { Database } from '../client.js';
import {
  auditEvents,
  authorityKeys,
  certificates,
  crls,
  passports,
  revocations,
  webhookDeliveries,
} from '../schema/index.js';

export function operationalStatsSource(db: Database): OperationalStatsSource {
  return {
    read: async () => {
      const [byType, byProfile, revoked, newest, deliveries, keys, pending] = await Promise.all([
        db
          .select({ type: passports.subjectType, n: count() })
          .from(passports)
          .groupBy(passports.subjectType),
        db
          .select({ type: certificates.profile, n: count() })
          .from(certificates)
          .groupBy(certificates.profile),
        db
          .select({ kind: revocations.kind, reason: revocations.reason, n: count() })
          .from(revocations)
          .groupBy(revocations.kind, revocations.reason),
        db
          .select({ issuerKid: crls.issuerKid, number: max(crls.crlNumber) })
          .from(crls)
          .groupBy(crls.issuerKid),
        db
          .select({ status: webhookDeliveries.status, n: count() })
          .from(webhookDeliveries)
          .groupBy(webhookDeliveries.status),
        db
          .select({
            kid: authorityKeys.kid,
            purpose: authorityKeys.purpose,
            status: authorityKeys.status,
            notAfter: authorityKeys.notAfter,
          })
          .from(authorityKeys)
          .where(ne(authorityKeys.status, 'retired')),
        db
          .select({
            oldest: min(webhookDeliveries.createdAt),
            // A failed attempt leaves last_error; a delivered one clears it.
            retrying: sql<number>`count(*) filter (where ${webhookDeliveries.lastError} is not null)`,
          })
          .from(webhookDeliveries)
          .where(eq(webhookDeliveries.status, 'pending')),
      ]);
      const latest = [];
      for (const n of newest) {
        if (n.number === null) continue;
        const [row] = await db
          .select({
            issuerKid: crls.issuerKid,
            thisUpdate: crls.thisUpdate,
            nextUpdate: crls.nextUpdate,
          })
          .from(crls)
          .where(and(eq(crls.issuerKid, n.issuerKid), eq(crls.crlNumber, Number(n.number))))
          .orderBy(desc(crls.crlNumber))
          .limit(1);
        if (row) latest.push(row);
      }
      const [unsequenced] = await db
        .select({ at: auditEvents.occurredAt })
        .from(auditEvents)
        .where(isNull(auditEvents.seq))
        .orderBy(asc(auditEvents.id))
        .limit(1);
      return {
        issued: [
          ...byType.map((r) => ({ kind: 'passport' as const, type: r.type, count: Number(r.n) })),
          ...byProfile.map((r) => ({
            kind: 'certificate' as const,
            type: r.type,
            count: Number(r.n),
          })),
        ],
        revocations: revoked.map((r) => ({ kind: r.kind, reason: r.reason, count: Number(r.n) })),
        crls: latest,
        webhookDeliveries: deliveries.map((r) => ({ status: r.status, count: Number(r.n) })),
        authorityKeys: keys,
        webhookPending: {
          retrying: Number(pending[0]?.retrying ?? 0),
          oldestCreatedAt: pending[0]?.oldest ?? null,
        },
        oldestUnsequencedAt: unsequenced?.at ?? null,
      };
    },
  };
}
