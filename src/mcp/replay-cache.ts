// Replay cache for MCPS envelopes: a (passport_id, nonce) pair is accepted once. Entries are
// kept as long as their timestamp is inside the verifier's window — after that the timestamp
// check refuses the message anyway — so memory is bounded by the message rate × 2 windows.
export interface ReplayCache {
  /** True the first time (passportId, nonce) is seen with a timestamp in the window; false on a replay. */
  checkAndRemember(passportId: string, nonce: string, timestampMs: number, nowMs: number): boolean;
  readonly size: number;
}

export interface ReplayCacheOptions {
  /** Window either side of now, in seconds (default 300). */
  windowSeconds?: number;
  /** Hard cap on entries; when full, new nonces are refused rather than old ones forgotten. */
  maxEntries?: number;
}

export function createReplayCache(o: ReplayCacheOptions = {}): ReplayCache {
  const windowMs = (o.windowSeconds ?? 300) * 1000;
  const maxEntries = o.maxEntries ?? 1_000_000;
  // key → the time after which the entry may go (its timestamp + window).
  const seen = new Map<string, number>();
  let nextSweep = 0;
  const sweep = (nowMs: number) => {
    // Map iteration is insertion order, and entries mostly arrive in time order: stop at the first live one
    // unless a full pass is due (timestamps may arrive out of order within the window).
    for (const [k, until] of seen) {
      if (until > nowMs) break;
      seen.delete(k);
    }
    if (nowMs >= nextSweep) {
      for (const [k, until] of seen) if (until <= nowMs) seen.delete(k);
      nextSweep = nowMs + windowMs;
    }
  };
  return {
    checkAndRemember: (passportId, nonce, timestampMs, nowMs) => {
      sweep(nowMs);
      const key = `${passportId}\u0000${nonce}`;
      if (seen.has(key)) return false;
      // Fail closed: a cache that cannot remember cannot tell a replay from a first use.
      if (seen.size >= maxEntries) return false;
      seen.set(key, Math.max(timestampMs, nowMs) + windowMs);
      return true;
    },
    get size() {
      return seen.size;
    },
  };
}
