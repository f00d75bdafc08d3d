// Admin UI helpers for plain-HTTP tests: an admin account made through the domain (as the CLI
// does), and a tiny cookie-keeping client that never follows redirects.
import { createAdminUser } from '../../src/admin/admin-user.js';
import { recordSecret, recordSecretFields } from './secrets-ledger.js';
import type { TestService } from './service.js';

export const ADMIN_PASSWORD = 'correct horse battery staple';

/** Creates an admin account `username` with ADMIN_PASSWORD (or `password`). */
export async function createAdmin(
  ta: TestService,
  username: string,
  password = ADMIN_PASSWORD,
): Promise<void> {
  recordSecret(password, `password of admin ${username}`);
  await createAdminUser(ta.persistence, 'cli', { username, password });
}

export interface PageResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The Location header of a redirect. */
  location: string | null;
  setCookies: string[];
}

/** The `_csrf` value of the first form on a page. */
export function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no _csrf field on the page');
  return m[1]!;
}

/** A browser-like client over app.request(): keeps cookies, does not follow redirects. */
export class AdminClient {
  readonly cookies = new Map<string, string>();

  constructor(
    private readonly ta: {
      app: { request(path: string, init: RequestInit): Response | Promise<Response> };
    },
    private readonly extraHeaders: Record<string, string> = {},
  ) {}

  async request(
    method: string,
    path: string,
    form?: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<PageResponse> {
    const h: Record<string, string> = { ...this.extraHeaders, ...headers };
    if (this.cookies.size > 0) h.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (form) {
      recordSecretFields(form, `admin form ${method} ${path}`);
      body = new URLSearchParams(form).toString();
      h['content-type'] = 'application/x-www-form-urlencoded';
    }
    const res = await this.ta.app.request(path, { method, headers: h, body });
    const setCookies = res.headers.getSetCookie();
    for (const c of setCookies) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name);
      else {
        this.cookies.set(name, value);
        recordSecret(value, `admin cookie ${name}`);
      }
    }
    return {
      status: res.status,
      headers: res.headers,
      text: await res.text(),
      location: res.headers.get('location'),
      setCookies,
    };
  }

  get(path: string, headers?: Record<string, string>): Promise<PageResponse> {
    return this.request('GET', path, undefined, headers);
  }

  /** POSTs `fields` with the CSRF token of the page at `formPage` (unless `_csrf` is given). */
  async submit(
    formPage: string,
    action: string,
    fields: Record<string, string> = {},
  ): Promise<PageResponse> {
    const page = await this.get(formPage);
    return this.request('POST', action, { _csrf: csrfOf(page.text), ...fields });
  }

  async signIn(username: string, password = ADMIN_PASSWORD): Promise<PageResponse> {
    return this.submit('/admin/sign-in', '/admin/sign-in', { username, password });
  }
}
