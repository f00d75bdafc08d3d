// A publisher's API tokens in the admin UI: the list (with a status filter), "create token"
// (the secret is shown once, on the response page only) and revoke with a confirmation step.
import type { Hono } from 'hono';
import { z } from 'zod';
import { NotFoundError, TaError, type FieldIssue } from '../../../src/errors.js';
import type { AppDeps } from '../../../src/http/deps.js';
import {
  createApiToken,
  findApiToken,
  listPublisherTokens,
  revokeApiToken,
  type ApiTokenView,
} from '../../../src/auth/api-token.js';
import type { Publisher } from '../../../src/registry/publisher.js';
import { findPublisher } from '../../../src/registry/read.js';
import type { AdminContext, AdminEnv } from '../env.js';
import { parseForm } from '../forms.js';
import { renderPage } from '../render.js';
import { confirmAction } from '../resource-pages.js';
import { StatusBadge } from '../ui/badge.js';
import { CsrfField, ErrorSummary, issueFor, SelectField, TextField } from '../ui/form.js';
import { Id, Time } from '../ui/format.js';
import { SearchForm } from '../ui/search-form.js';
import { Table } from '../ui/table.js';

const PUBLISHER_ID = /^pub_[0-9a-f]{32}$/;
const TOKEN_ID = /^tok_[0-9a-f]{16}$/;
const STATUSES = ['active', 'revoked', 'expired'] as const;

export function tokenStatus(t: ApiTokenView, now: Date): (typeof STATUSES)[number] {
  if (t.revokedAt) return 'revoked';
  if (t.expiresAt && t.expiresAt <= now) return 'expired';
  return 'active';
}

/** The tokens table of a publisher's page; `?tokens=<status>` filters it. */
export async function TokensSection({
  deps,
  publisher,
  c,
}: {
  deps: AppDeps;
  publisher: Publisher;
  c: AdminContext;
}) {
  const now = deps.persistence.clock.now();
  const wanted = c.req.query('tokens') ?? '';
  const filter = (STATUSES as readonly string[]).includes(wanted) ? wanted : '';
  const all = await listPublisherTokens(deps.persistence, c.get('admin').principal, publisher.id);
  const rows = all.filter((t) => !filter || tokenStatus(t, now) === filter);
  const base = `/admin/publishers/${publisher.id}`;
  return (
    <section aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">API tokens</h2>
      <SearchForm
        action={base}
        filters={[
          {
            name: 'tokens',
            label: 'Status',
            options: [
              { value: '', label: 'any' },
              ...STATUSES.map((s) => ({ value: s, label: s })),
            ],
          },
        ]}
        values={{ tokens: filter }}
      />
      <Table
        caption={`API tokens of ${publisher.name}`}
        rows={rows}
        rowId={(t) => t.id}
        empty={
          all.length === 0 ? 'This publisher has no tokens yet.' : 'No tokens with that status.'
        }
        columns={[
          { header: 'Token', cell: (t) => <Id value={t.id} /> },
          { header: 'Role', cell: (t) => t.role },
          { header: 'Label', cell: (t) => t.label ?? '—' },
          { header: 'Status', cell: (t) => <StatusBadge status={tokenStatus(t, now)} /> },
          { header: 'Created', cell: (t) => <Time value={t.createdAt} /> },
          { header: 'Expires', cell: (t) => <Time value={t.expiresAt} /> },
          { header: 'Revoked', cell: (t) => <Time value={t.revokedAt} /> },
          {
            header: 'Actions',
            cell: (t) =>
              tokenStatus(t, now) === 'revoked' ? (
                '—'
              ) : (
                <a href={`${base}/tokens/${t.id}/revoke`} aria-label={`Revoke token ${t.id}`}>
                  Revoke…
                </a>
              ),
          },
        ]}
      />
    </section>
  );
}

const CreateTokenForm = z.object({
  role: z.enum(['publisher', 'auditor'], { error: 'choose publisher or auditor' }),
  label: z
    .string()
    .trim()
    .max(128, 'at most 128 characters')
    .transform((s) => s || null),
  expires_at: z
    .string()
    .trim()
    .refine(
      (s) => s === '' || /^\d{4}-\d{2}-\d{2}$/.test(s),
      'must be a date (YYYY-MM-DD) or empty',
    )
    .transform((s) => (s ? new Date(`${s}T00:00:00.000Z`) : null))
    .refine((d) => d === null || !Number.isNaN(d.getTime()), 'is not a valid date'),
});

