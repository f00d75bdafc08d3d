// Helpers for trust-kit tests: run the verify CLI in-process or as a process, and a
// proxy in front of a TA that can replace what it serves (rollback and fork attacks).
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runVerifyCli } from '../../src/verifier/cli.js';
import { entryArgs, NODE_FLAGS } from './process.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `verify …` in this process (fast), with an empty environment except the cache root. */
export async function verifyCli(args: string[], cacheRoot?: string): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runVerifyCli(args, {
    stdout: (l) => (stdout += `${l}\n`),
    stderr: (l) => (stderr += `${l}\n`),
    env: { MCPS_TA_CACHE: cacheRoot },
  });
  return { code, stdout, stderr };
}

/**
 * `verify …` as a process: the operator CLI's entry point (src/cli.ts), as `npm run ta` starts
 * it, or — with `{ viaNpm: true }` — the README's command itself, `npm run --silent ta -- verify …`
 * (npm's own start-up costs about a second of CPU, so only the tests about that command use it).
 */
export function verifyCommand(
  args: string[],
  env: Record<string, string> = {},
  o: { viaNpm?: boolean } = {},
): Promise<CliResult> {
  const [command, argv] = o.viaNpm
    ? ['npm', ['run', '--silent', 'ta', '--', 'verify', ...args]]
    : [process.execPath, [...NODE_FLAGS, ...entryArgs('src/cli.ts'), 'verify', ...args]];
  return new Promise((resolve) => {
    const child = spawn(command, argv, {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) =>
      resolve({ code: code ?? -1, stdout, stderr: stderr.replace(/^npm warn.*\n/gm, '') }),
    );
  });
}

export interface TaProxy {
  url: string;
  /** Replaces the answer for a path (exact, without query); undefined forwards it again. */
  override(path: string, body: unknown | undefined): void;
  close(): Promise<void>;
}

/** A node:http proxy on 127.0.0.1 forwarding GETs to `target`, unless a path is overridden. */
export async function startTaProxy(target: string): Promise<TaProxy> {
  const overrides = new Map<string, unknown>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (overrides.has(path)) {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(overrides.get(path)));
      return;
    }
    const headers: Record<string, string> = {};
    if (req.headers['if-none-match'])
      headers['if-none-match'] = String(req.headers['if-none-match']);
    fetch(`${target}${req.url}`, { headers })
      .then(async (r) => {
        const out: Record<string, string> = {
          'content-type': r.headers.get('content-type') ?? 'application/json',
        };
        if (r.headers.get('etag')) out.etag = r.headers.get('etag')!;
        res.writeHead(r.status, out).end(Buffer.from(await r.arrayBuffer()));
      })
      .catch(() => res.writeHead(502).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    override: (path, body) =>
      body === undefined ? overrides.delete(path) : overrides.set(path, body),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
