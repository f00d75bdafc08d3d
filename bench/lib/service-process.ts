// The service under test runs in its own process (as `npm start` runs it), so the load
// generator in this process does not share its event loop; its memory is read from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { processTree, treeCpuMs } from './cpu.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface ServiceProcess {
  url: string;
  /** Milliseconds from spawning the process to its first 200 from /readyz. */
  startMs: number;
  dataDir: string;
  kek: string;
  adminToken: string;
  pid: number;
  /** Resident set size now and at its peak (VmHWM), in MiB. */
  memory(): { rssMiB: number; peakMiB: number };
  /**
   * Waits until the service's processes are idle (see idleProcessTree): a read figure measured
   * while the log sequencer still works through the events of an earlier write figure would
   * count that work too.
   */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function statusField(pid: number, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
    readFileSync(`/proc/${pid}/status`, 'utf8'),
  );
  return m ? Number(m[1]) / 1024 : NaN;
}

/** The process and its descendants (the workers when TA_WORKERS > 1), summed. */
function treeField(pid: number, field: string): number {
  return processTree(pid).reduce((sum, p) => {
    try {
      return sum + statusField(p, field);
    } catch {
      return sum;
    }
  }, 0);
}

export interface StartOptions {
  extraEnv?: Record<string, string>;
  /** Reuse a data directory and KEK (a restart); otherwise fresh ones. */
  dataDir?: string;
  kek?: string;
  /** Keep the data directory on stop (to restart on it). */
  keepData?: boolean;
}

/**
 * Waits until the service's processes are idle: under 10 % of one core over half a second; at
 * most 30 s. After start-up, /readyz answers as soon as one worker listens, while the others are
 * still starting (measured with TA_WORKERS=2: ~4 s of CPU in the 3 s after the first 200); a
 * figure measured then would count their start-up.
 */
async function idleProcessTree(pid: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  let last = treeCpuMs(pid);
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    const now = treeCpuMs(pid);
    if (now - last < 50) return;
    last = now;
  }
}

export async function startServiceProcess(
  databaseUrl: string | undefined,
  o: StartOptions = {},
): Promise<ServiceProcess> {
  const dataDir = o.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'bench-ta-'));
  const kek = o.kek ?? randomBytes(32).toString('hex');
  const port = await freePort();
  const adminToken = randomBytes(32).toString('hex');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    PORT: String(port),
    DATA_DIR: dataDir,
    TA_KEK: kek,
    TA_ADMIN_TOKEN: adminToken,
    TA_PUBLIC_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL: 'warn',
    ...o.extraEnv,
  };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  const spawnedAt = performance.now();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      '--import',
      'tsx',
      'src/main.ts',
    ],
    { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000; // generous: a loaded 2-core machine takes tens of seconds to compile and start
  for (;;) {
    if (child.exitCode !== null) throw new Error(`service exited: ${stderr}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`service not ready in 90 s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const startMs = performance.now() - spawnedAt;
  await idleProcessTree(child.pid!);
  return {
    url,
    startMs,
    dataDir,
    kek,
    adminToken,
    pid: child.pid!,
    memory: () => ({
      rssMiB: treeField(child.pid!, 'VmRSS'),
      peakMiB: treeField(child.pid!, 'VmHWM'),
    }),
    idle: () => idleProcessTree(child.pid!),
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      if (!o.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
