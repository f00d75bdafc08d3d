// Issuance rate limit per passport: at most `perMinute` credentials (and challenges) in any
// fixed minute window, counted in this process. Several instances each allow `perMinute`: the
// limit bounds load and abuse, it is not an accounting figure (the audit count is).
export interface RateLimiter {
  /** Counts one use of `key` at `now`; false (and no count) when the window is full. */
  take(key: string, now: Date): { ok: true } | { ok: false; retryAfterSeconds: number };
}

export function createRateLimiter(o: { perMinute: number; maxKeys?: number }): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  const maxKeys = o.maxKeys ?? 100_000;
  return {
    take: (key, now) => {
      const minute = Math.floor(now.getTime() / 60_000) * 60_000;
      if (windows.size >= maxKeys)
        for (const [k, w] of windows) if (w.start < minute) windows.delete(k);
      const w = windows.get(key);
      if (!w || w.start !== minute) {
        windows.set(key, { start: minute, count: 1 });
        return { ok: true };
      }
      if (w.count >= o.perMinute)
        return {
          ok: false,
          retryAfterSeconds: Math.max(1, Math.ceil((minute + 60_000 - now.getTime()) / 1000)),
        };
      w.count += 1;
      return { ok: true };
    },
  };
}
