// Helpers for trust-kit tests: run the verify CLI in-process or as `npm run ta -- verify`, and a
// proxy in front of a TA that can replace what it serves (rollback and fork attacks).
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runVerifyCli } from '../../src/verifier/cli.js';

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

/** The real command: `npm run --silent ta -- verify …` in a child process. */
export function verifyCommand(
  args: string[],
  env: Record<string, string> = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'ta', '--', 'verify', ...args], {
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
