// TA-wide auditor tokens: read every publisher's audit events (a publisher's auditor reads only
// that publisher's). Never a default: only an admin (API or CLI) creates one, explicitly; they
// read the audit log and nothing else of any publisher (no publisher id, so every
// publisher-scoped read refuses them like any foreign token).
import { NotFoundError } from '../errors.js';
import type { Persistence } from '../stores.js';
import {
  createApiToken,
  revokeApiToken,
  viewOf,
  type ApiTokenView,
  type CreatedToken,
} from './api-token.js';
import { assertActsFor, type Principal } from './principal.js';

const ADMIN_ONLY = '\0admin-only';

export function isTaAuditor(t: { role: string; publisherId: string | null }): boolean {
  return t.role === 'auditor' && t.publisherId === null;
}

export async function createTaAuditorToken(
  p: Persistence,
  actor: Principal | 'cli',
  input: { label?: string | null; expiresAt?: Date | null },
): Promise<CreatedToken> {
  if (actor !== 'cli') assertActsFor(actor, ADMIN_ONLY);
  return createApiToken(p, actor, {
    role: 'auditor',
    publisherId: null,
    label: input.label ?? null,
    expiresAt: input.expiresAt ?? null,
    taWide: true,
  });
}

export async function listTaAuditorTokens(
  p: Persistence,
  principal: Principal,
): Promise<ApiTokenView[]> {
  assertActsFor(principal, ADMIN_ONLY);
  return (await p.stores.tokens.listByPublisher(null)).filter(isTaAuditor).map(viewOf);
}

export async function revokeTaAuditorToken(
  p: Persistence,
  principal: Principal | 'cli',
  tokenId: string,
): Promise<ApiTokenView> {
  if (principal !== 'cli') assertActsFor(principal, ADMIN_ONLY);
  const token = await p.stores.tokens.findById(tokenId);
  if (!token || !isTaAuditor(token)) throw new NotFoundError(`no TA-wide auditor token ${tokenId}`);
  return revokeApiToken(p, principal, null, tokenId);
}
