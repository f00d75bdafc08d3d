// drizzle implementation of DashboardSource: grouped counts by UTC day and short, indexed lists.
import { and, asc, count, desc, eq, gte, isNotNull, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { DailyActivity, DashboardSource } from '../../ops/dashboard.js';
import type { Database } from '../client.js';
import {
  certificates,
  passports,
  revocations,
  webhookDeliveries,
  webhookSubscriptions,
} from '../schema/index.js';

const utcDay = (column: unknown) =>
  sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD')`;

export function dashboardSource(db: Database): DashboardSource {
  return {
    dailyActivity: async (since) => {
      const [pIssued, cIssued, pRevoked, otherRevoked] = await Promise.all([
        db
          .select({ day: utcDay(passports.issuedAt), n: count() })
          .from(passports)
          .where(gte(passports.issuedAt, since))
          .groupBy(sql`1`),
        db
          .select({ day: utcDay(certificates.createdAt), n: count() })
          .from(certificates)
          .where(gte(certificates.createdAt, since))
          .groupBy(sql`1`),
        db
          .select({ day: utcDay(passports.revokedAt), n: count() })
          .from(passports)
          .where(gte(passports.revokedAt, since))
          .groupBy(sql`1`),
        // Passport revocations are counted from the passports (as the dashboard's 24 h figure is).
        db
          .select({ day: utcDay(revocations.revokedAt), n: count() })
          .from(revocations)
          .where(and(gte(revocations.revokedAt, since), ne(revocations.kind, 'passport')))
          .groupBy(sql`1`),
      ]);
      const days = new Map<string, DailyActivity>();
      const at = (day: string) =>
        days.get(day) ?? days.set(day, { day, issued: 0, revoked: 0 }).get(day)!;
      for (const r of [...pIssued, ...cIssued]) at(r.day).issued += Number(r.n);
      for (const r of [...pRevoked, ...otherRevoked]) at(r.day).revoked += Number(r.n);
      return [...days.values()].sort((a, b) => (a.day < b.day ? -1 : 1));
    },
    expiring: async (now, until, limit) => {
      const [certs, pass] = await Promise.all([
        db
          .select({
            serial: certificates.serial,
            subject: certificates.subject,
            sans: certificates.sans,
            notAfter: certificates.notAfter,
          })
          .from(certificates)
          .where(
            and(
              isNull(certificates.revokedAt),
              gte(certificates.notAfter, now),
              lt(certificates.notAfter, until),
            ),
          )
          .orderBy(asc(certificates.notAfter))
          .limit(limit),
        db
          .select({
            passportId: passports.passportId,
            subjectType: passports.subjectType,
            subjectName: passports.subjectName,
            expiresAt: passports.expiresAt,
          })
          .from(passports)
          .where(
            and(
              eq(passports.state, 'active'),
              gte(passports.expiresAt, now),
              lt(passports.expiresAt, until),
            ),
          )
          .orderBy(asc(passports.expiresAt))
          .limit(limit),
      ]);
      return {
        certificates: certs.map((c) => ({ ...c, sans: c.sans as string[] })),
        passports: pass,
      };
    },
    failedDeliveries: async (limit) =>
      db
        .select({
          id: webhookDeliveries.id,
          subscriptionId: webhookDeliveries.subscriptionId,
          url: webhookSubscriptions.url,
          revocationSeq: webhookDeliveries.revocationSeq,
          status: webhookDeliveries.status,
          attempts: webhookDeliveries.attempts,
          lastAttemptAt: webhookDeliveries.lastAttemptAt,
          lastStatusCode: webhookDeliveries.lastStatusCode,
          lastError: webhookDeliveries.lastError,
          nextAttemptAt: webhookDeliveries.nextAttemptAt,
        })
        .from(webhookDeliveries)
        .innerJoin(
          webhookSubscriptions,
          eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId),
        )
        .where(
          or(
            eq(webhookDeliveries.status, 'failed'),
            and(eq(webhookDeliveries.status, 'pending'), isNotNull(webhookDeliveries.lastError)),
          ),
        )
        .orderBy(desc(webhookDeliveries.lastAttemptAt), desc(webhookDeliveries.id))
        .limit(limit),
  };
}
