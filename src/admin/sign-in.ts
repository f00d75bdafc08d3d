// Admin sign-in: throttle → password check → new session + `admin.login` audit event, in that
// order. A wrong password changes no state; it is counted by the throttle and recorded as an
// `admin.login` event with outcome `refused` (rate-limited, src/audit/refused.ts).
import { appendAuditEvent } from '../audit/append.js';
import { recordRefusal } from '../audit/refused.js';
import { dummyPasswordHash, verifyPassword } from '../crypto/password.js';
import { actorOf } from '../auth/principal.js';
import type { Persistence } from '../stores.js';
import { ADMIN_PASSWORD_MAX, normaliseUsername } from './admin-user.js';
import { principalOf, startSession, type ActiveSession } from './session.js';
import { beginAttempt, DEFAULT_SIGN_IN_LIMITS, type SignInLimits } from './sign-in-throttle.js';

export interface SignInInput {
  username: string;
  password: string;
  /** The client's address as the HTTP layer sees it; one throttle key. */
  clientAddress: string;
}

export type SignInResult =
  | { outcome: 'signed-in'; active: ActiveSession; /** Cookie value; shown once. */ secret: string }
  /** Wrong username or password — deliberately not saying which. `knownUser` is for logs only. */
  | { outcome: 'invalid'; knownUser: boolean }
  | { outcome: 'throttled'; retryAfterSeconds: number };

/** Checks the credentials under the throttle and, if right, starts an audited session. */
export async function signIn(
  p: Persistence,
  input: SignInInput,
  limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS,
): Promise<SignInResult> {
  // Bounded before hashing: scrypt's cost grows with input, and the throttle key is stored.
  const username = normaliseUsername(input.username).slice(0, 128);
  const attempt = await beginAttempt(
    p.stores.signInFailures,
    p.clock,
    limits,
    username,
    input.clientAddress.slice(0, 64),
  );
  if (attempt.retryAfterSeconds !== null)
    return { outcome: 'throttled', retryAfterSeconds: attempt.retryAfterSeconds };

  const user = username ? await p.stores.adminUsers.findByUsername(username) : undefined;
  const password = input.password.length <= ADMIN_PASSWORD_MAX ? input.password : '';
  // Verify against a dummy hash for unknown users, so timing does not tell which usernames exist.
  const matches = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !matches || password === '') {
    // Never the password; the username as typed (bounded) so an admin sees what was tried.
    await recordRefusal(p, {
      actor: 'anonymous',
      action: 'admin.login',
      subject: `admin_user:${username}`,
      data: { client_address: input.clientAddress.slice(0, 64) },
      reason: 'invalid-credentials',
    });
    return { outcome: 'invalid', knownUser: Boolean(user) };
  }

  await attempt.succeeded();
  const { session, secret } = await p.transact(async (s) => {
    const started = await startSession(s, p.clock.now(), user, input.clientAddress.slice(0, 64));
    await appendAuditEvent(s, p.clock, {
      actor: actorOf(principalOf(started.session, user)),
      action: 'admin.login',
      subject: `admin_user:${user.username}`,
      data: { session_id: started.session.id, client_address: started.session.clientAddress },
    });
    return started;
  });
  const view = { id: user.id, username: user.username };
  return {
    outcome: 'signed-in',
    secret,
    active: { session, user: view, principal: principalOf(session, view) },
  };
}
