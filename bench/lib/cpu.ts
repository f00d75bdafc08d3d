// CPU time spent while a load ran, from /proc (Linux): the service's process tree (its workers
// included) and this bench process (the load generator). Per request, it shows where the
// machine's cores went — what caps a figure when the load generator shares them.
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function ownCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
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
  /** Share of all cores busy with the two, 0–1. */
  busy: number;
}

/** Runs `load` and splits the CPU it cost between the service and the load generator. */
export async function withCpuSplit<T extends { total: number }>(
  servicePid: number,
  cores: number,
  load: () => Promise<T>,
): Promise<T & { cpu?: CpuSplit }> {
  let s0: number;
  try {
    s0 = treeCpuMs(servicePid);
  } catch {
    return load();
  }
  const me0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await load();
  const wallMs = performance.now() - t0;
  const serviceCpu = treeCpuMs(servicePid) - s0;
  const me = process.cpuUsage(me0);
  const loadCpu = (me.user + me.system) / 1000;
  if (r.total === 0 || serviceCpu <= 0) return r;
  return {
    ...r,
    cpu: {
      serviceMs: serviceCpu / r.total,
      loadGeneratorMs: loadCpu / r.total,
      busy: (serviceCpu + loadCpu) / (wallMs * cores),
    },
  };
}
