// The audit log: newest first, filtered by actor, action or subject, with the result of
// recomputing the whole hash chain (src/audit/verify.ts) on every view.
import type { AuditEvent } from '../../../src/audit/event.js';
import { verifyAuditLog, type ChainVerification } from '../../../src/audit/verify.js';
import { InvalidRequestError } from '../../../src/errors.js';
import type { AdminModule } from '../module.js';
import { renderPage } from '../render.js';
import { StatusBadge } from '../ui/badge.js';
import { Id, Time } from '../ui/format.js';
import { hrefWith, Pager } from '../ui/pager.js';
import { Table } from '../ui/table.js';

const PAGE = 50;
const FILTERS = [
  ['actor', 'Actor', 'e.g. admin:alice or token:tok_…'],
  ['action', 'Action', 'e.g. token.revoked'],
  ['subject', 'Subject', 'e.g. publisher:pub_…'],
] as const;

export function AuditTable({ events, caption }: { events: AuditEvent[]; caption: string }) {
  return (
    <Table
      caption={caption}
      rows={events}
      rowId={(e) => `seq-${e.seq}`}
      empty="No audit events match."
      columns={[
        { header: 'Seq', numeric: true, cell: (e) => e.seq },
        { header: 'Time', cell: (e) => <Time value={e.occurredAt} /> },
        { header: 'Actor', cell: (e) => <a href={hrefWith('/admin/audit', { actor: e.actor })}>{e.actor}</a> },
        { header: 'Action', cell: (e) => e.action },
        { header: 'Subject', cell: (e) => <Id value={e.subject} /> },
        { header: 'Details', cell: (e) => <code class="data">{JSON.stringify(e.data)}</code> },
      ]}
    />
  );
}

export function ChainStatus({ v }: { v: ChainVerification }) {
  return v.ok ? (
    <div class="alert alert-ok" role="status">
      <p>
        <StatusBadge status="ok" label="chain verified" /> All {v.checked} events check out: every hash and link recomputed up to seq{' '}
        {v.head_seq} (head <Id value={v.head_hash.slice(0, 16)} />…).
      </p>
    </div>
  ) : (
    <div class="alert alert-error" role="alert">
      <p>
        <StatusBadge status="broken" label="chain broken" /> The audit log has been altered: seq {v.first_broken_seq} fails ({v.reason}).
        The {v.checked} events before it check out.
      </p>
    </div>
  );
}

export const auditModule: AdminModule = {
  nav: { href: '/admin/audit', label: 'Audit log' },
  finders: [
    { pattern: /^(admin|token):\S{1,128}$/, resolve: async (_deps, q) => hrefWith('/admin/audit', { actor: q }) },
    { pattern: /^\d{1,15}$/, resolve: async (_deps, q) => hrefWith('/admin/audit', { before: String(Number(q) + 1) }) + `#seq-${q}` },
  ],
  register(app, deps) {
    app.get('/admin/audit', async (c) => {
      const raw = c.req.query('before');
      const before = raw === undefined || raw === '' ? undefined : Number(raw);
      if (before !== undefined && (!Number.isSafeInteger(before) || before < 1)) throw InvalidRequestError.field('query.before', 'must be a positive integer');
      const filters = Object.fromEntries(FILTERS.map(([name]) => [name, c.req.query(name)?.trim().slice(0, 200) || undefined]));
      // Events committed before this view are sequenced first (read-your-writes on this instance).
      await deps.log.flush(5_000).catch(() => undefined);
      const [verification, rows] = await Promise.all([
        // TODO: this recomputes the whole tree on every view (~10k events/s); fine for thousands of
        // events, slow for millions — show the signed tree head and verify from it then.
        verifyAuditLog(deps.persistence.stores.log, (kid) => deps.keyring.publicKeyFor(kid)),
        deps.persistence.stores.audit.listNewest({ before, limit: PAGE + 1, ...filters }),
      ]);
      const events = rows.slice(0, PAGE);
      const next = rows.length > PAGE ? hrefWith('/admin/audit', { ...filters, before: String(events[events.length - 1]!.seq) }) : null;
      return renderPage(c, deps, {
        title: 'Audit log',
        body: (
          <>
            <ChainStatus v={verification} />
            <form class="search-form" method="get" action="/admin/audit" role="search">
              {FILTERS.map(([name, label, hint]) => (
                <div class="field">
                  <label for={`filter-${name}`}>{label}</label>
                  <input id={`filter-${name}`} name={name} type="search" value={filters[name] ?? ''} placeholder={hint} maxlength={200} />
                </div>
              ))}
              <div class="field field-actions">
                <button type="submit">Apply</button>
                <a href="/admin/audit">Clear</a>
              </div>
            </form>
            <AuditTable events={events} caption="Audit events, newest first" />
            <Pager firstHref={before !== undefined ? hrefWith('/admin/audit', filters) : undefined} nextHref={next} nextLabel="Older events" />
          </>
        ),
      });
    });
  },
};
