// Hot read paths under autocannon, each beside the trivial route measured just before and just
// after it (bench/lib/trivial-route.ts): MCPS status lookups (/api/verify/{id}: one lookup + a
// signed status document) and manifest fetches by digest (one lookup, stored signed bytes).
import { issuePassport, publisherToken } from '../lib/client.js';
import { benchRegistry } from './certificates.js';
import { autocannonRun, CONNECTIONS } from '../lib/load.js';
import { bracketingLimit, trivialRouteRate } from '../lib/trivial-route.js';
import type { BenchContext } from '../run.js';

export async function reads(ctx: BenchContext): Promise<void> {
  let ids = ctx.shared.passportIds as string[] | undefined;
  let token = ctx.shared.publisherToken as string | undefined;
  if (!token) token = (await publisherToken(ctx.service, `bench-reads-${Date.now()}`)).token;
  if (!ids?.length) {
    const issuer = (
      await (await fetch(`${ctx.service.url}/.well-known/mcps-trust-authority`)).json()
    ).issuer as string;
    ids = [];
    for (let k = 0; k < 20; k += 1) {
      const x = await issuePassport(ctx.service, token, issuer, `bench-status-${k}`);
      if (x.passportId) ids.push(x.passportId);
    }
  }
  // Not while the service still works through the events of the write figures before.
  await ctx.service.idle();
  const t0 = await trivialRouteRate(ctx.service, ctx.seconds);
  const status = await autocannonRun({
    url: `${ctx.service.url}/api/verify/${ids[0]}`,
    seconds: ctx.seconds,
  });
  const t1 = await trivialRouteRate(ctx.service, ctx.seconds);
  ctx.shared.statusRead = { passportId: ids[0], reqPerSec: status.requestsPerSecond };
  ctx.add({
    group: 'reads',
    name: 'GET /api/verify/{id} (signed status)',
    figure: {
      value: status.requestsPerSecond,
      unit: 'req/s',
      how: `autocannon ${CONNECTIONS} connections`,
    },
    limit: bracketingLimit(t0, t1),
    details: `p50 ${status.p50} ms, p99 ${status.p99} ms, ${status.non2xx} non-2xx`,
  });
  const { digest } = await benchRegistry(ctx);
  const manifest = await autocannonRun({
    url: `${ctx.service.url}/v1/manifests/${digest}`,
    seconds: ctx.seconds,
  });
  const t2 = await trivialRouteRate(ctx.service, ctx.seconds);
  ctx.add({
    group: 'reads',
    name: 'GET /v1/manifests/sha256:{hex} (8 tools)',
    figure: {
      value: manifest.requestsPerSecond,
      unit: 'req/s',
      how: `autocannon ${CONNECTIONS} connections`,
    },
    limit: bracketingLimit(t1, t2),
    details: `p50 ${manifest.p50} ms, p99 ${manifest.p99} ms, ${manifest.non2xx} non-2xx`,
  });
}
