// Passport issuance over HTTP (challenge + proof of possession + issuance, each a real request)
// against the same-run limit of raw node:crypto sign+verify on one core: the issuance path signs
// once (the passport) and verifies once (the proof).
import { issuePassport, publisherToken } from '../lib/client.js';
import { cpuCostDetails, warmThenMeasure } from '../lib/cpu.js';
import { closedLoop, CONNECTIONS } from '../lib/load.js';
import type { BenchContext } from '../run.js';

export async function passports(ctx: BenchContext): Promise<void> {
  const { token } = await publisherToken(ctx.service, `bench-passports-${Date.now()}`);
  const issuer = (await (await fetch(`${ctx.service.url}/.well-known/mcps-trust-authority`)).json())
    .issuer as string;
  let i = 0;
  const issuing = (seconds: number) =>
    closedLoop({
      concurrency: CONNECTIONS,
      seconds,
      op: async () =>
        (await issuePassport(ctx.service, token, issuer, `bench-agent-${(i += 1) % 64}`)).ok,
      warmup: false,
    });
  const { result: r, cores } = await warmThenMeasure(ctx, issuing);
  ctx.add({
    group: 'passports',
    name: 'issuance over HTTP (challenge + issue)',
    figure: {
      value: r.requestsPerSecond,
      unit: 'passports/s',
      how: `${CONNECTIONS} concurrent clients, 2 requests each`,
    },
    limit: ctx.limits.ecdsaSignVerify,
    details: `p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ${r.errors} errors, ${r.total} issued${cpuCostDetails('passport (2 requests)', r.cpu, cores)}`,
  });
  // Keep some ids for the status-lookup suite.
  const ids: string[] = [];
  for (let k = 0; k < 20; k += 1) {
    const x = await issuePassport(ctx.service, token, issuer, `bench-status-${k}`);
    if (x.passportId) ids.push(x.passportId);
  }
  ctx.shared.passportIds = ids;
  ctx.shared.publisherToken = token;
}
