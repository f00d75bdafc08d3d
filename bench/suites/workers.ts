// TA_WORKERS scaling: the same reads against a service with one worker (a fresh service process
// on its own database) and against the bench's main service (TA_WORKERS = cores on
// PostgreSQL). The load generator shares the same cores, which caps what a second worker adds:
// the CPU each request cost the service and the load generator (from /proc) is reported beside
// the figures, with the rate the cores would allow at that cost.
import { issuePassport, publisherToken } from '../lib/client.js';
import { withCpuSplit, type CpuSplit } from '../lib/cpu.js';
import { autocannonRun, CONNECTIONS, WARMUP_SECONDS } from '../lib/load.js';
import { startServiceProcess } from '../lib/service-process.js';
import type { BenchContext } from '../run.js';
import { availableParallelism } from 'node:os';

export async function workers(ctx: BenchContext): Promise<void> {
  if (!ctx.serviceDatabaseUrl) {
    console.log('skipping the workers suite: TA_WORKERS > 1 needs PostgreSQL');
    return;
  }
  const many = ctx.serviceWorkers;
  const cores = availableParallelism();
  const one = await startServiceProcess(await ctx.database.create(), {
    extraEnv: { TA_WORKERS: '1' },
  });
  try {
    const { token } = await publisherToken(one, `bench-workers-${Date.now()}`);
    const issuer = (await (await fetch(`${one.url}/.well-known/mcps-trust-authority`)).json())
      .issuer as string;
    const p = await issuePassport(one, token, issuer, 'bench-workers');
    const statusMany = ctx.shared.statusRead as { passportId: string } | undefined;
    for (const [name, pathOne, pathMany] of [
      ['GET /healthz', '/healthz', '/healthz'],
      [
        'GET /api/verify/{id}',
        `/api/verify/${p.passportId}`,
        statusMany ? `/api/verify/${statusMany.passportId}` : undefined,
      ],
    ] as const) {
      if (!pathMany) continue;
      // The CPU split counts only the timed window: each warms up before it.
      const measured = async (pid: number, url: string) => {
        await autocannonRun({ url, seconds: WARMUP_SECONDS, warmup: false });
        return withCpuSplit(pid, cores, () =>
          autocannonRun({ url, seconds: ctx.seconds, warmup: false }),
        );
      };
      const r1 = await measured(one.pid, `${one.url}${pathOne}`);
      const rn = await measured(ctx.service.pid, `${ctx.service.url}${pathMany}`);
      ctx.add({
        group: 'workers',
        name: `${name}: ${many} workers vs 1`,
        figure: {
          value: rn.requestsPerSecond,
          unit: 'req/s',
          how: `TA_WORKERS=${many}, autocannon ${CONNECTIONS} connections`,
        },
        limit: {
          value: r1.requestsPerSecond,
          unit: 'req/s',
          how: 'TA_WORKERS=1, same load',
          name: 'one worker',
        },
        details: `${many} workers p50 ${rn.p50} ms, p99 ${rn.p99} ms; 1 worker p50 ${r1.p50} ms, p99 ${r1.p99} ms; load generator on the same ${cores} cores${cpuNote(rn.cpu, r1.cpu, rn.requestsPerSecond)}`,
      });
    }
  } finally {
    await one.stop();
  }
}

const us = (ms: number) => `${Math.round(ms * 1000)} µs`;

/**
 * Where the cores went: CPU per request of the service and of the load generator, and the rate
 * the cores allow at the many-worker cost (cores × 1000 ÷ (service + load generator) ms).
 */
function cpuNote(many: CpuSplit | undefined, one: CpuSplit | undefined, rate: number): string {
  if (!many || !one) return '';
  const cores = availableParallelism();
  const ceiling = (cores * 1000) / (many.serviceMs + many.loadGeneratorMs);
  return (
    `; CPU per request: service ${us(many.serviceMs)} + load generator ${us(many.loadGeneratorMs)} ` +
    `(1 worker: ${us(one.serviceMs)} + ${us(one.loadGeneratorMs)}); cores busy ${Math.round(many.busy * 100)} % ` +
    `(1 worker: ${Math.round(one.busy * 100)} %); at that cost ${cores} cores allow ${Math.round(ceiling).toLocaleString('en-US')} req/s, ` +
    `measured ${Math.round((rate / ceiling) * 100)} % of it`
  );
}
