#!/usr/bin/env node
// `npm test`: runs every test/**/*.test.ts with node:test, then prints the plain summary line
// `N passed, N failed` that CI reads. Node 20's --test takes no globs, hence this.
// Extra arguments are file or folder filters: `npm test -- test/unit`.
// The tests run from a compiled mirror of the repository (scripts/test-build.mjs: the same
// esbuild transform tsx applies, done once instead of in every process); TEST_FROM_SOURCE=1 runs
// them through tsx from the repository itself instead.
// Last, the whole-suite secrets-in-logs check (scripts/log-secrets-check.mjs) reads what the test
// processes recorded in a per-run directory: a secret in any log line fails the run.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os, { availableParallelism } from 'node:os';
import path from 'node:path';
import { checkRun } from './log-secrets-check.mjs';
import { buildTestTree } from './test-build.mjs';

function findTests(dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...findTests(full));
    else if (entry.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

// The longest files (minutes under a full parallel run) start first, longest first: started
// last, one of them would run on alone at the end while the other cores idle. The rest follow in
// name order. A file missing from this list only starts in name order.
const LONG_FIRST = [
  'test/integration/mcps-ta-cli.test.ts',
  'test/integration/admin-cli.test.ts',
  'test/integration/startup.test.ts',
  'test/integration/backup-restore.test.ts',
  'test/integration/log-inclusion.test.ts',
  'test/resilience/database-outage.test.ts',
  'test/e2e/admin-ui.test.ts',
  'test/integration/passports-issue.test.ts',
  'test/e2e/admin-compromise.test.ts',
  'test/resilience/kill-during-burst.test.ts',
  'test/resilience/log-takeover.test.ts',
  'test/resilience/two-instances.test.ts',
  'test/integration/certificates-concurrency.test.ts',
  'test/integration/mcp-registry.test.ts',
  'test/integration/authorization-matrix.test.ts',
  'test/integration/fuzz.test.ts',
];
const rank = (file) => {
  const i = LONG_FIRST.indexOf(file.split(path.sep).join('/'));
  return i < 0 ? LONG_FIRST.length : i;
};

const filters = process.argv.slice(2);
const files = findTests('test')
  .filter((f) => filters.length === 0 || filters.some((x) => f.startsWith(path.normalize(x))))
  .sort()
  .sort((a, b) => rank(a) - rank(b)); // stable: name order within the same rank
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}

// Many tests wait on child processes, PostgreSQL and sockets rather than the CPU, so one more
// file than there are cores keeps the machine busy (measured: CPU ~35 % busy at cores = files).
const concurrency = process.env.TEST_CONCURRENCY ?? String(availableParallelism() + 1);
const target = process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : 'embedded PGlite';
console.log(`running ${files.length} test files against ${target}`);
const runDir = mkdtempSync(path.join(os.tmpdir(), 'mcps-ta-run-'));

const fromSource = process.env.TEST_FROM_SOURCE === '1';
const started = Date.now();
const tree = fromSource ? process.cwd() : await buildTestTree(process.cwd());
if (!fromSource) console.log(`compiled the tree into ${tree} in ${Date.now() - started} ms`);

const child = spawn(
  process.execPath,
  [
    // V8 keeps PGlite's WebAssembly on its baseline compiler: recompiling it with TurboFan costs
    // more CPU than it saves in a test process (see NODE_FLAGS in test/support/process.ts).
    '--liftoff-only',
    ...(fromSource ? ['--import', 'tsx'] : ['--enable-source-maps']),
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-reporter=spec',
    ...(fromSource ? files : files.map((f) => f.replace(/\.tsx?$/, '.js'))),
  ],
  {
    cwd: tree,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NODE_ENV: 'test', MCPS_TA_TEST_RUN_DIR: runDir },
  },
);

let passed = 0;
let failed = 0;
let cancelled = 0;
let buffer = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  buffer += chunk.toString('utf8');
  let nl;
  while ((nl = buffer.indexOf('\n')) >= 0) {
    const line = buffer.slice(0, nl);
    buffer = buffer.slice(nl + 1);
    const m = /^ℹ (pass|fail|cancelled) (\d+)$/.exec(line.trim());
    if (m?.[1] === 'pass') passed = Number(m[2]);
    if (m?.[1] === 'fail') failed = Number(m[2]);
    if (m?.[1] === 'cancelled') cancelled = Number(m[2]);
  }
});
child.on('close', (code) => {
  failed += cancelled; // a cancelled test did not pass
  if (code !== 0 && failed === 0) failed = 1; // the runner itself failed (e.g. a file crashed)
  // The whole suite must have started services; a filtered run may not have.
  const wholeSuite = filters.length === 0;
  const check = checkRun(runDir, { servicesExpected: wholeSuite });
  console.log(
    `secrets-in-logs check: ${check.secrets} secrets recorded, ${check.lines} log lines of ${check.files} services: ` +
      `${check.leaks.length === 0 ? 'no secret in any log line' : `${check.leaks.length} LEAKED`}`,
  );
  for (const l of check.leaks.slice(0, 20))
    console.log(`  ✖ ${l.origin} in ${l.file}:${l.line}: ${l.text}`);
  if (check.problem) console.log(`  ✖ ${check.problem}`);
  const secretsFailed = check.leaks.length > 0 || Boolean(check.problem);
  if (secretsFailed) failed += 1;
  if (secretsFailed) console.log(`  (ledger kept in ${runDir})`);
  else rmSync(runDir, { recursive: true, force: true });
  if (!fromSource) rmSync(tree, { recursive: true, force: true });
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(code === 0 && failed === 0 && !secretsFailed ? 0 : 1);
});
