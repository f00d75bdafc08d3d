// The page frame: skip link, header with the TA's name, navigation, "Find", who is signed in
// and sign-out; semantic landmarks so screen readers and keyboards can move around.
import type { Child } from 'hono/jsx';
import type { ActiveSession } from '../../../src/admin/session.js';
import type { NavItem } from '../module.js';
import { CsrfField } from './form.js';

export interface LayoutProps {
  title: string;
  taName: string;
  /** Absent on the sign-in page. */
  admin?: ActiveSession | undefined;
  nav?: NavItem[];
  /** Path of the current page, to mark its navigation entry. */
  path?: string;
  notice?: string | undefined;
  children: Child;
}

function isCurrent(item: NavItem, path: string | undefined): boolean {
  if (!path) return false;
  return item.href === '/admin'
    ? path === '/admin'
    : path === item.href || path.startsWith(`${item.href}/`);
}

export function Layout(p: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${p.title} — ${p.taName} admin`}</title>
        <link rel="stylesheet" href="/admin/assets/admin.css" />
        <script src="/admin/assets/admin.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top">
          <p class="brand">
            <a href="/admin">{p.taName}</a> <span class="muted">admin</span>
          </p>
          {p.admin ? (
            <>
              <nav aria-label="Sections">
                <ul>
                  {(p.nav ?? []).map((item) => (
                    <li>
                      <a
                        href={item.href}
                        aria-current={isCurrent(item, p.path) ? 'page' : undefined}
                      >
                        {item.label}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
              <form class="find" method="get" action="/admin/find" role="search">
                <label for="find-q">Find</label>
                <input
                  id="find-q"
                  name="q"
                  type="search"
                  placeholder="id, kid or name"
                  maxlength={200}
                />
                <button type="submit">Go</button>
              </form>
              <form class="who" method="post" action="/admin/sign-out">
                <span>
                  Signed in as <strong>{p.admin.user.username}</strong>
                </span>
                <CsrfField token={p.admin.session.csrfToken} />
                <button type="submit" class="secondary">
                  Sign out
                </button>
              </form>
            </>
          ) : null}
        </header>
        <main id="main" tabindex={-1}>
          <h1>{p.title}</h1>
          {p.notice ? (
            <div class="alert alert-ok" role="status">
              <p>
                <span aria-hidden="true">✓ </span>
                {p.notice}
              </p>
            </div>
          ) : null}
          {p.children}
        </main>
      </body>
    </html>
  );
}
