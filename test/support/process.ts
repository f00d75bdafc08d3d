// The service as a real process (`node --import tsx src/main.ts`, or its compiled src/main.js), for tests that kill it,
// restart it or take its database away.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { logRecorder, recordSecret } from './secrets-ledger.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * Node flags for the TA processes tests start (as scripts/test.mjs gives every test file):
 * `--liftoff-only` keeps V8 from recompiling PGlite's WebAssembly with TurboFan. In processes
 * that live seconds to minutes that recompilation costs more CPU than it saves (measured: a
 * PGlite start plus 3,300 queries 6.8 s → 3.7 s, CPU 6.0 s → 3.1 s). Only the compiler tier
 * changes, not what runs; on PostgreSQL nothing runs as WebAssembly.
 */
export const NODE_FLAGS = ['--liftoff-only'];

/**
 * True when the tests run from the compiled tree `npm test` builds (scripts/test-build.mjs),
 * false when they run from the sources through tsx (TEST_FROM_SOURCE=1, or a file run by hand).
 */
export const COMPILED = import.meta.url.endsWith('.js');

/**
 * Node's arguments to run one of the project's TypeScript entry points (`src/main.ts`, a path
 * relative to the working directory or absolute): its compiled .js beside it in the compiled
 * tree, the .ts through tsx otherwise — the same code either way.
 */
export function entryArgs(script: string): string[] {
  return COMPILED ? [script.replace(/\.tsx?$/, '.js')] : ['--import', 'tsx', script];
}

/**
 * Runs the operator CLI (`npm run ta -- …`, src/cli.ts) as a process with only PATH, a silent log
 * and `env`; `stdin`, when given, is written to it and closed.
 */
export function runOperatorCli(
  args: string[],
  env: Record<string, string>,
  stdin?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...NODE_FLAGS, ...entryArgs('src/cli.ts'), ...args], {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env },
      stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    if (stdin !== undefined) child.stdin!.end(stdin);
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface ServiceProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  exited: Promise<number | null>;
  /** Resolves when /readyz answers 200. */
  ready(timeoutMs?: number): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function spawnService(env: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, [...NODE_FLAGS, ...entryArgs('src/main.ts')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  recordSecret(env.TA_ADMIN_TOKEN, 'TA_ADMIN_TOKEN of a service process');
  recordSecret(env.TA_KEK, 'TA_KEK of a service process');
  const recordLog = logRecorder('service-process');
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
    recordLog(d);
  });
  child.stderr!.on('data', (d) => {
    out += d;
    recordLog(d);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${env.PORT}`;
  return {
    child,
    url,
    output: () => out,
    exited,
    ready: async (timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`service exited (${child.exitCode}): ${out}`);
        try {
          if ((await fetch(`${url}/readyz`)).ok) return;
        } catch {
          // not listening yet
        }
        if (Date.now() > deadline) throw new Error(`service not ready: ${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
