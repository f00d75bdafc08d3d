// Reading the audit log for people: filtered pages newest first, every event of a filter (for
// export), each event's outcome, and the CSV / JSON Lines forms of an export.
import type { Principal } from '../auth/principal.js';
import type { Persistence } from '../stores.js';
import type { AuditEvent } from './event.js';
import type { AuditQuery } from './store.js';

export const AUDIT_OUTCOMES = ['success', 'refused'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** Filters of the audit views (every given one must hold). */
export type AuditFilter = Omit<AuditQuery, 'before' | 'limit'>;

/** What an event says happened: its `data.outcome` when it records one, else `success` (a committed state change). */
export function outcomeOf(e: AuditEvent): AuditOutcome {
  return e.data.outcome === 'refused' ? 'refused' : 'success';
}

/** A page of events matching `filter`, newest first, with seq < `before`; `next` is the `before` of the next page. */
export async function listAuditEvents(
  p: Persistence,
  filter: AuditFilter,
  o: { before?: number | undefined; limit: number },
): Promise<{ items: AuditEvent[]; next: number | null }> {
  const rows = await p.stores.audit.listNewest({
    ...filter,
    ...(o.before !== undefined ? { before: o.before } : {}),
    limit: o.limit + 1,
  });
  const items = rows.slice(0, o.limit);
  return { items, next: rows.length > o.limit ? items[items.length - 1]!.seq : null };
}

/**
 * Up to `limit` sequenced events with seq > `after`, oldest first, that `principal` may read: a
 * publisher's auditor its own publisher's events; admins and the TA-wide auditors an admin
 * created explicitly (auditor tokens of no publisher) all.
 */
export function listAuditEventsAfter(
  p: Persistence,
  principal: Principal,
  after: number,
  limit: number,
): Promise<AuditEvent[]> {
  const scope =
    principal.role === 'admin' || principal.publisherId === null
      ? {}
      : { publisherId: principal.publisherId };
  return p.stores.audit.listAfter(after, limit, scope);
}

/** Every event matching `filter`, newest first, in pages of `pageSize`, stopping after `max`. */
export async function* eachAuditEvent(
  p: Persistence,
  filter: AuditFilter,
  o: { max: number; pageSize?: number },
): AsyncGenerator<AuditEvent> {
  let before: number | undefined;
  let left = o.max;
  while (left > 0) {
    const page = await listAuditEvents(p, filter, {
      before,
      limit: Math.min(o.pageSize ?? 1000, left),
    });
    for (const e of page.items) yield e;
    left -= page.items.length;
    if (page.next === null) return;
    before = page.next;
  }
}

/** The members of an event in an export, snake_case as in the API (no hashes: verify through /v1/audit/verify). */
export function exportRecord(e: AuditEvent) {
  return {
    seq: e.seq,
    occurred_at: e.occurredAt.toISOString(),
    actor: e.actor,
    action: e.action,
    subject: e.subject,
    outcome: outcomeOf(e),
    data: e.data,
  };
}

export const CSV_COLUMNS = [
  'seq',
  'occurred_at',
  'actor',
  'action',
  'subject',
  'outcome',
  'data',
] as const;

/**
 * One RFC 4180 field: quoted when it holds a comma, quote or line break. A field starting with
 * `=`, `+`, `-`, `@`, tab or CR gets a leading `'` so spreadsheets do not run it as a formula
 * (OWASP "CSV Injection").
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The CSV line (with CRLF) of an event; `data` as its JSON text. */
export function csvLine(e: AuditEvent): string {
  const r = exportRecord(e);
  return (
    [String(r.seq), r.occurred_at, r.actor, r.action, r.subject, r.outcome, JSON.stringify(r.data)]
      .map(csvField)
      .join(',') + '\r\n'
  );
}
