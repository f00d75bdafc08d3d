// API tokens: created by admins (or the CLI), shown once, stored hashed, revocable.
import { appendAuditEvent } from '../audit/append.js';
import { generateToken } from '../crypto/secret-token.js';
import { InvalidRequestError, NotFoundError } from '../errors.js';
import type { Persistence, Stores } from '../stores.js';
import { actorOf, assertActsFor, assertCanRead, type Principal, type Role } from './principal.js';

export interface ApiToken {
  id: string;
  role: Role;
  publisherId: string | null;
  label: string | null;
  secretHash: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/** What may be shown about a token: everything except its hash. */
export type ApiTokenView = Omit<ApiToken, 'secretHash'>;

export function viewOf(t: ApiToken): ApiTokenView {
  const { secretHash: _hash, ...view } = t;
  return view;
}

export interface CreateTokenInput {
  role: Role;
  publisherId: string | null;
  label?: string | null;
  expiresAt?: Date | null;
  /**
   * An auditor of the whole TA (no publisher): reads every publisher's audit events. Only made
   * on purpose (ta-auditor-token.ts); an auditor token otherwise always belongs to a publisher.
   */
  taWide?: boolean;
}

export interface CreatedToken {
  view: ApiTokenView;
  /** The bearer string: returned once, never stored. */
  token: string;
}

/** Creates a token and its audit event in one transaction. */
export async function createApiToken(
  p: Persistence,
  actor: Principal | 'cli',
  input: CreateTokenInput,
): Promise<CreatedToken> {
  if (input.role === 'admin' && input.publisherId !== null) {
    throw InvalidRequestError.field('body.role', 'admin tokens belong to no publisher');
  }
  if (input.taWide && (input.role !== 'auditor' || input.publisherId !== null)) {
    throw InvalidRequestError.field(
      'body.role',
      'only an auditor token without publisher can be TA-wide',
    );
  }
  if (input.role !== 'admin' && input.publisherId === null && !input.taWide) {
    throw InvalidRequestError.field('body.role', `${input.role} tokens belong to a publisher`);
  }
  const now = p.clock.now();
  if (input.expiresAt && input.expiresAt <= now) {
    throw InvalidRequestError.field('body.expires_at', 'must be in the future');
  }
  const fresh = generateToken();
  const record: ApiToken = {
    id: fresh.id,
    role: input.role,
    publisherId: input.publisherId,
    label: input.label ?? null,
    secretHash: fresh.secretHash,
    createdAt: now,
    expiresAt: input.expiresAt ?? null,
    revokedAt: null,
  };
  await p.transact(async (s) => {
    if (record.publisherId !== null) await requirePublisher(s, record.publisherId);
    await s.tokens.insert(record);
    await appendAuditEvent(s, p.clock, {
      actor: actorOf(actor),
      action: 'token.created',
      subject: `token:${record.id}`,
      data: {
        role: record.role,
        publisher_id: record.publisherId,
        label: record.label,
        ...(input.taWide ? { scope: 'ta' } : {}),
      },
    });
  });
  return { view: viewOf(record), token: fresh.token };
}

async function requirePublisher(s: Stores, id: string): Promise<void> {
  if (!(await s.publishers.findById(id))) throw new NotFoundError(`no publisher ${id}`);
}

/** Tokens of a publisher (never their hashes). */
export async function listPublisherTokens(
  p: Persistence,
  principal: Principal,
  publisherId: string,
): Promise<ApiTokenView[]> {
  assertCanRead(principal, publisherId);
  await requirePublisher(p.stores, publisherId);
  return (await p.stores.tokens.listByPublisher(publisherId)).map(viewOf);
}

/**
 * Revokes a token. Admins revoke any token; a publisher token revokes its own publisher's tokens.
 * Revoking an already revoked token returns it unchanged (idempotent, no second audit event).
 */
export async function revokeApiToken(
  p: Persistence,
  principal: Principal | 'cli',
  publisherId: string | null,
  tokenId: string,
): Promise<ApiTokenView> {
  return p.transact(async (s) => {
    const token = await s.tokens.findById(tokenId);
    if (!token || token.publisherId !== publisherId) throw new NotFoundError(`no token ${tokenId}`);
    if (principal !== 'cli') {
      if (publisherId === null) assertActsFor(principal, '\0admin-only');
      else assertActsFor(principal, publisherId);
    }
    if (token.revokedAt) return viewOf(token);
    const revokedAt = p.clock.now();
    await s.tokens.markRevoked(tokenId, revokedAt);
    await appendAuditEvent(s, p.clock, {
      actor: actorOf(principal),
      action: 'token.revoked',
      subject: `token:${tokenId}`,
      data: { role: token.role, publisher_id: token.publisherId },
    });
    return viewOf({ ...token, revokedAt });
  });
}

/** The token `id` (never its hash), or undefined (admins). */
export async function findApiToken(p: Persistence, id: string): Promise<ApiTokenView | undefined> {
  const t = await p.stores.tokens.findById(id);
  return t && viewOf(t);
}

/** Tokens neither revoked nor expired now. */
export function countActiveApiTokens(p: Persistence): Promise<number> {
  return p.stores.tokens.countActive(p.clock.now());
}
