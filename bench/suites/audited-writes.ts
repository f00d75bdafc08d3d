// Audited state changes per second: POST /v1/publishers writes a row and its audit event in one
// transaction (no lock: the log sequencer numbers the event afterwards). Limit: sequential single-connection INSERTs into
// the same database, measured in the same run (STACK-NOTES.md: ~1,700/s on PG15 loopback).
import { postgresClient } from '../../src/db/postgres-client.js';
import { cpuCostDetails, warmThenMeasure } from '../lib/cpu.js';
import { autocannonRun, CONNECTIONS } from '../lib/load.js';
import type { BenchContext } from '../run.js';

async function sequentialInsertRate(url: string, seconds: number): Promise<number> {
  const sql = postgresClient(url, { max: 1, onnotice: () => {} });
  try {
    await sql`create table if not exists bench_insert_probe (id serial primary key, v text not null)`;
    let n = 0;
    const start = performance.now();
    while (performance.now() - start < seconds * 1000) {
      await sql`insert into bench_insert_probe (v) values (${String(n)})`;
      n += 1;
    }
    const rate = (n * 1000) / (performance.now() - start);
    await sql`drop table bench_insert_probe`;
    return rate;
  } finally {
    await sql.end();
  }
}

export async function auditedWrites(ctx: BenchContext): Promise<void> {
  let i = 0;
  const prefix = `bench-${Date.now().toString(36)}`;
  const writes = (seconds: number) =>
    autocannonRun({
      url: `${ctx.service.url}/v1/publishers`,
      seconds,
      method: 'POST',
      headers: {
        authorization: `Bearer ${ctx.service.adminToken}`,
        'content-type': 'application/json',
      },
      nextBody: () => JSON.stringify({ name: `${prefix}-${(i += 1)}` }),
      warmup: false,
    });
  const { result: r, cores } = await warmThenMeasure(ctx, writes);
  let limit;
  if (ctx.serviceDatabaseUrl) {
    const rate = await sequentialInsertRate(ctx.serviceDatabaseUrl, Math.min(3, ctx.seconds));
    limit = {
      value: rate,
      unit: 'insert/s',
      how: 'postgres.js, one connection, sequential',
      name: 'sequential single-connection INSERT',
    };
  }
  ctx.add({
    group: 'audit',
    name: 'POST /v1/publishers (row + audit event, 1 tx)',
    figure: {
      value: r.requestsPerSecond,
      unit: 'req/s',
      how: `autocannon ${CONNECTIONS} connections`,
    },
    limit,
    details: `p50 ${r.p50} ms, p99 ${r.p99} ms, ${r.errors} errors, ${r.non2xx} non-2xx${cpuCostDetails('write', r.cpu, cores)}`,
  });
}
