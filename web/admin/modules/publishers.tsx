// Publishers: list with search, detail with their tokens, and "create publisher".
import type { Hono } from 'hono';
import { z } from 'zod';
import { TaError, type FieldIssue } from '../../../src/errors.js';
import type { AppDeps } from '../../../src/http/deps.js';
import { decodeCursor, encodeCursor } from '../../../src/http/pagination.js';
import { countActiveApiTokens, findApiToken } from '../../../src/auth/api-token.js';
import { createPublisher, type Publisher } from '../../../src/registry/publisher.js';
import { countPublishers, findPublisher, listPublishers } from '../../../src/registry/read.js';
import type { AdminContext, AdminEnv } from '../env.js';
import { parseForm } from '../forms.js';
import { STAT_ORDER, type AdminModule } from '../module.js';
import { flash, renderPage } from '../render.js';
import { detailPage, listPage } from '../resource-pages.js';
import { CsrfField, ErrorSummary, issueFor, TextField } from '../ui/form.js';
import { Id, Time } from '../ui/format.js';
import { hrefWith } from '../ui/pager.js';
import { publisherTokenRoutes, TokensSection } from './publisher-tokens.js';

export const PUBLISHER_ID = /^pub_[0-9a-f]{32}$/;

function NewPublisherForm({
  c,
  values = {},
  issues,
  message,
}: {
  c: AdminContext;
  values?: Record<string, string>;
  issues?: FieldIssue[];
  message?: string;
}) {
  return (
    <>
      <ErrorSummary issues={issues} message={message} />
      <form method="post" action="/admin/publishers" class="stack">
        <CsrfField token={c.get('admin').session.csrfToken} />
        <TextField
          name="name"
          label="Name"
          hint="The organisation's name, 1–128 characters; unique."
          value={values.name}
          error={issueFor(issues, 'name')}
          required
          maxlength={128}
        />
        <div class="actions">
          <button type="submit">Create publisher</button>
          <a class="button secondary" href="/admin/publishers">
            Cancel
          </a>
        </div>
      </form>
    </>
  );
}

function register(app: Hono<AdminEnv>, deps: AppDeps): void {
  const p = deps.persistence;
  app.get(
    '/admin/publishers',
    listPage<Publisher>(deps, {
      path: '/admin/publishers',
      title: 'Publishers',
      searchLabel: 'Name contains, or publisher id',
      actions: [{ href: '/admin/publishers/new', label: 'New publisher' }],
      empty: 'No publishers match.',
      columns: [
        { header: 'Name', cell: (x) => <a href={`/admin/publishers/${x.id}`}>{x.name}</a> },
        { header: 'Id', cell: (x) => <Id value={x.id} /> },
        { header: 'Created', cell: (x) => <Time value={x.createdAt} /> },
      ],
      load: async (q) => {
        if (q.search && PUBLISHER_ID.test(q.search)) {
          const one = await findPublisher(p, q.search);
          return { items: one ? [one] : [], nextCursor: null };
        }
        const after = q.cursor ? decodeCursor(q.cursor, 'query.cursor') : undefined;
        const page = await listPublishers(p, { after, limit: q.limit, search: q.search });
        return {
          items: page.items,
          nextCursor: page.next === null ? null : encodeCursor(page.next),
        };
      },
    }),
  );

  app.get('/admin/publishers/new', (c) =>
    renderPage(c, deps, { title: 'New publisher', body: <NewPublisherForm c={c} /> }),
  );

  app.post('/admin/publishers', async (c) => {
    const form = await parseForm(c, z.object({ name: z.string() }));
    const values = form.values;
    if (!form.ok)
      return renderPage(c, deps, {
        title: 'New publisher',
        status: 400,
        body: <NewPublisherForm c={c} values={values} issues={form.issues} />,
      });
    try {
      const created = await createPublisher(p, c.get('admin').principal, { name: form.data.name });
      flash(c, deps, `Publisher “${created.name}” created.`);
      return c.redirect(`/admin/publishers/${created.id}`, 303);
    } catch (err) {
      if (!(err instanceof TaError) || err.issues.length === 0) throw err;
      const status = err.code === 'conflict' ? 409 : 400;
      return renderPage(c, deps, {
        title: 'New publisher',
        status,
        body: <NewPublisherForm c={c} values={values} issues={err.issues} message={err.message} />,
      });
    }
  });

  app.get(
    '/admin/publishers/:id',
    detailPage<Publisher>(deps, {
      load: async (id) => (PUBLISHER_ID.test(id) ? findPublisher(p, id) : undefined),
      title: (x) => `Publisher ${x.name}`,
      fields: (x) => [
        ['Name', x.name],
        ['Id', <Id value={x.id} />],
        ['Created', <Time value={x.createdAt} />],
      ],
      actions: (x) => [{ href: `/admin/publishers/${x.id}/tokens/new`, label: 'Create token' }],
      sections: (x, c) => <TokensSection deps={deps} publisher={x} c={c} />,
    }),
  );

  publisherTokenRoutes(app, deps);
}

export const publishersModule: AdminModule = {
  nav: { href: '/admin/publishers', label: 'Publishers' },
  stats: [
    {
      label: 'Publishers',
      href: '/admin/publishers',
      order: STAT_ORDER.publishers,
      load: (deps) => countPublishers(deps.persistence),
    },
    { label: 'Active API tokens', load: (deps) => countActiveApiTokens(deps.persistence) },
  ],
  finders: [
    {
      pattern: PUBLISHER_ID,
      resolve: async (deps, q) =>
        (await findPublisher(deps.persistence, q)) ? `/admin/publishers/${q}` : undefined,
    },
    {
      pattern: /^tok_[0-9a-f]{16}$/,
      // A publisher's token: its row on the publisher's page; a TA-wide token (admin, auditor)
      // has no page, so what it did: the audit log filtered to it as the actor.
      resolve: async (deps, q) => {
        const t = await findApiToken(deps.persistence, q);
        if (!t) return undefined;
        return t.publisherId
          ? `/admin/publishers/${t.publisherId}#${t.id}`
          : hrefWith('/admin/audit', { actor: `token:${t.id}` });
      },
    },
  ],
  register,
};
