// PostgreSQL client tools (pg_dump, pg_restore, psql) of the server's major version. A pg_dump
// older than the server refuses to dump it, and a dump is restored by the same major, so the
// tools are looked up for the major the server reports: --pg-bin, then
// /usr/lib/postgresql/<major>/bin (Debian), then PATH. The password is passed in PGPASSWORD,
// never on the command line (where `ps` would show it).
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

import { OperatorRefusal } from './refusal.js';

const run = promisify(execFile);

export interface PgTools {
  dir: string;
  major: number;
  /** Connection string without the password. */
  url: string;
  env: NodeJS.ProcessEnv;
}

/** The tools are missing or of the wrong version. */
export class PgToolsError extends OperatorRefusal {}

export function connectionFor(databaseUrl: string): { url: string; env: NodeJS.ProcessEnv } {
  const u = new URL(databaseUrl);
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  u.password = '';
  return { url: u.toString(), env };
}

async function majorOf(binary: string): Promise<number | undefined> {
  try {
    const { stdout } = await run(binary, ['--version'], { timeout: 10_000 });
    const m = /\(PostgreSQL\)\s+(\d+)/.exec(stdout);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Finds pg_dump, pg_restore and psql of `serverMajor` (or, failing that, newer). */
export async function locatePgTools(
  databaseUrl: string,
  serverMajor: number,
  pgBinDir?: string,
): Promise<PgTools> {
  const candidates = pgBinDir
    ? [pgBinDir]
    : [
        `/usr/lib/postgresql/${serverMajor}/bin`,
        ...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean),
      ];
  const seen: string[] = [];
  let newer: { dir: string; major: number } | undefined;
  for (const dir of candidates) {
    const dump = path.join(dir, 'pg_dump');
    if (!existsSync(dump) || !['pg_restore', 'psql'].every((t) => existsSync(path.join(dir, t))))
      continue;
    const major = await majorOf(dump);
    if (major === undefined) continue;
    seen.push(`${dir} (${major})`);
    if (major === serverMajor) return { dir, major, ...connectionFor(databaseUrl) };
    if (major > serverMajor && !newer) newer = { dir, major };
  }
  if (newer) return { ...newer, ...connectionFor(databaseUrl) };
  throw new PgToolsError(
    `no pg_dump/pg_restore/psql for PostgreSQL ${serverMajor} found (looked in ${candidates.join(', ')}` +
      `${seen.length ? `; found only ${seen.join(', ')}` : ''}). Install the PostgreSQL ${serverMajor} client tools or pass --pg-bin DIR.`,
  );
}

/** Runs a tool to completion; rejects with its stderr on a non-zero exit. */
export function runTool(
  tools: PgTools,
  tool: string,
  args: string[],
  o: { stdin?: string } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(tools.dir, tool), args, {
      env: tools.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${tool} exited with ${code}: ${err.trim()}`)),
    );
    child.stdin.end(o.stdin ?? '');
  });
}

/**
 * `pg_restore -f - dump | psql --single-transaction`, with `prelude` SQL first in the same
 * transaction: either the whole restore (and the prelude's drops) commits, or nothing does.
 */
export function restoreInOneTransaction(
  tools: PgTools,
  dumpFile: string,
  prelude: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const psql = spawn(
      path.join(tools.dir, 'psql'),
      ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '--single-transaction', '-d', tools.url, '-f', '-'],
      { env: tools.env, stdio: ['pipe', 'ignore', 'pipe'] },
    );
    const restore = spawn(
      path.join(tools.dir, 'pg_restore'),
      ['--no-owner', '--no-acl', '-f', '-', dumpFile],
      {
        env: tools.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let psqlErr = '';
    let restoreErr = '';
    psql.stderr.on('data', (d) => (psqlErr += d));
    restore.stderr.on('data', (d) => (restoreErr += d));
    let restoreCode: number | null | undefined;
    restore.on('error', reject);
    psql.on('error', reject);
    restore.on('close', (code) => (restoreCode = code));
    psql.stdin.on('error', () => {}); // psql stopping early is reported by its exit code
    psql.stdin.write(prelude);
    restore.stdout.pipe(psql.stdin);
    psql.on('close', (code) => {
      if (code !== 0) return reject(new Error(`psql exited with ${code}: ${psqlErr.trim()}`));
      if (restoreCode !== 0 && restoreCode !== undefined)
        return reject(new Error(`pg_restore exited with ${restoreCode}: ${restoreErr.trim()}`));
      resolve();
    });
  });
}

/**
 * The rows of one table in a custom-format dump, read with `pg_restore --data-only` without any
 * database: COPY text format, columns named by the COPY header.
 */
export async function tableRowsInDump(
  tools: PgTools,
  dumpFile: string,
  table: string,
): Promise<Array<Record<string, string | null>>> {
  const sql = await runTool(tools, 'pg_restore', [
    '--data-only',
    '--schema=public',
    `--table=${table}`,
    '-f',
    '-',
    dumpFile,
  ]);
  const lines = sql.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`COPY public.${table} (`));
  if (start < 0) return [];
  const columns = /\((.*)\) FROM stdin;$/
    .exec(lines[start]!)![1]!
    .split(', ')
    .map((c) => c.replace(/^"|"$/g, ''));
  const rows: Array<Record<string, string | null>> = [];
  for (let i = start + 1; i < lines.length && lines[i] !== '\\.'; i++) {
    const values = lines[i]!.split('\t');
    rows.push(
      Object.fromEntries(
        columns.map((c, j) => [c, values[j] === '\\N' ? null : unescapeCopy(values[j] ?? '')]),
      ),
    );
  }
  return rows;
}

function unescapeCopy(v: string): string {
  return v.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r', '\\': '\\' })[c] ?? c);
}
