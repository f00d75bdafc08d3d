// What an operator alerts on, read from the database at scrape time: the database is shared by
// every instance, so these figures are the TA's, not one process's (they survive restarts too).

export interface OperationalStats {
  /** Passports by subject type and certificates by profile, ever issued. */
  issued: Array<{ kind: 'passport' | 'certificate'; type: string; count: number }>;
  /** Entries of the revocation feed, by kind and reason. */
  revocations: Array<{ kind: string; reason: string; count: number }>;
  /** The newest CRL of each issuer. */
  crls: Array<{ issuerKid: string; thisUpdate: Date; nextUpdate: Date }>;
  /** Webhook deliveries by status (pending: backlog; failed: given up, the dead letters). */
  webhookDeliveries: Array<{ status: string; count: number }>;
  /** Pending deliveries that failed at least once (backing off), and when the oldest pending one was queued. */
  webhookPending: { retrying: number; oldestCreatedAt: Date | null };
  /** Authority keys (passport signing, CAs) not retired, with their expiry when they have one. */
  authorityKeys: Array<{ kid: string; purpose: string; status: string; notAfter: Date | null }>;
  /** When the oldest audit event still waiting for the log sequencer was appended; null if none waits. */
  oldestUnsequencedAt: Date | null;
}

/** Storage port: one consistent read of the figures above. */
export interface OperationalStatsSource {
  read(): Promise<OperationalStats>;
}
