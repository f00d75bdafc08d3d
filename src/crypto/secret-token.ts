// API token secrets: random, shown once, stored as SHA-256, compared in constant time.
// Format: mcpsta_<token id>_<secret>, so the token's row is found by id (not by secret) and the
// secret is then compared with timingSafeEqual over equal-length digests.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { randomId } from './random.js';

export const TOKEN_PREFIX = 'mcpsta_';

export interface NewToken {
  id: string;
  /** The full bearer string; returned to the caller once and never stored. */
  token: string;
  secretHash: string;
}

/** SHA-256 of a token string, hex. A fast hash is right here: the input has 256 random bits. */
export function hashTokenSecret(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Makes a new token with a recognisable prefix and 256 bits of secret. */
export function generateToken(): NewToken {
  const id = randomId('tok_', 8);
  const token = `${TOKEN_PREFIX}${id}_${randomBytes(32).toString('base64url')}`;
  return { id, token, secretHash: hashTokenSecret(token) };
}

/** Extracts the token id from a presented token, or undefined if it is not in our format. */
export function tokenIdOf(presented: string): string | undefined {
  const m = /^mcpsta_(tok_[0-9a-f]{16})_[A-Za-z0-9_-]{43}$/.exec(presented);
  return m?.[1];
}

/** Constant-time comparison of a presented token with a stored hash. */
export function tokenMatches(presented: string, storedHash: string): boolean {
  const a = Buffer.from(hashTokenSecret(presented), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
