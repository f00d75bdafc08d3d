// `npm run bench`: starts what it needs (PostgreSQL when available, else PGlite — it says which),
// runs every benchmark in this one process run, prints a table and rewrites BENCHMARKS.md.
// Every figure sits beside a limit measured in the same run. BENCH_SECONDS sets the length of
// each load phase (default 5). `npm run bench -- http audit` runs only the named suites.
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { machineDescription } from './lib/environment.js';
import { measureEcdsaLimits } from './lib/limits.js';
import { benchDatabase, serverVersion, type BenchDatabase } from './lib/postgres.js';
import { markdownTable, textTable, type BenchResult, type Figure } from './lib/report.js';
import { startServiceProcess, type ServiceProcess } from './lib/service-process.js';
import { auditedWrites } from './suites/audited-writes.js';
import { certificates } from './suites/certificates.js';
import { crl } from './suites/crl.js';
import { propagation } from './suites/propagation.js';
import { httpBaseline } from './suites/http-baseline.js';
import { mcpGuards } from './suites/mcp-guards.js';
import { log } from './suites/log.js';
import { passports } from './suites/passports.js';
import { reads } from './suites/reads.js';
import { startup } from './suites/startup.js';
import { takedown } from './suites/takedown.js';
import { verifier } from './suites/verifier.js';
import { workers } from './suites/workers.js';

export interface BenchContext {
  service: ServiceProcess;
  serviceDatabaseUrl: string | undefined;
  /** TA_WORKERS of `service` (cores on PostgreSQL, 1 on PGlite). */
  serviceWorkers: number;
  database: BenchDatabase;
  seconds: number;
  limits: Record<string, (Figure & { name: string }) | undefined>;
  /** What one suite leaves for a later one (e.g. issued passport ids). */
  shared: Record<string, unknown>;
  add(r: BenchResult): void;
}

/** Suites in run order. Each adds its results to the context. */
const SUITES: Record<string, (ctx: BenchContext) => Promise<void>> = {
  startup,
  http: httpBaseline,
  audit: auditedWrites,
  log,
  passports,
  reads,
  certificates,
  propagation,
  takedown,
  crl,
  verifier,
  mcp: mcpGuards,
  workers,
};

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);
  const results: BenchResult[] = [];
  const started = new Date();

  console.log('measuring raw ECDSA limits (one core)…');
  const ecdsa = measureEcdsaLimits();
  results.push(
    { group: 'limit', name: 'ECDSA P-256 sign', figure: ecdsa.sign },
    { group: 'limit', name: 'ECDSA P-256 verify', figure: ecdsa.verify },
    { group: 'limit', name: 'ECDSA P-256 sign+verify', figure: ecdsa.signPlusVerify },
  );

  const database = await benchDatabase();
  console.log(`database: ${database.kind} — ${database.origin}`);
  const serviceDatabaseUrl = await database.create();
  const dbVersion = serviceDatabaseUrl
    ? `PostgreSQL ${await serverVersion(serviceDatabaseUrl)}`
    : 'PGlite (embedded PostgreSQL)';
  const serviceWorkers = serviceDatabaseUrl ? availableParallelism() : 1;
  const service = await startServiceProcess(serviceDatabaseUrl, {
    extraEnv: { TA_WORKERS: String(serviceWorkers) },
  });
  const ctx: BenchContext = {
    service,
    serviceDatabaseUrl,
    serviceWorkers,
    database,
    seconds,
    limits: {
      ecdsaSign: { ...ecdsa.sign, name: 'raw sign' },
      ecdsaVerify: { ...ecdsa.verify, name: 'raw verify' },
      ecdsaSignVerify: { ...ecdsa.signPlusVerify, name: 'raw sign+verify' },
    },
    shared: {},
    add: (r) => {
      results.push(r);
      console.log(textTable([r]));
    },
  };
  try {
    for (const [name, suite] of Object.entries(SUITES)) {
      if (only.length && !only.includes(name)) continue;
      console.log(`— ${name}`);
      await suite(ctx);
    }
    const mem = service.memory();
    results.push({
      group: 'memory',
      name: 'service resident memory after the load',
      figure: { value: mem.rssMiB, unit: 'MiB', how: '/proc VmRSS' },
      details: `peak ${mem.peakMiB.toFixed(0)} MiB (VmHWM)`,
    });
  } finally {
    await service.stop();
    await database.stop();
  }

  const command = `npm run bench${only.length ? ` -- ${only.join(' ')}` : ''}${process.env.BENCH_SECONDS ? ` (BENCH_SECONDS=${seconds})` : ''}`;
  const doc = `# Benchmarks

Produced by \`${command}\` on ${started.toISOString()}, ${((Date.now() - started.getTime()) / 1000).toFixed(0)} s.

- Machine: ${machineDescription()}
- Database: ${dbVersion} — ${database.origin}
- The service ran in its own process (as \`npm start\` runs it) with TA_WORKERS=${serviceWorkers}; the load came from the bench process on loopback, on the same cores.
- Each figure is set beside a limit measured in the same run. The ratio is figure ÷ limit for rates and limit ÷ figure for times, so for both a higher ratio is better and 100 % means "as fast as the limit" (over 100 %: faster than the reference, as for the CRL against openssl).

${markdownTable(results)}

Limits: raw ECDSA is node:crypto with a cached KeyObject and P1363 encoding on one core — the
fastest way this machine signs; the trivial route is \`GET /healthz\` on the same server under the
same load generator (autocannon); sequential INSERT is one postgres.js connection writing one row
per round trip to the same database.
`;
  if (only.length === 0) writeFileSync(path.resolve(import.meta.dirname, '../BENCHMARKS.md'), doc);
  console.log(`\n${textTable(results)}\n`);
  console.log(
    only.length === 0 ? 'wrote BENCHMARKS.md' : '(partial run: BENCHMARKS.md not rewritten)',
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
