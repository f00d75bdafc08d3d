// The dashboard: figures from every module; what expires within 7 days (certificates, passports,
// authority keys / issuing CA, CRL next updates); issuances and revocations over 30 days (SVG and
// table); webhook backlog and failures; authority key status and the 10 newest audit events.
import type { Hono } from 'hono';
import { listAuditEvents } from '../../../src/audit/list.js';
import type { AppDeps } from '../../../src/http/deps.js';
import { authorityKeysExpiringBefore, listAuthorityKeys } from '../../../src/keys/list.js';
import { firstDayOf, lastDays, type DailyActivity } from '../../../src/ops/dashboard.js';
import type { AdminEnv } from '../env.js';
import { STAT_ORDER, type AdminModule, type DashboardStat, type StatValue } from '../module.js';
import { AuditTable } from '../modules/audit.js';
import { certificateHref } from '../modules/certificate-table.js';
import { KeysTable } from '../modules/keys.js';
import { passportHref } from '../modules/passport-table.js';
import { renderPage } from '../render.js';
import { ActivityChart } from '../ui/activity-chart.js';
import { Id, Time } from '../ui/format.js';

const DAY = 86_400_000;
/** "Expiring soon" means within this many days. */
export const EXPIRY_WINDOW_DAYS = 7;
const CHART_DAYS = 30;
const LIST_MAX = 10;

function Stats({ stats }: { stats: Array<{ stat: DashboardStat; value: StatValue }> }) {
  return (
    <ul class="stats" aria-label="Figures">
      {stats.map(({ stat, value }) => (
        <li>
          <span class="stat-value">{value instanceof Date ? <Time value={value} /> : value}</span>{' '}
          <span class="stat-label">
            {stat.href ? <a href={stat.href}>{stat.label}</a> : stat.label}
          </span>
        </li>
      ))}
    </ul>
  );
}

function ExpiryList({
  id,
  title,
  items,
  none,
}: {
  id: string;
  title: string;
  items: Array<{ key: string; body: unknown }>;
  none: string;
}) {
  return (
    <section aria-labelledby={id}>
      <h3 id={id}>
        {title} ({items.length === LIST_MAX ? `${LIST_MAX}+` : items.length})
      </h3>
      {items.length ? (
        <ul class="expiring">
          {items.map((x) => (
            <li id={`${id}-${x.key}`}>{x.body as never}</li>
          ))}
        </ul>
      ) : (
        <p class="muted">{none}</p>
      )}
    </section>
  );
}

async function Expiring({ deps }: { deps: AppDeps }) {
  const now = deps.persistence.clock.now();
  const until = new Date(now.getTime() + EXPIRY_WINDOW_DAYS * DAY);
  const [soon, keys, ops] = await Promise.all([
    deps.dashboard?.expiring(now, until, LIST_MAX),
    authorityKeysExpiringBefore(deps.persistence, until),
    deps.operationalStats?.read(),
  ]);
  const crls = (ops?.crls ?? [])
    .filter((c) => c.nextUpdate < until)
    .sort((a, b) => a.nextUpdate.getTime() - b.nextUpdate.getTime());
  return (
    <section aria-labelledby="expiring-heading">
      <h2 id="expiring-heading">Expiring within {EXPIRY_WINDOW_DAYS} days</h2>
      <div class="cols">
        {soon ? (
          <>
            <ExpiryList
              id="expiring-certificates"
              title="Certificates"
              none="No valid certificate expires in this window."
              items={soon.certificates.map((c) => ({
                key: c.serial,
                body: (
                  <>
                    <a href={certificateHref(c.serial)}>{c.sans.join(', ') || c.subject}</a> —{' '}
                    <Time value={c.notAfter} /> <span class="secondary">{c.subject}</span>
                  </>
                ),
              }))}
            />
            <ExpiryList
              id="expiring-passports"
              title="Passports"
              none="No active passport expires in this window."
              items={soon.passports.map((x) => ({
                key: x.passportId,
                body: (
                  <>
                    <a href={passportHref(x.passportId)}>
                      {x.subjectType} {x.subjectName}
                    </a>{' '}
                    — <Time value={x.expiresAt} />{' '}
                    <span class="secondary">
                      <Id value={x.passportId} />
                    </span>
                  </>
                ),
              }))}
            />
          </>
        ) : null}
        <ExpiryList
          id="expiring-keys"
          title="Issuing CA and authority keys"
          none="No active or retiring authority key or CA certificate ends in this window."
          items={keys.map((k) => ({
            key: k.kid,
            body: (
              <>
                <a href={`/admin/keys#key-${k.kid}`}>{k.purpose}</a> ({k.status}) —{' '}
                <Time value={k.notAfter} />{' '}
                <span class="secondary">
                  <Id value={k.kid} />
                </span>
              </>
            ),
          }))}
        />
        {ops ? (
          <ExpiryList
            id="expiring-crls"
            title="CRL next updates"
            none="No CRL's nextUpdate falls in this window."
            items={crls.map((c) => ({
              key: c.issuerKid,
              body: (
                <>
                  <a href={`/v1/crl/${c.issuerKid}.pem`}>CRL of {c.issuerKid.slice(0, 12)}…</a> —
                  nextUpdate <Time value={c.nextUpdate} />
                  {c.nextUpdate < now ? <strong> (overdue)</strong> : null}
                </>
              ),
            }))}
          />
        ) : null}
      </div>
    </section>
  );
}

