// Generic building blocks of admin sections: a list page (search, filters, keyset pages), a
// detail page, and a confirmed action (GET asks, POST with the CSRF token does it, then
// redirects with a notice). A new section is mostly column and field definitions.
import type { Handler, Hono } from 'hono';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { InvalidRequestError, NotFoundError, TaError, type FieldIssue } from '../../src/errors.js';
import type { AppDeps } from '../../src/http/deps.js';
import { statusOf } from '../../src/http/problem.js';
import type { AdminContext, AdminEnv } from './env.js';
import { parseForm } from './forms.js';
import { flash, renderPage } from './render.js';
import { ConfirmForm } from './ui/confirm.js';
import { DetailList, type DetailItem } from './ui/detail-list.js';
import { ErrorSummary } from './ui/form.js';
import { hrefWith, Pager } from './ui/pager.js';
import { SearchForm, type FilterSpec, type TextFilterSpec } from './ui/search-form.js';
import { Table, type Column } from './ui/table.js';

export interface ListQuery {
  search?: string | undefined;
  /** Validated values of `filters` and `textFilters` ('' = any). */
  filters: Record<string, string>;
  /** Opaque cursor from the previous page's `nextCursor`. */
  cursor?: string | undefined;
  limit: number;
}

export interface ListResult<T> {
  items: T[];
  nextCursor: string | null;
}

export interface LinkAction {
  href: string;
  label: string;
  danger?: boolean;
}

export interface ListPageSpec<T> {
  path: string;
  title: string;
  intro?: Child;
  searchLabel?: string;
  filters?: FilterSpec[];
  /** Free-text filters (ids), validated by pattern; a bad value is a 400 naming the field. */
  textFilters?: TextFilterSpec[];
  columns: Column<T>[];
  empty: string;
  actions?: LinkAction[];
  pageSize?: number;
  load(q: ListQuery, c: AdminContext): Promise<ListResult<T>>;
  rowId?(row: T): string;
}

export function Actions({ actions }: { actions: LinkAction[] }) {
  if (actions.length === 0) return null;
  return (
    <p class="actions">
      {actions.map((a) => (
        <a class={a.danger ? 'button danger' : 'button'} href={a.href}>
          {a.label}
        </a>
      ))}
    </p>
  );
}

function readListQuery<T>(c: AdminContext, spec: ListPageSpec<T>): ListQuery {
  const search = c.req.query('search')?.trim().slice(0, 200) || undefined;
  const cursor = c.req.query('cursor')?.slice(0, 512) || undefined;
  const filters: Record<string, string> = {};
  for (const f of spec.filters ?? []) {
    const v = c.req.query(f.name) ?? '';
    if (!f.options.some((o) => o.value === v)) {
      throw InvalidRequestError.field(
        `query.${f.name}`,
        `must be one of: ${f.options.map((o) => o.value || '(any)').join(', ')}`,
      );
    }
    filters[f.name] = v;
  }
  for (const f of spec.textFilters ?? []) {
    const v = c.req.query(f.name)?.trim() ?? '';
    if (v !== '' && !f.pattern.test(v))
      throw InvalidRequestError.field(`query.${f.name}`, f.message);
    filters[f.name] = v;
  }
  return { search, cursor, filters, limit: spec.pageSize ?? 25 };
}

/** GET handler of a list page. */
export function listPage<T>(deps: AppDeps, spec: ListPageSpec<T>): Handler<AdminEnv> {
  return async (c) => {
    const q = readListQuery(c, spec);
    const page = await spec.load(q, c);
    const base = { search: q.search, ...q.filters };
    return renderPage(c, deps, {
      title: spec.title,
      body: (
        <>
          {spec.intro}
          <Actions actions={spec.actions ?? []} />
          {spec.searchLabel || spec.filters?.length || spec.textFilters?.length ? (
            <SearchForm
              action={spec.path}
              searchLabel={spec.searchLabel}
              search={q.search}
              filters={spec.filters}
              textFilters={spec.textFilters}
              values={q.filters}
            />
          ) : null}
          <Table
            caption={spec.title}
            columns={spec.columns}
            rows={page.items}
            empty={spec.empty}
            rowId={spec.rowId}
          />
          <Pager
            firstHref={q.cursor ? hrefWith(spec.path, base) : undefined}
            nextHref={
              page.nextCursor ? hrefWith(spec.path, { ...base, cursor: page.nextCursor }) : null
            }
          />
        </>
      ),
    });
  };
}

