// Sign-in and sign-out. The sign-in form has no session yet, so its CSRF protection is a
// double-submit token: a SameSite=Strict cookie that the form must echo.
import { randomBytes } from 'node:crypto';
import type { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { endSession } from '../../../src/admin/session.js';
import { signIn } from '../../../src/admin/sign-in.js';
import type { AppDeps } from '../../../src/http/deps.js';
import {
  clearCookie,
  readCookie,
  SESSION_COOKIE,
  SIGN_IN_COOKIE,
  writeCookie,
} from '../cookies.js';
import { CSRF_FIELD, tokensEqual } from '../csrf.js';
import type { AdminContext, AdminEnv } from '../env.js';
import { formValues } from '../forms.js';
import { renderPage } from '../render.js';
import { clientAddress, safeNext } from '../session.js';
import { CsrfField, TextField } from '../ui/form.js';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

interface SignInView {
  error?: string;
  info?: string;
  username?: string;
  next: string;
  status?: ContentfulStatusCode;
}

function signInToken(c: AdminContext, deps: AppDeps): string {
  const existing = readCookie(c, deps.config.publicUrl, SIGN_IN_COOKIE);
  if (existing && TOKEN.test(existing)) return existing;
  const token = randomBytes(32).toString('base64url');
  writeCookie(c, deps.config.publicUrl, SIGN_IN_COOKIE, token, 2 * 3600);
  return token;
}

function page(c: AdminContext, deps: AppDeps, v: SignInView) {
  const token = signInToken(c, deps);
  return renderPage(c, deps, {
    title: 'Sign in',
    status: v.status,
    body: (
      <>
        {v.error ? (
          <div class="alert alert-error" role="alert">
            <p>
              <strong>Error: </strong>
              {v.error}
            </p>
          </div>
        ) : null}
        {v.info ? (
          <div class="alert alert-info" role="status">
            <p>{v.info}</p>
          </div>
        ) : null}
        <form method="post" action="/admin/sign-in" class="stack narrow">
          <CsrfField token={token} />
          <input type="hidden" name="next" value={v.next} />
          <TextField
            name="username"
            label="Username"
            value={v.username}
            autocomplete="username"
            required
            maxlength={64}
          />
          <TextField
            name="password"
            label="Password"
            type="password"
            autocomplete="current-password"
            required
          />
          <div class="actions">
            <button type="submit">Sign in</button>
          </div>
        </form>
        <p class="hint">
          Admin accounts are created by the operator: npm run ta -- create-admin-user --username
          NAME
        </p>
      </>
    ),
  });
}

/** GET/POST /admin/sign-in (public). */
export function signInRoutes(app: Hono<AdminEnv>, deps: AppDeps): void {
  app.get('/admin/sign-in', (c) => {
    const info = c.req.query('expired')
      ? 'Your session has expired. Please sign in again.'
      : c.req.query('signed_out')
        ? 'You have signed out.'
        : undefined;
    return page(c, deps, { info, next: safeNext(c.req.query('next')) });
  });

  app.post('/admin/sign-in', async (c) => {
    const values = await formValues(c);
    const next = safeNext(values.next);
    const username = (values.username ?? '').slice(0, 128);
    if (!tokensEqual(values[CSRF_FIELD], readCookie(c, deps.config.publicUrl, SIGN_IN_COOKIE))) {
      return page(c, deps, {
        error: 'The sign-in form expired or did not come from this site. Please try again.',
        username,
        next,
        status: 403,
      });
    }
    const address = clientAddress(c);
    const result = await signIn(deps.persistence, {
      username,
      password: values.password ?? '',
      clientAddress: address,
    });
    if (result.outcome === 'throttled') {
      deps.logger.warn(
        { client_address: address, retry_after_s: result.retryAfterSeconds },
        'admin sign-in throttled',
      );
      c.header('retry-after', String(result.retryAfterSeconds));
      const minutes = Math.ceil(result.retryAfterSeconds / 60);
      return page(c, deps, {
        error: `Too many failed sign-in attempts. Sign-in is paused; try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
        username,
        next,
        status: 429,
      });
    }
    if (result.outcome === 'invalid') {
      // The username is logged only when it names an account: a mistyped password in the
      // username box must not reach the logs.
      deps.logger.warn(
        {
          client_address: address,
          username: result.knownUser ? username.toLowerCase() : undefined,
        },
        'admin sign-in failed',
      );
      return page(c, deps, { error: 'Wrong username or password.', username, next, status: 401 });
    }
    clearCookie(c, deps.config.publicUrl, SIGN_IN_COOKIE);
    writeCookie(c, deps.config.publicUrl, SESSION_COOKIE, result.secret);
    return c.redirect(next, 303);
  });
}

/** POST /admin/sign-out (behind session and CSRF checks). */
export function signOutRoute(app: Hono<AdminEnv>, deps: AppDeps): void {
  app.post('/admin/sign-out', async (c) => {
    await endSession(deps.persistence, c.get('admin'));
    clearCookie(c, deps.config.publicUrl, SESSION_COOKIE);
    return c.redirect('/admin/sign-in?signed_out=1', 303);
  });
}
