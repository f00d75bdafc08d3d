// Guards every admin page behind a signed-in session. Only the session cookie counts: API tokens
// (Authorization: Bearer …) are never accepted here, whatever their role.
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { resolveSession } from '../../src/admin/session.js';
import type { AppDeps } from '../../src/http/deps.js';
import { readCookie, SESSION_COOKIE, clearCookie } from './cookies.js';
import type { AdminEnv } from './env.js';

/** Where sign-in may send the browser afterwards: admin pages only, so no open redirect. */
export function safeNext(next: string | undefined): string {
  return next && /^\/admin(?:[/?#][\x21-\x7e]*)?$/.test(next) ? next : '/admin';
}

/**
 * The client's address as seen on the socket.
 * TODO: behind a reverse proxy every client shares the proxy's address, so the per-address
 * sign-in throttle then limits all admins together; honouring X-Forwarded-For needs a
 * trusted-proxy setting that does not exist yet.
 */
export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // app.request() in tests: no socket
  }
}

export function requireSession(deps: AppDeps): MiddlewareHandler<AdminEnv> {
  return async (c, next) => {
    const secret = readCookie(c, deps.config.publicUrl, SESSION_COOKIE);
    const found = await resolveSession(deps.persistence, secret);
    if (found.state !== 'active') {
      if (secret !== undefined) clearCookie(c, deps.config.publicUrl, SESSION_COOKIE);
      const url = new URL(c.req.url);
      const params = new URLSearchParams();
      if (c.req.method === 'GET') params.set('next', safeNext(url.pathname + url.search));
      if (found.state === 'expired') params.set('expired', '1');
      const query = params.toString();
      return c.redirect(`/admin/sign-in${query ? `?${query}` : ''}`, 303);
    }
    c.set('admin', found.active);
    await next();
  };
}
