// The dashboard: figures from every module, authority key status and the newest audit events.
import type { Hono } from 'hono';
import type { AppDeps } from '../../../src/http/deps.js';
import type { AdminEnv } from '../env.js';
import { STAT_ORDER, type AdminModule, type DashboardStat, type StatValue } from '../module.js';
import { AuditTable } from '../modules/audit.js';
import { KeysTable } from '../modules/keys.js';
import { renderPage } from '../render.js';
import { Time } from '../ui/format.js';

function Stats({ stats }: { stats: Array<{ stat: DashboardStat; value: StatValue }> }) {
  return (
    <ul class="stats" aria-label="Figures">
      {stats.map(({ stat, value }) => (
        <li>
          <span class="stat-value">{value instanceof Date ? <Time value={value} /> : value}</span> <span class="stat-label">{stat.href ? <a href={stat.href}>{stat.label}</a> : stat.label}</span>
        </li>
      ))}
    </ul>
  );
}

export function dashboardRoute(app: Hono<AdminEnv>, deps: AppDeps, modules: AdminModule[]): void {
  app.get('/admin', async (c) => {
    const p = deps.persistence;
    // A stable sort: equal orders keep module order.
    const stats = modules.flatMap((m) => m.stats ?? []).sort((a, b) => (a.order ?? STAT_ORDER.other) - (b.order ?? STAT_ORDER.other));
    const [values, keys, events] = await Promise.all([
      Promise.all(stats.map((s) => s.load(deps))),
      p.stores.keys.listAll(),
      p.stores.audit.listNewest({ limit: 10 }),
    ]);
    // A figure that cannot be known yet (its feature has no data) is left out, not shown as 0.
    const known = stats.flatMap((stat, i) => (values[i] === undefined ? [] : [{ stat, value: values[i]! }]));
    return renderPage(c, deps, {
      title: 'Dashboard',
      body: (
        <>
          <Stats stats={known} />
          <section aria-labelledby="keys-heading">
            <h2 id="keys-heading">Authority keys</h2>
            <KeysTable keys={keys} caption="Authority key status" />
          </section>
          <section aria-labelledby="audit-heading">
            <h2 id="audit-heading">Newest audit events</h2>
            <AuditTable events={events} caption="The 10 newest audit events" />
            <p>
              <a href="/admin/audit">Full audit log and chain verification »</a>
            </p>
          </section>
        </>
      ),
    });
  });
}