function NewTokenForm({
  c,
  publisher,
  values = {},
  issues,
  message,
}: {
  c: AdminContext;
  publisher: Publisher;
  values?: Record<string, string>;
  issues?: FieldIssue[];
  message?: string;
}) {
  return (
    <>
      <ErrorSummary issues={issues} message={message} />
      <form method="post" action={`/admin/publishers/${publisher.id}/tokens`} class="stack">
        <CsrfField token={c.get('admin').session.csrfToken} />
        <SelectField
          name="role"
          label="Role"
          hint="publisher: manages this publisher's resources. auditor: reads the audit log."
          value={values.role ?? 'publisher'}
          error={issueFor(issues, 'role')}
          options={[
            { value: 'publisher', label: 'publisher' },
            { value: 'auditor', label: 'auditor' },
          ]}
        />
        <TextField
          name="label"
          label="Label (optional)"
          hint="What the token is for, e.g. “CI deploy”."
          value={values.label}
          error={issueFor(issues, 'label')}
          maxlength={128}
        />
        <TextField
          name="expires_at"
          type="date"
          label="Expires on (optional)"
          hint="The token stops working at 00:00 UTC that day. Empty: never expires."
          value={values.expires_at}
          error={issueFor(issues, 'expires_at')}
        />
        <div class="actions">
          <button type="submit">Create token</button>
          <a class="button secondary" href={`/admin/publishers/${publisher.id}`}>
            Cancel
          </a>
        </div>
      </form>
    </>
  );
}

function ShownOnce({
  publisher,
  token,
  view,
}: {
  publisher: Publisher;
  token: string;
  view: ApiTokenView;
}) {
  return (
    <>
      <div class="alert alert-warn" role="status">
        <p>
          <strong>Copy this token now.</strong> It is shown only on this page and cannot be
          retrieved later.
        </p>
      </div>
      <div class="field">
        <label for="new-token">
          API token {view.id} ({view.role})
        </label>
        <input id="new-token" class="secret" type="text" readonly value={token} />
        <button type="button" class="secondary" data-copy="new-token">
          Copy to clipboard
        </button>
      </div>
      <p>
        <a class="button" href={`/admin/publishers/${publisher.id}#${view.id}`}>
          Done — back to {publisher.name}
        </a>
      </p>
    </>
  );
}

export function publisherTokenRoutes(app: Hono<AdminEnv>, deps: AppDeps): void {
  const p = deps.persistence;
  const publisherOf = async (c: AdminContext) => {
    const id = c.req.param('id') ?? '';
    const publisher = PUBLISHER_ID.test(id) ? await findPublisher(p, id) : undefined;
    if (!publisher) throw new NotFoundError(`no publisher ${id}`);
    return publisher;
  };

  app.get('/admin/publishers/:id/tokens/new', async (c) => {
    const publisher = await publisherOf(c);
    return renderPage(c, deps, {
      title: `New token for ${publisher.name}`,
      body: <NewTokenForm c={c} publisher={publisher} />,
    });
  });

  app.post('/admin/publishers/:id/tokens', async (c) => {
    const publisher = await publisherOf(c);
    const title = `New token for ${publisher.name}`;
    const form = await parseForm(c, CreateTokenForm);
    if (!form.ok)
      return renderPage(c, deps, {
        title,
        status: 400,
        body: (
          <NewTokenForm c={c} publisher={publisher} values={form.values} issues={form.issues} />
        ),
      });
    try {
      const created = await createApiToken(p, c.get('admin').principal, {
        ...form.data,
        expiresAt: form.data.expires_at,
        publisherId: publisher.id,
      });
      return renderPage(c, deps, {
        title: 'Token created',
        status: 201,
        body: <ShownOnce publisher={publisher} token={created.token} view={created.view} />,
      });
    } catch (err) {
      if (!(err instanceof TaError) || err.issues.length === 0) throw err;
      return renderPage(c, deps, {
        title,
        status: 400,
        body: (
          <NewTokenForm
            c={c}
            publisher={publisher}
            values={form.values}
            issues={err.issues}
            message={err.message}
          />
        ),
      });
    }
  });

  confirmAction<{ publisher: Publisher; token: ApiTokenView }>(app, deps, {
    path: '/admin/publishers/:id/tokens/:token_id/revoke',
    load: async ({ id, token_id }) => {
      if (!id || !token_id || !PUBLISHER_ID.test(id) || !TOKEN_ID.test(token_id)) return undefined;
      const [publisher, token] = await Promise.all([
        findPublisher(p, id),
        findApiToken(p, token_id),
      ]);
      if (!publisher || !token || token.publisherId !== publisher.id) return undefined;
      return { publisher, token };
    },
    title: ({ token }) => `Revoke token ${token.id}`,
    question: ({ publisher, token }) => (
      <>
        Revoke the {token.role} token <Id value={token.id} /> of <strong>{publisher.name}</strong>?
        Every request with it is refused from then on. This cannot be undone.
      </>
    ),
    details: ({ token }) => [
      ['Label', token.label ?? '—'],
      ['Created', <Time value={token.createdAt} />],
      ['Status', <StatusBadge status={tokenStatus(token, p.clock.now())} />],
    ],
    confirmLabel: 'Revoke token',
    cancelHref: ({ publisher }) => `/admin/publishers/${publisher.id}`,
    run: async (c, { publisher, token }) => {
      await revokeApiToken(p, c.get('admin').principal, publisher.id, token.id);
      return {
        redirect: `/admin/publishers/${publisher.id}#${token.id}`,
        notice: `Token ${token.id} revoked.`,
      };
    },
  });
}
