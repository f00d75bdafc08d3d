// Cookies of the admin UI. HttpOnly and SameSite=Strict always; Secure (with the __Host- prefix,
// RFC 6265bis §4.1.3.2) when the request came over TLS or TA_PUBLIC_URL is https — behind a
// TLS-terminating proxy the second is what tells us the browser sees https.
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

/** The session cookie: its value is the session secret (src/admin/session.ts). */
export const SESSION_COOKIE = 'mcpsta_admin';
/** Pre-sign-in CSRF cookie of the sign-in form (double-submit, since no session exists yet). */
export const SIGN_IN_COOKIE = 'mcpsta_signin';
/** One-shot message for the next page after a redirect (post/redirect/get). */
export const FLASH_COOKIE = 'mcpsta_flash';

export function isSecure(c: Context, publicUrl: string): boolean {
  return publicUrl.startsWith('https:') || new URL(c.req.url).protocol === 'https:';
}

export function readCookie(c: Context, publicUrl: string, name: string): string | undefined {
  return isSecure(c, publicUrl) ? getCookie(c, name, 'host') : getCookie(c, name);
}

/** Sets a cookie with the admin UI's flags; without maxAge it ends with the browser session. */
export function writeCookie(
  c: Context,
  publicUrl: string,
  name: string,
  value: string,
  maxAgeSeconds?: number,
): void {
  const secure = isSecure(c, publicUrl);
  setCookie(c, name, value, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
    ...(secure ? { secure: true, prefix: 'host' as const } : {}),
    ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }),
  });
}

export function clearCookie(c: Context, publicUrl: string, name: string): void {
  const secure = isSecure(c, publicUrl);
  deleteCookie(c, name, {
    path: '/',
    httpOnly: true,
    sameSite: 'Strict',
    ...(secure ? { secure: true, prefix: 'host' as const } : {}),
  });
}
