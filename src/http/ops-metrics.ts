// Metrics worth alerting on (issuance, revocations, CRL freshness, webhook backlog and dead
// letters, authority key expiry), refreshed from the database on each scrape of /metrics.
// Names and meanings are documented in docs/metrics.md; sample alert rules: ops/prometheus-alerts.yml.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Clock } from '../clock.js';
import type { OperationalStatsSource } from '../ops/stats.js';

export interface OpsMetrics {
  /** Reads the figures; a failed read sets mcps_ta_stats_up 0 and keeps the scrape working. */
  refresh(): Promise<void>;
}

export function createOpsMetrics(
  registry: Registry,
  source: OperationalStatsSource,
  clock: Clock,
): OpsMetrics {
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Gauge({ name, help, labelNames, registers: [registry] });
  const up = gauge(
    'mcps_ta_stats_up',
    '1 when the figures below were read from the database on this scrape, else 0',
    [],
  );
  const issued = gauge(
    'mcps_ta_issued',
    'Passports (by subject type) and certificates (by profile) ever issued',
    ['kind', 'type'] as const,
  );
  const revoked = gauge(
    'mcps_ta_revocations',
    'Entries of the revocation feed by kind and reason',
    ['kind', 'reason'] as const,
  );
  const crlAge = gauge(
    'mcps_ta_crl_age_seconds',
    "Seconds since thisUpdate of each issuer's newest CRL",
    ['issuer_kid'] as const,
  );
  const crlNext = gauge(
    'mcps_ta_crl_next_update_seconds',
    "Seconds until nextUpdate of each issuer's newest CRL (negative: stale)",
    ['issuer_kid'] as const,
  );
  const deliveries = gauge(
    'mcps_ta_webhook_deliveries',
    'Webhook deliveries by status: pending is the backlog, failed the dead letters',
    ['status'] as const,
  );
  const retrying = gauge(
    'mcps_ta_webhook_retrying',
    'Pending webhook deliveries that failed at least once (backing off)',
    [],
  );
  const oldestPending = gauge(
    'mcps_ta_webhook_oldest_pending_seconds',
    'Age of the oldest pending webhook delivery (0: none pending)',
    [],
  );
  const keyExpiry = gauge(
    'mcps_ta_authority_key_expiry_seconds',
    'Seconds until each authority key or CA certificate expires',
    ['kid', 'purpose', 'status'] as const,
  );
  const logLag = gauge(
    'mcps_log_sequencing_lag_seconds',
    'Age of the oldest audit event not yet sequenced into the transparency log (0: none waits)',
    [],
  );
  return {
    refresh: async () => {
      let stats;
      try {
        stats = await source.read();
      } catch {
        up.set(0);
        return;
      }
      const now = clock.now().getTime();
      for (const g of [issued, revoked, crlAge, crlNext, deliveries, keyExpiry]) g.reset();
      for (const r of stats.issued) issued.set({ kind: r.kind, type: r.type }, r.count);
      for (const r of stats.revocations) revoked.set({ kind: r.kind, reason: r.reason }, r.count);
      for (const c of stats.crls) {
        crlAge.set({ issuer_kid: c.issuerKid }, (now - c.thisUpdate.getTime()) / 1000);
        crlNext.set({ issuer_kid: c.issuerKid }, (c.nextUpdate.getTime() - now) / 1000);
      }
      for (const status of ['pending', 'delivered', 'failed', 'cancelled'])
        deliveries.set({ status }, 0);
      for (const d of stats.webhookDeliveries) deliveries.set({ status: d.status }, d.count);
      retrying.set(stats.webhookPending.retrying);
      const oldest = stats.webhookPending.oldestCreatedAt;
      oldestPending.set(oldest ? Math.max(0, (now - oldest.getTime()) / 1000) : 0);
      for (const k of stats.authorityKeys) {
        if (k.notAfter)
          keyExpiry.set(
            { kid: k.kid, purpose: k.purpose, status: k.status },
            (k.notAfter.getTime() - now) / 1000,
          );
      }
      logLag.set(
        stats.oldestUnsequencedAt
          ? Math.max(0, (now - stats.oldestUnsequencedAt.getTime()) / 1000)
          : 0,
      );
      up.set(1);
    },
  };
}

/** Per-call credential requests by outcome (issued, rate_limited, refused): counted as they happen. */
export function createCredentialIssuanceCounter(
  registry: Registry,
): (outcome: 'issued' | 'rate_limited' | 'refused') => void {
  const counter = new Counter({
    name: 'mcps_ta_credentials_total',
    help: 'Per-call credential requests (POST /v1/credentials) by outcome: issued, rate_limited, refused',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  for (const outcome of ['issued', 'rate_limited', 'refused']) counter.inc({ outcome }, 0);
  return (outcome) => counter.inc({ outcome });
}
