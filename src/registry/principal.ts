// Who is calling, and the authorisation rules that do not depend on a resource's kind.
import { ForbiddenError } from '../errors.js';

export type Role = 'admin' | 'publisher' | 'auditor';
export const ROLES: readonly Role[] = ['admin', 'publisher', 'auditor'];

export interface Principal {
  kind: 'token';
  tokenId: string;
  role: Role;
  /** The publisher a publisher/auditor token belongs to; null for admin tokens. */
  publisherId: string | null;
}

/** The string recorded as `actor` in audit events. */
export function actorOf(p: Principal | 'system' | 'cli'): string {
  return typeof p === 'string' ? p : `token:${p.tokenId}`;
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
