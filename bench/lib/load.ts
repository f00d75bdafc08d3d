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

/** autocannon against one URL. */
export async function autocannonRun(o: {
  url: string;
  connections?: number;
  seconds?: number;
  headers?: Record<string, string>;
  method?: 'GET' | 'POST';
  body?: Buffer;
}): Promise<LoadResult> {
  const r = await autocannon({
    url: o.url,
    connections: o.connections ?? 32,
    duration: o.seconds ?? 5,
    headers: o.headers,
    ...(o.method ? { method: o.method } : {}),
    ...(o.body ? { body: o.body } : {}),
  });
  return {
    requestsPerSecond: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors,
    non2xx: r.non2xx,
    total: r.requests.total,
  };
}

/**
 * `concurrency` loops each calling `op` until `seconds` pass. `op` returns true on success.
 * Latencies are of whole operations, in ms.
 */
export async function closedLoop(o: {
  concurrency: number;
  seconds: number;
  op: () => Promise<boolean>;
}): Promise<LoadResult> {
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
