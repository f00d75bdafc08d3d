// Proof-of-possession challenges: a random nonce, single use, expiring within 5 minutes, bound
// to the publisher that asked for it. Only its hash is stored.
import { asRefusal } from '../audit/refused.js';
import { createHash, randomBytes } from 'node:crypto';
import { InvalidRequestError } from '../errors.js';
import type { Principal } from '../auth/principal.js';
import type { Persistence, Stores } from '../stores.js';

export const CHALLENGE_TTL_SECONDS = 300;

export interface Challenge {
  nonce: string;
  expiresAt: Date;
}

export function hashNonce(nonce: string): string {
  return createHash('sha256').update(nonce, 'utf8').digest('hex');
}

/** Issues a nonce to the caller. Now and then also clears expired challenges. */
export async function createChallenge(
  p: Persistence,
  principal: Principal,
  o: { sweep?: boolean } = {},
): Promise<Challenge> {
  const now = p.clock.now();
  const nonce = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_SECONDS * 1000);
  await p.stores.challenges.insert({
    nonceHash: hashNonce(nonce),
    publisherId: principal.publisherId,
    createdAt: now,
    expiresAt,
  });
  // Sweeping on a small fraction of requests keeps the table at about one TTL of challenges
  // without a scheduler, and without every request paying for the delete.
  if (o.sweep ?? Math.random() < 1 / 32) await p.stores.challenges.deleteExpired(now);
  return { nonce, expiresAt };
}

/**
 * Consumes `nonces` inside the caller's transaction (so a rolled-back request leaves them
 * usable). A nonce may be consumed for the publisher it was issued to, and — when an admin acts
 * — also if an admin asked for it.
 */
export async function consumeNonces(
  s: Stores,
  nonces: string[],
  o: { publisherId: string; byAdmin: boolean; now: Date; field: string },
): Promise<void> {
  const owners: Array<string | null> = o.byAdmin ? [o.publisherId, null] : [o.publisherId];
  for (const nonce of new Set(nonces)) {
    if (!(await s.challenges.consume(hashNonce(nonce), { owners, now: o.now }))) {
      throw asRefusal(
        InvalidRequestError.field(
          o.field,
          'nonce is unknown, already used, expired or issued to someone else',
        ),
        'nonce-rejected',
      );
    }
  }
}