async function Activity({ deps }: { deps: AppDeps }) {
  if (!deps.dashboard) return null;
  const now = deps.persistence.clock.now();
  const rows: DailyActivity[] = await deps.dashboard.dailyActivity(firstDayOf(now, CHART_DAYS));
  return (
    <section aria-labelledby="activity-heading">
      <h2 id="activity-heading">Issuances and revocations, last {CHART_DAYS} days</h2>
      <ActivityChart days={lastDays(now, CHART_DAYS, rows)} />
    </section>
  );
}

async function Webhooks({ deps }: { deps: AppDeps }) {
  const ops = await deps.operationalStats?.read();
  if (!ops) return null;
  const n = (status: string) => ops.webhookDeliveries.find((d) => d.status === status)?.count ?? 0;
  const failures = (await deps.dashboard?.failedDeliveries(5)) ?? [];
  return (
    <section aria-labelledby="webhooks-heading">
      <h2 id="webhooks-heading">Webhook deliveries</h2>
      <ul class="stats" aria-label="Webhook deliveries">
        <li>
          <span class="stat-value">{n('pending')}</span>{' '}
          <span class="stat-label">backlog (pending)</span>
        </li>
        <li>
          <span class="stat-value">{n('failed')}</span>{' '}
          <span class="stat-label">failed (given up)</span>
        </li>
        <li>
          <span class="stat-value">{n('delivered')}</span> <span class="stat-label">delivered</span>
        </li>
      </ul>
      {failures.length ? (
        <ul class="expiring" aria-label="Newest failed attempts">
          {failures.map((f) => (
            <li>
              <a href={`/admin/webhooks/${f.subscriptionId}`}>{f.url}</a> — revocation{' '}
              {f.revocationSeq}, {f.status}, {f.attempts} attempts,{' '}
              {f.lastStatusCode ? `HTTP ${f.lastStatusCode}` : (f.lastError ?? 'no answer')}{' '}
              <Time value={f.lastAttemptAt} />
            </li>
          ))}
        </ul>
      ) : null}
      <p>
        <a href="/admin/webhooks">Webhook subscriptions and deliveries »</a>
      </p>
    </section>
  );
}

export function dashboardRoute(app: Hono<AdminEnv>, deps: AppDeps, modules: AdminModule[]): void {
  app.get('/admin', async (c) => {
    const p = deps.persistence;
    // A stable sort: equal orders keep module order.
    const stats = modules
      .flatMap((m) => m.stats ?? [])
      .sort((a, b) => (a.order ?? STAT_ORDER.other) - (b.order ?? STAT_ORDER.other));
    const [values, keys, { items: events }] = await Promise.all([
      Promise.all(stats.map((s) => s.load(deps))),
      listAuthorityKeys(p),
      listAuditEvents(p, {}, { limit: 10 }),
    ]);
    // A figure that cannot be known yet (its feature has no data) is left out, not shown as 0.
    const known = stats.flatMap((stat, i) =>
      values[i] === undefined ? [] : [{ stat, value: values[i]! }],
    );
    return renderPage(c, deps, {
      title: 'Dashboard',
      body: (
        <>
          <Stats stats={known} />
          <Expiring deps={deps} />
          <Activity deps={deps} />
          <Webhooks deps={deps} />
          <section aria-labelledby="keys-heading">
            <h2 id="keys-heading">Authority keys</h2>
            <KeysTable keys={keys} caption="Authority key status" />
          </section>
          <section aria-labelledby="audit-heading">
            <h2 id="audit-heading">Newest audit events</h2>
            <AuditTable events={events} caption="The 10 newest audit events" details={false} />
            <p>
              <a href="/admin/audit">Full audit log, filters, export and verification »</a>
            </p>
          </section>
        </>
      ),
    });
  });
}
