// The audit log's filter: read from the query string (actor, action, subject, outcome, a UTC day
// range) and shown as a labelled form that keeps what was asked.
import type { Context } from 'hono';
import { AUDIT_OUTCOMES, type AuditFilter } from '../../../src/audit/list.js';
import { InvalidRequestError } from '../../../src/errors.js';

const TEXT_FILTERS = [
  ['actor', 'Actor', 'e.g. admin:alice or token:tok_…'],
  ['action', 'Action', 'e.g. token.revoked'],
  ['subject', 'Subject', 'e.g. publisher:pub_…'],
] as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The filter in the query string (`from`/`to` are UTC days, both included), and its values to re-show. */
export function readAuditFilter(c: Context): {
  filter: AuditFilter;
  values: Record<string, string>;
} {
  const values: Record<string, string> = {};
  for (const [name] of TEXT_FILTERS) values[name] = c.req.query(name)?.trim().slice(0, 200) ?? '';
  values.outcome = c.req.query('outcome') ?? '';
  if (values.outcome && !(AUDIT_OUTCOMES as readonly string[]).includes(values.outcome)) {
    throw InvalidRequestError.field(
      'query.outcome',
      `must be one of: ${AUDIT_OUTCOMES.join(', ')}`,
    );
  }
  const day = (name: 'from' | 'to'): Date | undefined => {
    const v = (values[name] = c.req.query(name)?.trim() ?? '');
    if (!v) return undefined;
    const d = new Date(`${v}T00:00:00.000Z`);
    if (!DATE.test(v) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v)
      throw InvalidRequestError.field(`query.${name}`, 'must be a date YYYY-MM-DD');
    return d;
  };
  const since = day('from');
  const toDay = day('to');
  const until = toDay ? new Date(toDay.getTime() + 86_400_000) : undefined;
  if (since && until && since >= until)
    throw InvalidRequestError.field('query.to', 'must not be before from');
  return {
    filter: {
      actor: values.actor || undefined,
      action: values.action || undefined,
      subject: values.subject || undefined,
      outcome: (values.outcome || undefined) as AuditFilter['outcome'],
      since,
      until,
    },
    values,
  };
}

export function FilterForm({ values }: { values: Record<string, string> }) {
  return (
    <form
      class="search-form"
      method="get"
      action="/admin/audit"
      role="search"
      aria-label="Filter the audit log"
    >
      {TEXT_FILTERS.map(([name, label, hint]) => (
        <div class="field">
          <label for={`filter-${name}`}>{label}</label>
          <input
            id={`filter-${name}`}
            name={name}
            type="search"
            value={values[name] ?? ''}
            placeholder={hint}
            maxlength={200}
          />
        </div>
      ))}
      <div class="field">
        <label for="filter-outcome">Outcome</label>
        <select id="filter-outcome" name="outcome">
          {['', ...AUDIT_OUTCOMES].map((o) => (
            <option value={o} selected={(values.outcome ?? '') === o}>
              {o || 'any'}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="filter-from">From (UTC day)</label>
        <input id="filter-from" name="from" type="date" value={values.from ?? ''} />
      </div>
      <div class="field">
        <label for="filter-to">To (UTC day, included)</label>
        <input id="filter-to" name="to" type="date" value={values.to ?? ''} />
      </div>
      <div class="field field-actions">
        <button type="submit">Apply</button>
        <a href="/admin/audit">Clear</a>
      </div>
    </form>
  );
}
