// Load generators: autocannon for fixed requests; a closed-loop runner for requests that need a
// fresh body each time (issuance: challenge + proof per request).
import autocannon from 'autocannon';

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  total: number;
}

/**
 * Every measurement is preceded by this much untimed load of the same kind: the service's JIT,
 * its connection pool (opened on demand, up to its maximum) and its caches start warm, as they are
 * in a service that has been running. The timed window starts after it.
 */
export const WARMUP_SECONDS = 2;

/**
 * Connections of every autocannon figure unless a suite says otherwise — the concurrency of the
 * write figures and the cfssl peer too. Swept on this machine (GET /healthz and
 * /api/verify/{id}, TA_WORKERS=2, 5 s each): throughput rises up to 16 connections (7,751 and
 * 6,265 req/s) and not beyond (8,119 and 5,919 at 32), while p99 grows from 5–6 ms at 16 to
 * 9–15 ms at 32: past 16 the figure measured only the load generator's own queue.
 */
export const CONNECTIONS = 16;

/**
 * autocannon against one URL: the same request each time, or with `nextBody()` a fresh body for
 * each request (still autocannon's client, which costs the load generator far less CPU per
 * request than fetch: it shares the cores with the service). `onResponse` sees each timed
 * response.
 */
export async function autocannonRun(o: {
  url: string;
  connections?: number;
  seconds?: number;
  headers?: Record<string, string>;
  method?: 'GET' | 'POST';
  body?: Buffer | string;
  /** A fresh body for each request (instead of `body`). */
  nextBody?: () => string;
  onResponse?: (status: number, body: string) => void;
  /** false: no warm-up (the caller warmed up, e.g. outside a CPU measurement). */
  warmup?: boolean;
}): Promise<LoadResult> {
  const run = (duration: number, timed: boolean) =>
    autocannon({
      url: o.url,
      connections: o.connections ?? CONNECTIONS,
      duration,
      headers: o.headers,
      ...(o.method ? { method: o.method } : {}),
      ...(o.body ? { body: o.body } : {}),
      ...(o.nextBody || (timed && o.onResponse)
        ? {
            requests: [
              {
                ...(o.nextBody
                  ? { setupRequest: (req: object) => ({ ...req, body: o.nextBody!() }) }
                  : {}),
                ...(timed && o.onResponse
                  ? { onResponse: (status: number, body: string) => o.onResponse!(status, body) }
                  : {}),
              },
            ],
          }
        : {}),
    });
  if (o.warmup !== false) await run(WARMUP_SECONDS, false);
  const r = await run(o.seconds ?? 5, true);
  return {
    // Only 2xx answers count as done; the rest are reported as non2xx.
    requestsPerSecond: r['2xx'] / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors,
    non2xx: r.non2xx,
    total: r.requests.total,
  };
}

/**
 * `concurrency` loops each calling `op` until `seconds` pass (after WARMUP_SECONDS of the same,
 * untimed). `op` returns true on success. Latencies are of whole operations, in ms.
 */
export async function closedLoop(o: {
  concurrency: number;
  seconds: number;
  op: () => Promise<boolean>;
  /** false: no warm-up (the caller warmed up, e.g. outside a CPU measurement). */
  warmup?: boolean;
}): Promise<LoadResult> {
  const warm = performance.now() + (o.warmup === false ? 0 : WARMUP_SECONDS * 1000);
  await Promise.all(
    Array.from({ length: o.concurrency }, async () => {
      while (performance.now() < warm) await o.op().catch(() => false);
    }),
  );
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + o.seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: o.concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        let ok = false;
        try {
          ok = await o.op();
        } catch {
          ok = false;
        }
        if (ok) latencies.push(performance.now() - t);
        else errors += 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  return {
    requestsPerSecond: latencies.length / elapsed,
    p50: pct(50),
    p99: pct(99),
    errors,
    non2xx: errors,
    total: latencies.length,
  };
}
