// PostgreSQL for benchmarks: DATABASE_URL if set, else a throwaway cluster started the way
// .ci/run starts one, else none (the bench then says it ran on PGlite).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { postgresClient } from '../../src/db/postgres-client.js';

const SCRIPT = path.resolve(import.meta.dirname, '../../scripts/pg-throwaway.sh');

export interface BenchDatabase {
  kind: 'postgres' | 'pglite';
  /** How it came to be: "DATABASE_URL", "throwaway cluster", "PGlite (no PostgreSQL found)". */
  origin: string;
  /** A fresh database URL for one service run, or undefined on PGlite. */
  create(): Promise<string | undefined>;
  stop(): Promise<void>;
  /** The postmaster's pid when the bench started the cluster (its CPU can then be read). */
  postmasterPid?: number;
}

function hasPostgresBinaries(): boolean {
  try {
    if (
      readdirSync('/usr/lib/postgresql').some((v) =>
        existsSync(`/usr/lib/postgresql/${v}/bin/initdb`),
      )
    )
      return true;
  } catch {
    // no Debian layout
  }
  try {
    execFileSync('which', ['initdb'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function freePort(from: number): Promise<number> {
  for (let p = from; p < from + 100; p += 1) {
    const free = await new Promise<boolean>((resolve) => {
      const s = net
        .createServer()
        .once('error', () => resolve(false))
        .listen(p, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (free) return p;
  }
  throw new Error('no free port for PostgreSQL');
}

export async function benchDatabase(): Promise<BenchDatabase> {
  let adminUrl = process.env.DATABASE_URL;
  let origin = 'DATABASE_URL';
  let dir: string | undefined;
  if (!adminUrl && hasPostgresBinaries()) {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bench-pg-'));
    const port = await freePort(55470);
    execFileSync('bash', [SCRIPT, 'start', dir, String(port)], { encoding: 'utf8' });
    // Over its Unix socket (the script puts it in `dir`), as a service next to its database
    // connects: loopback TCP costs both processes more CPU per statement.
    adminUrl = `postgres://postgres@localhost:${port}/postgres?host=${dir}`;
    origin = `throwaway PostgreSQL cluster (Unix socket in ${dir}, port ${port})`;
  }
  if (!adminUrl) {
    return {
      kind: 'pglite',
      origin: 'PGlite (no PostgreSQL found)',
      create: async () => undefined,
      stop: async () => {},
    };
  }
  const url = adminUrl;
  const created: string[] = [];
  // postmaster.pid's first line is the server's pid.
  const postmasterPid = dir
    ? Number(readFileSync(path.join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0])
    : undefined;
  return {
    kind: 'postgres',
    origin,
    ...(postmasterPid ? { postmasterPid } : {}),
    create: async () => {
      const name = `bench_${Date.now().toString(36)}_${created.length}`;
      const sql = postgresClient(url, { max: 1, onnotice: () => {} });
      await sql.unsafe(`create database ${name}`);
      await sql.end();
      created.push(name);
      const u = new URL(url);
      u.pathname = `/${name}`;
      return u.toString();
    },
    stop: async () => {
      if (dir) {
        execFileSync('bash', [SCRIPT, 'stop', dir]);
        return;
      }
      const sql = postgresClient(url, { max: 1, onnotice: () => {} });
      for (const name of created)
        await sql.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
      await sql.end();
    },
  };
}

/** The server version, for the report. */
export async function serverVersion(url: string): Promise<string> {
  const sql = postgresClient(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`show server_version`;
    return String(row?.server_version);
  } finally {
    await sql.end();
  }
}
