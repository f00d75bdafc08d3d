// Who is calling, and the authorisation rules that do not depend on a resource's kind.
import { ForbiddenError } from '../errors.js';

export type Role = 'admin' | 'publisher' | 'auditor';
export const ROLES: readonly Role[] = ['admin', 'publisher', 'auditor'];

/** A caller authenticated by an API token (`Authorization: Bearer …`). */
export interface TokenPrincipal {
  kind: 'token';
  tokenId: string;
  role: Role;
  /** The publisher a publisher/auditor token belongs to; null for admin tokens. */
  publisherId: string | null;
}

/** An admin signed in to the admin UI (cookie session, src/admin/session.ts). */
export interface AdminSessionPrincipal {
  kind: 'admin-session';
  sessionId: string;
  username: string;
  role: 'admin';
  publisherId: null;
}

export type Principal = TokenPrincipal | AdminSessionPrincipal;

/**
 * The string recorded as `actor` in audit events — the one place actors are formatted:
 * `token:<id>`, `admin:<username>`, `cli`, `system`.
 */
export function actorOf(p: Principal | 'system' | 'cli'): string {
  if (typeof p === 'string') return p;
  return p.kind === 'token' ? `token:${p.tokenId}` : `admin:${p.username}`;
}

/** Admins act on anything; a publisher token only on its own publisher's resources. */
export function assertActsFor(p: Principal, publisherId: string): void {
  if (p.role === 'admin') return;
  if (p.role === 'publisher' && p.publisherId === publisherId) return;
  throw new ForbiddenError('this token may not act on that publisher');
}

/** Admins and the publisher's own tokens (any role) may read its resources. */
export function assertCanRead(p: Principal, publisherId: string): void {
  if (p.role === 'admin') return;
  if (p.publisherId === publisherId) return;
  throw new ForbiddenError('this token may not read that publisher');
}
