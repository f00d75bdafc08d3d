// The trivial route (GET /healthz) as the limit of a read figure, measured right before and right
// after that figure and averaged. On this kind of machine the same load gives rates up to ±30 %
// apart minutes later (BENCHMARKS.md), so a limit measured at the start of the run would compare
// a read with the machine as it was then; bracketing the read compares both under the same
// conditions.
import type { ServiceProcess } from './service-process.js';
import { autocannonRun, CONNECTIONS } from './load.js';
import type { Figure } from './report.js';

/** GET /healthz req/s under the bench's load generator settings. */
export async function trivialRouteRate(service: ServiceProcess, seconds: number): Promise<number> {
  return (await autocannonRun({ url: `${service.url}/healthz`, seconds })).requestsPerSecond;
}

/** The limit for a read measured between two trivial-route runs. */
export function bracketingLimit(before: number, after: number): Figure & { name: string } {
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  return {
    value: (before + after) / 2,
    unit: 'req/s',
    how: `autocannon, ${CONNECTIONS} connections, GET /healthz just before and just after, mean`,
    name: `trivial route: mean of ${n(before)} just before and ${n(after)} just after`,
  };
}
