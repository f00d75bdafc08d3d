// A real PostgreSQL for the tests that only mean something there (concurrency: PGlite runs one
// transaction at a time). DATABASE_URL when set; otherwise a throwaway cluster started with
// scripts/pg-throwaway.sh if the PostgreSQL server binaries are installed.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = new URL('../../scripts/pg-throwaway.sh', import.meta.url).pathname;

export interface RealPostgres {
  url: string;
  /** 'DATABASE_URL' or 'throwaway cluster'. */
  source: string;
  stop(): Promise<void>;
}

function serverBinariesInstalled(): boolean {
  const base = '/usr/lib/postgresql';
  return (
    existsSync(base) &&
    readdirSync(base).some((v) => existsSync(path.join(base, v, 'bin', 'initdb')))
  );
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** A PostgreSQL server to create test databases on, or undefined when none can be had. */
export async function realPostgres(): Promise<RealPostgres | undefined> {
  if (process.env.DATABASE_URL)
    return { url: process.env.DATABASE_URL, source: 'DATABASE_URL', stop: async () => {} };
  if (!serverBinariesInstalled()) return undefined;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mcps-ta-pg-'));
  const port = await freePort();
  const { stdout } = await run('bash', [SCRIPT, 'start', dir, String(port)], { timeout: 120_000 });
  return {
    url: stdout.trim().split('\n').pop()!,
    source: 'throwaway cluster',
    stop: async () => {
      await run('bash', [SCRIPT, 'stop', dir], { timeout: 60_000 });
    },
  };
}

/**
 * The first test of a file whose tests only mean something on PostgreSQL: says which server it
 * got, and fails without one (unless ALLOW_PGLITE_CONCURRENCY is set).
 */
export function assertRealPostgres(
  t: { diagnostic(message: string): void },
  pg: RealPostgres | undefined,
): void {
  t.diagnostic(
    pg ? `PostgreSQL from ${pg.source}` : 'no PostgreSQL server binaries: ran on PGlite',
  );
  if (!process.env.ALLOW_PGLITE_CONCURRENCY)
    assert.ok(pg, 'install postgresql (apt-get install postgresql) or set DATABASE_URL');
}
