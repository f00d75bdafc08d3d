// Sign-in throttling per username and per client address (OWASP Authentication Cheat Sheet,
// "Login Throttling"). Every attempt is recorded as a failure *before* the password is checked
// and the count is read back afterwards, so concurrent guesses cannot all slip under the limit:
// on any instance, at most `max` attempts per key and window ever reach password verification.
import { randomId } from '../crypto/random.js';
import type { Clock } from '../clock.js';
import type { SignInFailureStore } from './sign-in-failure-store.js';

export interface ThrottleLimit {
  /** Failed attempts allowed within `windowMs`; the next one is refused. */
  max: number;
  windowMs: number;
}

export interface SignInLimits {
  perUsername: ThrottleLimit;
  /** Looser than per username: several admins may share one address (NAT, a proxy). */
  perAddress: ThrottleLimit;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = {
  perUsername: { max: 10, windowMs: 15 * 60_000 },
  perAddress: { max: 20, windowMs: 15 * 60_000 },
};

/** An attempt in progress: counted as a failure until `succeeded()` or `refused` clears it. */
export interface ThrottledAttempt {
  /** Set when a limit is reached: seconds until the next attempt may be made. */
  retryAfterSeconds: number | null;
  /** The password was right: forget this attempt and the username's failures. */
  succeeded(): Promise<void>;
}

/** Registers an attempt for `username` from `clientAddress` and says whether it may proceed. */
export async function beginAttempt(
  store: SignInFailureStore,
  clock: Clock,
  limits: SignInLimits,
  username: string,
  clientAddress: string,
): Promise<ThrottledAttempt> {
  const now = clock.now();
  const longest = Math.max(limits.perUsername.windowMs, limits.perAddress.windowMs);
  await store.deleteOlderThan(new Date(now.getTime() - longest));
  const keys: Array<[string, ThrottleLimit]> = [
    [`user:${username}`, limits.perUsername],
    [`addr:${clientAddress}`, limits.perAddress],
  ];
  const ids: string[] = [];
  for (const [key] of keys) {
    const id = randomId('sif_', 8);
    await store.insert({ id, key, at: now });
    ids.push(id);
  }
  let retryAfterMs = 0;
  for (const [key, limit] of keys) {
    const times = await store.timesSince(key, new Date(now.getTime() - limit.windowMs));
    if (times.length > limit.max) {
      // Allowed again once enough of the earlier failures leave the window that, with the next
      // attempt counted, at most `max` remain. `times` includes this attempt, hence the index.
      const freeing = times[times.length - 1 - limit.max]!;
      retryAfterMs = Math.max(retryAfterMs, freeing.getTime() + limit.windowMs - now.getTime());
    }
  }
  if (retryAfterMs > 0) {
    // A refused attempt checked no password: it must not extend the lock-out.
    await store.deleteIds(ids);
    return {
      retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)),
      succeeded: async () => {},
    };
  }
  return {
    retryAfterSeconds: null,
    succeeded: async () => {
      await store.deleteIds(ids);
      await store.deleteKey(`user:${username}`);
    },
  };
}
