// HTTP throughput of the service itself: a trivial route (the HTTP limit every other route is
// compared with) and a token-authenticated route (one indexed lookup + constant-time compare).
import { autocannonRun, CONNECTIONS } from '../lib/load.js';
import type { BenchContext } from '../run.js';

export async function httpBaseline(ctx: BenchContext): Promise<void> {
  const trivial = await autocannonRun({ url: `${ctx.service.url}/healthz`, seconds: ctx.seconds });
  ctx.limits.trivialRoute = {
    value: trivial.requestsPerSecond,
    unit: 'req/s',
    how: `autocannon, ${CONNECTIONS} connections, GET /healthz`,
    name: 'trivial route',
  };
  ctx.add({
    group: 'http',
    name: 'GET /healthz (trivial route)',
    figure: {
      value: trivial.requestsPerSecond,
      unit: 'req/s',
      how: `autocannon ${CONNECTIONS} connections`,
    },
    details: `p50 ${trivial.p50} ms, p99 ${trivial.p99} ms, ${trivial.non2xx} non-2xx`,
  });
  const authed = await autocannonRun({
    url: `${ctx.service.url}/v1/token`,
    seconds: ctx.seconds,
    headers: { authorization: `Bearer ${ctx.service.adminToken}` },
  });
  ctx.add({
    group: 'http',
    name: 'GET /v1/token (token lookup + compare)',
    figure: {
      value: authed.requestsPerSecond,
      unit: 'req/s',
      how: `autocannon ${CONNECTIONS} connections`,
    },
    limit: ctx.limits.trivialRoute,
    details: `p50 ${authed.p50} ms, p99 ${authed.p99} ms, ${authed.non2xx} non-2xx`,
  });
}
