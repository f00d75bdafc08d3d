// Renders admin pages: the layout around the content, the one-shot notice left by the previous
// POST, and the status code. Every admin page goes through here.
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppDeps } from '../../src/http/deps.js';
import { clearCookie, FLASH_COOKIE, readCookie, writeCookie } from './cookies.js';
import type { AdminContext } from './env.js';
import { Layout } from './ui/layout.js';

export interface PageOptions {
  title: string;
  body: Child;
  status?: ContentfulStatusCode;
}

/** Leaves `message` for the next page rendered (after a redirect); ≤ 200 characters. */
export function flash(c: AdminContext, deps: AppDeps, message: string): void {
  writeCookie(
    c,
    deps.config.publicUrl,
    FLASH_COOKIE,
    Buffer.from(message.slice(0, 200), 'utf8').toString('base64url'),
    120,
  );
}

function takeFlash(c: AdminContext, deps: AppDeps): string | undefined {
  const raw = readCookie(c, deps.config.publicUrl, FLASH_COOKIE);
  if (raw === undefined) return undefined;
  clearCookie(c, deps.config.publicUrl, FLASH_COOKIE);
  return Buffer.from(raw, 'base64url').toString('utf8') || undefined;
}

/** The full HTML page for `o`, for the signed-in admin (if any). */
export async function renderPage(
  c: AdminContext,
  deps: AppDeps,
  o: PageOptions,
): Promise<Response> {
  const admin = c.get('admin') as AdminContext['var']['admin'] | undefined;
  const notice = admin ? takeFlash(c, deps) : undefined;
  const page = (
    <Layout
      title={o.title}
      taName={deps.config.taName}
      admin={admin}
      nav={c.get('nav')}
      path={c.req.path}
      notice={notice}
    >
      {o.body}
    </Layout>
  );
  // Typed as a string, but a tree with async components renders to a promise at run time.
  const html = await Promise.resolve(page.toString());
  return c.html(`<!doctype html>\n${html}`, o.status ?? 200);
}
