// TA_WORKERS scaling: the same reads against a service with one worker (a fresh service process
// on its own database) and against the bench's main service (TA_WORKERS = cores on
// PostgreSQL). The load generator shares the same cores, which caps what a second worker adds.
import { issuePassport, publisherToken } from '../lib/client.js';
import { autocannonRun } from '../lib/load.js';
import { startServiceProcess } from '../lib/service-process.js';
import type { BenchContext } from '../run.js';

export async function workers(ctx: BenchContext): Promise<void> {
  if (!ctx.serviceDatabaseUrl) {
    console.log('skipping the workers suite: TA_WORKERS > 1 needs PostgreSQL');
    return;
  }
  const many = ctx.serviceWorkers;
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
      const r1 = await autocannonRun({ url: `${one.url}${pathOne}`, seconds: ctx.seconds });
      const rn = await autocannonRun({
        url: `${ctx.service.url}${pathMany}`,
        seconds: ctx.seconds,
      });
      ctx.add({
        group: 'workers',
        name: `${name}: ${many} workers vs 1`,
        figure: {
          value: rn.requestsPerSecond,
          unit: 'req/s',
          how: `TA_WORKERS=${many}, autocannon 32 connections`,
        },
        limit: {
          value: r1.requestsPerSecond,
          unit: 'req/s',
          how: 'TA_WORKERS=1, same load',
          name: 'one worker',
        },
        details: `${many} workers p50 ${rn.p50} ms, p99 ${rn.p99} ms; 1 worker p50 ${r1.p50} ms, p99 ${r1.p99} ms; load generator on the same ${many} cores`,
      });
    }
  } finally {
    await one.stop();
  }
}
