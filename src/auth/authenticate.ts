// Bearer token → Principal. The token row is found by its id (embedded in our tokens, derived
// from a hash for the bootstrap token) and the secret is compared in constant time.
import { createHash } from 'node:crypto';
import { tokenIdOf, tokenMatches } from '../crypto/secret-token.js';
import { UnauthorizedError } from '../errors.js';
import type { Clock } from '../clock.js';
import type { ApiTokenStore } from './api-token-store.js';
import type { Principal } from './principal.js';

/** Token id of a bootstrap admin token (TA_ADMIN_TOKEN): derived from its value. */
export function bootstrapTokenId(value: string): string {
  return `tok_${createHash('sha256').update('mcps-ta bootstrap token').update(value).digest('hex').slice(0, 16)}`;
}

/** Resolves a presented bearer token; throws UnauthorizedError for anything not currently valid. */
export async function authenticateToken(
  tokens: ApiTokenStore,
  clock: Clock,
  presented: string,
): Promise<Principal> {
  if (presented.length < 16 || presented.length > 512)
    throw new UnauthorizedError('invalid API token');
  const id = tokenIdOf(presented) ?? bootstrapTokenId(presented);
  const token = await tokens.findById(id);
  // Compare even when no row was found, so an unknown id costs the same as a wrong secret.
  const matches = tokenMatches(presented, token?.secretHash ?? '0'.repeat(64));
  if (!token || !matches) throw new UnauthorizedError('invalid API token');
  if (token.revokedAt) throw new UnauthorizedError('API token has been revoked');
  if (token.expiresAt && token.expiresAt <= clock.now())
    throw new UnauthorizedError('API token has expired');
  return { kind: 'token', tokenId: token.id, role: token.role, publisherId: token.publisherId };
}