export interface DetailPageSpec<T> {
  /** Route parameter holding the id (default `id`). */
  param?: string;
  load(id: string, c: AdminContext): Promise<T | undefined>;
  title(item: T): string;
  fields(item: T): DetailItem[];
  actions?(item: T): LinkAction[];
  /** Further sections below the fields (related lists, forms). */
  sections?(item: T, c: AdminContext): Child | Promise<Child>;
}

/** GET handler of a detail page; 404 when `load` finds nothing. */
export function detailPage<T>(deps: AppDeps, spec: DetailPageSpec<T>): Handler<AdminEnv> {
  return async (c) => {
    const id = c.req.param(spec.param ?? 'id') ?? '';
    const item = await spec.load(id, c);
    if (item === undefined) throw new NotFoundError(`nothing with id ${id}`);
    return renderPage(c, deps, {
      title: spec.title(item),
      body: (
        <>
          <DetailList items={spec.fields(item)} />
          <Actions actions={spec.actions?.(item) ?? []} />
          {await spec.sections?.(item, c)}
        </>
      ),
    });
  };
}

export interface ConfirmActionSpec<T, F> {
  /** e.g. `/admin/passports/:id/revoke`; GET asks, POST does. */
  path: string;
  load(params: Record<string, string>, c: AdminContext): Promise<T | undefined>;
  title(item: T): string;
  question(item: T): Child;
  details?(item: T): DetailItem[];
  confirmLabel: string;
  cancelHref(item: T): string;
  /** Extra inputs shown above the button (e.g. a reason), with their current values and errors. */
  fields?(item: T, values: Record<string, string>, issues: FieldIssue[]): Child;
  /** Parses the extra inputs. */
  form?: z.ZodType<F>;
  /** Does it (through the domain function) and says where to go and what to tell the admin. */
  run(c: AdminContext, item: T, form: F): Promise<{ redirect: string; notice: string }>;
}

/** Registers the confirmation page (GET) and the action (POST) of `spec.path`. */
export function confirmAction<T, F = Record<string, never>>(
  app: Hono<AdminEnv>,
  deps: AppDeps,
  spec: ConfirmActionSpec<T, F>,
): void {
  const find = async (c: AdminContext) => {
    const item = await spec.load(c.req.param() as Record<string, string>, c);
    if (item === undefined) throw new NotFoundError('nothing to act on here');
    return item;
  };
  const ask = (
    c: AdminContext,
    item: T,
    values: Record<string, string>,
    issues: FieldIssue[],
    status: ContentfulStatusCode,
    message?: string,
  ) =>
    renderPage(c, deps, {
      title: spec.title(item),
      status,
      body: (
        <>
          <ErrorSummary issues={issues} message={message} />
          <ConfirmForm
            question={spec.question(item)}
            details={spec.details?.(item)}
            action={c.req.path}
            csrf={c.get('admin').session.csrfToken}
            confirmLabel={spec.confirmLabel}
            cancelHref={spec.cancelHref(item)}
          >
            {spec.fields?.(item, values, issues)}
          </ConfirmForm>
        </>
      ),
    });

  app.get(spec.path, async (c) => ask(c, await find(c), {}, [], 200));
  app.post(spec.path, async (c) => {
    const item = await find(c);
    let form = {} as F;
    let values: Record<string, string> = {};
    if (spec.form) {
      const parsed = await parseForm(c, spec.form);
      if (!parsed.ok) return ask(c, item, parsed.values, parsed.issues, 400);
      form = parsed.data as F;
      values = parsed.values;
    }
    let done: { redirect: string; notice: string };
    try {
      done = await spec.run(c, item, form);
    } catch (err) {
      // A refusal by the domain (409 not eligible, 400 bad field…) is shown on the form, so the
      // admin sees why next to what they submitted; anything else is the error page's.
      if (!(err instanceof TaError) || statusOf(err.code) >= 500) throw err;
      return ask(
        c,
        item,
        values,
        err.issues,
        statusOf(err.code) as ContentfulStatusCode,
        err.message,
      );
    }
    flash(c, deps, done.notice);
    return c.redirect(done.redirect, 303);
  });
}
