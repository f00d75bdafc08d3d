// CSRF protection (OWASP CSRF Prevention Cheat Sheet): every state-changing request must carry
// the session's synchronizer token in the `_csrf` form field. SameSite=Strict cookies are a
// second layer, not the only one.
import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { ForbiddenError } from '../../src/errors.js';
import type { AdminEnv } from './env.js';
import { formValues } from './forms.js';

/** The form field that carries the token. */
export const CSRF_FIELD = '_csrf';

/** Constant-time string comparison; false for different lengths. */
export function tokensEqual(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Refuses (403) any non-GET request whose `_csrf` is not this session's token. */
export function requireCsrf(): MiddlewareHandler<AdminEnv> {
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const sent = (await formValues(c))[CSRF_FIELD];
      if (!tokensEqual(sent, c.get('admin').session.csrfToken)) {
        throw new ForbiddenError(
          'this form did not come from your admin session (missing or wrong CSRF token); reload the page and try again',
        );
      }
    }
    await next();
  };
}
