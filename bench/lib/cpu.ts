// CPU time spent while a load ran, from /proc (Linux): the service's process tree (its workers
// included) and this bench process (the load generator). Per request, it shows where the
// machine's cores went — what caps a figure when the load generator shares them.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { BenchContext } from '../run.js';
import { WARMUP_SECONDS } from './load.js';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** utime + stime of `pid`; with `children`, also what its exited children spent (cutime + cstime). */
function ownCpuMs(pid: number, children = false): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ').map(Number);
  const own = f[11]! + f[12]!;
  return ((children ? own + f[13]! + f[14]! : own) * 1000) / TICKS_PER_SECOND;
}

/**
 * CPU ms of a PostgreSQL server: the postmaster with every backend and worker process, and the
 * backends that have exited since it started.
 */
export function postgresCpuMs(postmasterPid: number): number {
  const [self, ...rest] = processTree(postmasterPid);
  let sum = ownCpuMs(self!, true);
  for (const p of rest) {
    try {
      sum += ownCpuMs(p);
    } catch {
      // exited meanwhile: counted in the postmaster's cutime from now on
    }
  }
  return sum;
}

/** `pid` and its descendants (a service's workers), from /proc. */
export function processTree(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    // gone, or not Linux
  }
  return [pid, ...children.flatMap(processTree)];
}

/** CPU ms of `pid` and its descendants (an exited process counts nothing). */
export function treeCpuMs(pid: number): number {
  return processTree(pid).reduce((sum, p) => {
    try {
      return sum + ownCpuMs(p);
    } catch {
      return sum;
    }
  }, 0);
}

export interface CpuSplit {
  /** CPU ms per request of the service's processes. */
  serviceMs: number;
  /** CPU ms per request of this process (the load generator). */
  loadGeneratorMs: number;
  /** CPU ms per request of PostgreSQL, when the bench runs its server. */
  databaseMs?: number;
  /** Share of all cores busy with the two, 0–1. */
  busy: number;
}

/**
 * Runs `load` and splits the CPU it cost between the service, the load generator and (given the
 * postmaster's pid) PostgreSQL.
 */
export async function withCpuSplit<T extends { total: number }>(
  servicePid: number,
  cores: number,
  load: () => Promise<T>,
  postmasterPid?: number,
): Promise<T & { cpu?: CpuSplit }> {
  let s0: number;
  try {
    s0 = treeCpuMs(servicePid);
  } catch {
    return load();
  }
  const db0 = postmasterPid ? postgresCpuMs(postmasterPid) : 0;
  const me0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await load();
  const wallMs = performance.now() - t0;
  const serviceCpu = treeCpuMs(servicePid) - s0;
  const me = process.cpuUsage(me0);
  const loadCpu = (me.user + me.system) / 1000;
  const dbCpu = postmasterPid ? postgresCpuMs(postmasterPid) - db0 : 0;
  if (r.total === 0 || serviceCpu <= 0) return r;
  return {
    ...r,
    cpu: {
      serviceMs: serviceCpu / r.total,
      loadGeneratorMs: loadCpu / r.total,
      ...(postmasterPid ? { databaseMs: dbCpu / r.total } : {}),
      busy: (serviceCpu + loadCpu + dbCpu) / (wallMs * cores),
    },
  };
}

/**
 * "CPU per write: service … + PostgreSQL … + load generator …; at that cost N cores allow …/s":
 * what one operation costs the machine, and the rate the cores would give at that cost.
 */
export function cpuCostDetails(what: string, cpu: CpuSplit | undefined, cores: number): string {
  if (!cpu) return '';
  const ms = (x: number) => `${x.toFixed(2)} ms`;
  const parts = [`service ${ms(cpu.serviceMs)}`];
  if (cpu.databaseMs !== undefined) parts.push(`PostgreSQL ${ms(cpu.databaseMs)}`);
  parts.push(`load generator ${ms(cpu.loadGeneratorMs)}`);
  const total = cpu.serviceMs + (cpu.databaseMs ?? 0) + cpu.loadGeneratorMs;
  const allowed = (cores * 1000) / total;
  return `; CPU per ${what}: ${parts.join(' + ')}; at that cost ${cores} cores allow ${Math.round(allowed).toLocaleString('en-US')}/s, cores busy ${Math.round(cpu.busy * 100)} %`;
}

/**
 * A write figure: `run(seconds, timed)` once untimed for the warm-up, then timed against the
 * bench's service, with the CPU it cost split as withCpuSplit does (PostgreSQL included when the
 * bench runs the server). Returns the cores too, for cpuCostDetails.
 */
export async function warmThenMeasure<T extends { total: number }>(
  ctx: Pick<BenchContext, 'service' | 'database' | 'seconds'>,
  run: (seconds: number, timed: boolean) => Promise<T>,
): Promise<{ result: T & { cpu?: CpuSplit }; cores: number }> {
  await run(WARMUP_SECONDS, false);
  const cores = availableParallelism();
  const result = await withCpuSplit(
    ctx.service.pid,
    cores,
    () => run(ctx.seconds, true),
    ctx.database.postmasterPid,
  );
  return { result, cores };
}
