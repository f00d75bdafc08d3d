// The audit log: the signed tree head at the top (the full check of every event on demand),
// filters (actor, action, subject, outcome, date range), a table with the details of each event
// as a key–value list on demand (in a full-width row under the event), keyset pages newest first,
// and CSV / JSON Lines exports of exactly the filtered view.
import type { AuditEvent } from '../../../src/audit/event.js';
import {
  csvLine,
  CSV_COLUMNS,
  eachAuditEvent,
  exportRecord,
  listAuditEvents,
  outcomeOf,
} from '../../../src/audit/list.js';
import { InvalidRequestError } from '../../../src/errors.js';
import { FilterForm, readAuditFilter } from './audit-filter.js';
import {
  logIntegrity,
  treeHead,
  type LogIntegrity,
  type TreeHeadReport,
} from '../audit-integrity.js';
import type { AdminModule } from '../module.js';
import { renderPage } from '../render.js';
import { StatusBadge } from '../ui/badge.js';
import { Id, Time } from '../ui/format.js';
import { hrefWith, Pager } from '../ui/pager.js';
import { Table } from '../ui/table.js';

const PAGE = 50;
/** Most events one export holds; narrow the filter for more. */
export const EXPORT_MAX = 100_000;
function dataValue(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * An event's data: the disclosure in the Details column, and the key–value list it opens, in a
 * full-width row below the event (the stylesheet hides that row while the disclosure is closed).
 * Inside the Details cell the list would get what the other columns leave — on a phone, nothing.
 */
function DetailsToggle({ e }: { e: AuditEvent }) {
  const n = Object.keys(e.data).length;
  if (n === 0) return <span class="muted">—</span>;
  return (
    <details class="kv" aria-controls={`data-${e.seq}`}>
      <summary>
        {n} {n === 1 ? 'field' : 'fields'}
      </summary>
    </details>
  );
}

function DetailsList({ e }: { e: AuditEvent }) {
  const entries = Object.entries(e.data);
  if (entries.length === 0) return null;
  return (
    <dl class="kv" id={`data-${e.seq}`} aria-label={`Details of event ${e.seq}`}>
      {entries.map(([k, v]) => (
        <div>
          <dt>{k}</dt>
          <dd>
            <code>{dataValue(v)}</code>
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function AuditTable({
  events,
  caption,
  details = true,
}: {
  events: AuditEvent[];
  caption: string;
  details?: boolean;
}) {
  return (
    <Table
      caption={caption}
      rows={events}
      rowId={(e) => `seq-${e.seq}`}
      empty="No audit events match."
      columns={[
        { header: 'Seq', numeric: true, cell: (e) => e.seq },
        { header: 'Time', cell: (e) => <Time value={e.occurredAt} /> },
        {
          header: 'Actor',
          cell: (e) => <a href={hrefWith('/admin/audit', { actor: e.actor })}>{e.actor}</a>,
        },
        { header: 'Action', cell: (e) => e.action },
        {
          header: 'Subject',
          cell: (e) => (
            <a href={hrefWith('/admin/audit', { subject: e.subject })} class="subject">
              {e.subject}
            </a>
          ),
        },
        {
          header: 'Outcome',
          cell: (e) => (
            <StatusBadge
              status={outcomeOf(e) === 'success' ? 'ok' : 'rejected'}
              label={outcomeOf(e)}
            />
          ),
        },
        ...(details
          ? [{ header: 'Details', cell: (e: AuditEvent) => <DetailsToggle e={e} /> }]
          : []),
      ]}
      more={details ? (e) => <DetailsList e={e} /> : undefined}
    />
  );
}

const SIGNATURE_WORDS = {
  valid: 'verifies',
  invalid: 'does NOT verify',
  'unknown-key': 'is by a key this TA does not hold',
  absent: 'absent',
} as const;

/** The latest signed checkpoint, checked in O(log n); the full check is one click away. */
export function TreeHeadStatus({ t, fullHref }: { t: TreeHeadReport; fullHref: string }) {
  const h = t.head;
  const waiting = (
    <>
      {t.unsequenced} {t.unsequenced === 1 ? 'event waits' : 'events wait'} to be sequenced.
    </>
  );
  const full = (
    <p>
      <a href={fullHref}>Verify every event now</a> (recomputes the whole tree from the rows, as GET
      /v1/audit/verify does).
    </p>
  );
  if (!h) {
    return (
      <div class="alert" role="status" id="tree-head">
        <p>
          <StatusBadge status="pending" label="no checkpoint yet" /> The log has signed no
          checkpoint yet. {waiting}
        </p>
        {full}
      </div>
    );
  }
  const good =
    h.documentSignature === 'valid' &&
    (h.noteSignature === 'valid' || h.noteSignature === 'absent') &&
    h.treeMatches;
  return (
    <div
      class={`alert ${good ? 'alert-ok' : 'alert-error'}`}
      role={good ? 'status' : 'alert'}
      id="tree-head"
    >
      <p>
        <StatusBadge
          status={good ? 'ok' : 'broken'}
          label={good ? 'tree head verified' : 'tree head invalid'}
        />{' '}
        Signed tree head: {h.treeSize} events, root <Id value={h.rootHash} />, signed{' '}
        <Time value={h.signedAt} />.
      </p>
      <ul>
        <li data-check="document-signature">
          JSON checkpoint signature (key <Id value={h.issuerKid ?? '—'} />){' '}
          {SIGNATURE_WORDS[h.documentSignature]}.
        </li>
        <li data-check="note-signature">
          Signed note by the log key {SIGNATURE_WORDS[h.noteSignature]}.
        </li>
        <li data-check="tree">
          {h.treeMatches
            ? 'The stored tree hashes to this root.'
            : 'The stored tree does NOT hash to this root: proofs served now would not verify.'}
        </li>
        <li data-check="unsequenced">{waiting}</li>
      </ul>
      {full}
    </div>
  );
}

export function ChainStatus({ v }: { v: LogIntegrity }) {
  return v.ok ? (
    <div class="alert alert-ok" role="status">
      <p>
        <StatusBadge status="ok" label="chain verified" /> All {v.checked} events check out: every
        hash and link recomputed up to seq {v.head_seq} (head{' '}
        <Id value={v.head_hash.slice(0, 16)} />
        …).
      </p>
    </div>
  ) : (
    <div class="alert alert-error" role="alert">
      <p>
        <StatusBadge status="broken" label="chain broken" /> The audit log has been altered: seq{' '}
        {v.first_broken_seq} fails ({v.reason}). The {v.checked} events before it check out.
      </p>
    </div>
  );
}

export const auditModule: AdminModule = {
  nav: { href: '/admin/audit', label: 'Audit log' },
  finders: [
    {
      pattern: /^(admin|token):\S{1,128}$/,
      resolve: async (_deps, q) => hrefWith('/admin/audit', { actor: q }),
    },
    {
      pattern: /^\d{1,15}$/,
      resolve: async (_deps, q) =>
        hrefWith('/admin/audit', { before: String(Number(q) + 1) }) + `#seq-${q}`,
    },
  ],
  register(app, deps) {
    const p = deps.persistence;
    app.get('/admin/audit', async (c) => {
      const raw = c.req.query('before');
      const before = raw === undefined || raw === '' ? undefined : Number(raw);
      if (before !== undefined && (!Number.isSafeInteger(before) || before < 1))
        throw InvalidRequestError.field('query.before', 'must be a positive integer');
      const { filter, values } = readAuditFilter(c);
      // Events committed before this view are sequenced first (read-your-writes on this instance).
      await deps.log.flush(5_000).catch(() => undefined);
      const fullCheck = c.req.query('verify') === 'full';
      const [head, verification, page] = await Promise.all([
        treeHead(deps),
        fullCheck ? logIntegrity(deps) : Promise.resolve(undefined),
        listAuditEvents(p, filter, { before, limit: PAGE }),
      ]);
      const next =
        page.next !== null
          ? hrefWith('/admin/audit', { ...values, before: String(page.next) })
          : null;
      return renderPage(c, deps, {
        title: 'Audit log',
        body: (
          <>
            <TreeHeadStatus
              t={head}
              fullHref={hrefWith('/admin/audit', {
                ...values,
                ...(before !== undefined ? { before: String(before) } : {}),
                verify: 'full',
              })}
            />
            {verification && <ChainStatus v={verification} />}
            <FilterForm values={values} />
            <p class="actions">
              Export this view:{' '}
              <a href={hrefWith('/admin/audit/export.csv', values)} download="audit.csv">
                CSV
              </a>
              <a href={hrefWith('/admin/audit/export.jsonl', values)} download="audit.jsonl">
                JSON Lines
              </a>
            </p>
            <AuditTable events={page.items} caption="Audit events, newest first" />
            <Pager
              firstHref={before !== undefined ? hrefWith('/admin/audit', values) : undefined}
              nextHref={next}
              nextLabel="Older events"
            />
          </>
        ),
      });
    });

    // Exports of the filtered view, newest first, streamed page by page (never the whole log in memory).
    const exportRoute = (
      path: string,
      type: string,
      header: string,
      line: (e: AuditEvent) => string,
    ) =>
      app.get(path, (c) => {
        const { filter } = readAuditFilter(c);
        const encoder = new TextEncoder();
        const events = eachAuditEvent(p, filter, { max: EXPORT_MAX });
        const body = new ReadableStream<Uint8Array>({
          start(ctl) {
            if (header) ctl.enqueue(encoder.encode(header));
          },
          async pull(ctl) {
            const { value, done } = await events.next();
            if (done) ctl.close();
            else ctl.enqueue(encoder.encode(line(value)));
          },
        });
        c.header('content-type', type);
        c.header(
          'content-disposition',
          `attachment; filename="${path.split('/').pop()!.replace('export', 'audit')}"`,
        );
        return c.body(body);
      });
    exportRoute(
      '/admin/audit/export.csv',
      'text/csv; charset=utf-8; header=present',
      `${CSV_COLUMNS.join(',')}\r\n`,
      csvLine,
    );
    exportRoute(
      '/admin/audit/export.jsonl',
      'application/jsonl; charset=utf-8',
      '',
      (e) => `${JSON.stringify(exportRecord(e))}\n`,
    );
  },
};
