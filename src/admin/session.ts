// Admin UI sessions: a random cookie secret whose SHA-256 is stored, a per-session CSRF
// synchronizer token, an idle timeout and an absolute lifetime. Ending a session is audited.
import { createHash, randomBytes } from 'node:crypto';
import { appendAuditEvent } from '../audit/append.js';
import { randomId } from '../crypto/random.js';
import type { AdminSessionPrincipal } from '../auth/principal.js';
import { actorOf } from '../auth/principal.js';
import type { Persistence, Stores } from '../stores.js';
import type { AdminUser } from './admin-user.js';

/** A session unused this long is over (OWASP Session Management: 15–30 min for high-value apps). */
export const SESSION_IDLE_MS = 30 * 60_000;
/** A session is over this long after sign-in, however active. */
export const SESSION_ABSOLUTE_MS = 12 * 3_600_000;
/** `lastSeenAt` is written at most this often, so reading pages does not write on every request. */
const TOUCH_INTERVAL_MS = 60_000;

const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface AdminSession {
  id: string;
  userId: string;
  /** Hex SHA-256 of the cookie secret (256 random bits, so a fast hash suffices). */
  secretHash: string;
  /** Synchronizer token every form of this session must echo (OWASP CSRF Prevention). */
  csrfToken: string;
  clientAddress: string;
  createdAt: Date;
  lastSeenAt: Date;
  /** Absolute expiry: createdAt + SESSION_ABSOLUTE_MS. */
  expiresAt: Date;
}

/** A live session with its user, as the admin UI sees it. */
export interface ActiveSession {
  session: AdminSession;
  user: Pick<AdminUser, 'id' | 'username'>;
  principal: AdminSessionPrincipal;
}

export type SessionLookup =
  { state: 'active'; active: ActiveSession } | { state: 'expired' } | { state: 'none' };

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function principalOf(
  session: AdminSession,
  user: Pick<AdminUser, 'username'>,
): AdminSessionPrincipal {
  return {
    kind: 'admin-session',
    sessionId: session.id,
    username: user.username,
    role: 'admin',
    publisherId: null,
  };
}

/**
 * Starts a session for `user` inside the caller's transaction `s`; returns the session and the
 * cookie secret (returned once, never stored). A new session is made at every sign-in, so an id
 * planted before sign-in can never become authenticated (no session fixation).
 */
export async function startSession(
  s: Stores,
  now: Date,
  user: AdminUser,
  clientAddress: string,
): Promise<{ session: AdminSession; secret: string }> {
  await s.adminSessions.deleteExpired(now, new Date(now.getTime() - SESSION_IDLE_MS));
  const secret = randomBytes(32).toString('base64url');
  const session: AdminSession = {
    id: randomId('ses_', 8),
    userId: user.id,
    secretHash: hashSecret(secret),
    csrfToken: randomBytes(32).toString('base64url'),
    clientAddress,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + SESSION_ABSOLUTE_MS),
  };
  await s.adminSessions.insert(session);
  return { session, secret };
}

/** Resolves a cookie secret. Expired sessions are deleted and reported as `expired`. */
export async function resolveSession(
  p: Persistence,
  secret: string | undefined,
): Promise<SessionLookup> {
  if (!secret || !SECRET_PATTERN.test(secret)) return { state: 'none' };
  const session = await p.stores.adminSessions.findBySecretHash(hashSecret(secret));
  if (!session) return { state: 'none' };
  const now = p.clock.now();
  const idle = now.getTime() - session.lastSeenAt.getTime() >= SESSION_IDLE_MS;
  if (idle || now >= session.expiresAt) {
    await p.stores.adminSessions.delete(session.id);
    return { state: 'expired' };
  }
  const user = await p.stores.adminUsers.findById(session.userId);
  if (!user) {
    await p.stores.adminSessions.delete(session.id);
    return { state: 'none' };
  }
  if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
    await p.stores.adminSessions.touch(session.id, now);
    session.lastSeenAt = now;
  }
  const view = { id: user.id, username: user.username };
  return {
    state: 'active',
    active: { session, user: view, principal: principalOf(session, view) },
  };
}

/** Signs out: deletes the session and records `admin.logout` in one transaction. */
export async function endSession(p: Persistence, active: ActiveSession): Promise<void> {
  await p.transact(async (s) => {
    await s.adminSessions.delete(active.session.id);
    await appendAuditEvent(s, p.clock, {
      actor: actorOf(active.principal),
      action: 'admin.logout',
      subject: `admin_user:${active.user.username}`,
      data: { session_id: active.session.id },
    });
  });
}
