// What the admin dashboard shows beyond the counts: issuance and revocation per UTC day, what
// expires soon, and webhook deliveries that failed. A read-only port over the shared database.

/** One UTC day (YYYY-MM-DD) of activity; days without any are absent from a source's answer. */
export interface DailyActivity {
  day: string;
  /** Passports issued plus certificates issued. */
  issued: number;
  /** Passports revoked plus every other kind in the revocation feed (certificates, keys, manifests). */
  revoked: number;
}

export interface ExpiringCertificate {
  serial: string;
  subject: string;
  sans: string[];
  notAfter: Date;
}

export interface ExpiringPassport {
  passportId: string;
  subjectType: string;
  subjectName: string;
  expiresAt: Date;
}

/** A delivery attempt that did not succeed (retrying, or given up), with where it went. */
export interface FailedDelivery {
  id: number;
  subscriptionId: string;
  url: string;
  revocationSeq: number;
  status: string;
  attempts: number;
  lastAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: Date;
}

export interface DashboardSource {
  /** Activity at or after `since` (a UTC midnight), grouped by UTC day. */
  dailyActivity(since: Date): Promise<DailyActivity[]>;
  /** Unrevoked certificates and active passports whose end is in [now, until), soonest first, at most `limit` each. */
  expiring(
    now: Date,
    until: Date,
    limit: number,
  ): Promise<{ certificates: ExpiringCertificate[]; passports: ExpiringPassport[] }>;
  /** The newest failed attempts (status failed, or pending after a failed attempt), newest first. */
  failedDeliveries(limit: number): Promise<FailedDelivery[]>;
}

/** The `days` UTC days ending with the day of `now`, oldest first, with zeros where nothing happened. */
export function lastDays(now: Date, days: number, rows: DailyActivity[]): DailyActivity[] {
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: days }, (_, i) => {
    const day = new Date(today - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10);
    return byDay.get(day) ?? { day, issued: 0, revoked: 0 };
  });
}

/** UTC midnight `days - 1` days before the day of `now`: the start of `lastDays`. */
export function firstDayOf(now: Date, days: number): Date {
  return new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (days - 1) * 86_400_000,
  );
}
