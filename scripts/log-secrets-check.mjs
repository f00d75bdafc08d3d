// The whole-suite secrets-in-logs check (issue 13, acceptance 2). During `npm test` every test
// process records, under the run directory ($MCPS_TA_TEST_RUN_DIR, made by scripts/test.mjs):
//   secrets/<pid>.jsonl   {"secret": …, "origin": …} for every token, password, CSRF value,
//                         session cookie, KEK and private key the test-support helpers created
//   logs/<pid>-<n>.log    every log line every service the suite started wrote
// checkRun() then looks for every secret in every log line and reports each hit. A run that
// started services but recorded no log line or no secret is reported too: a check that saw
// nothing must not pass silently.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Shorter values are too likely to occur by chance (and the helpers make none that short). */
export const MIN_SECRET_LENGTH = 12;
const WINDOW = MIN_SECRET_LENGTH;
const SECRET_CHARS = /^[A-Za-z0-9+/_=.~-]+$/;
const RUNS = /[A-Za-z0-9+/_=.~-]{12,}/g;

function readSecrets(dir) {
  const secrets = new Map();
  const d = path.join(dir, 'secrets');
  if (!existsSync(d)) return secrets;
  for (const f of readdirSync(d)) {
    for (const line of readFileSync(path.join(d, f), 'utf8').split('\n')) {
      if (!line) continue;
      try {
        const { secret, origin } = JSON.parse(line);
        if (
          typeof secret === 'string' &&
          secret.length >= MIN_SECRET_LENGTH &&
          !secrets.has(secret)
        )
          secrets.set(secret, String(origin));
      } catch {
        // a line cut by a killed process
      }
    }
  }
  return secrets;
}

function mask(line, secret) {
  const shown = `${secret.slice(0, 6)}…(${secret.length} chars)`;
  const out = line.split(secret).join(`«${shown}»`);
  return out.length > 600 ? `${out.slice(0, 600)}…` : out;
}

/**
 * Checks one run directory. Returns {secrets, lines, files, leaks: [{file, line, origin, text}],
 * problem?: string}; `problem` is set when the ledger is empty although services ran.
 */
export function checkRun(dir, o = { servicesExpected: true }) {
  const secrets = readSecrets(dir);
  const logDir = path.join(dir, 'logs');
  const files = existsSync(logDir) ? readdirSync(logDir).sort() : [];
  const plain = new Map(); // secrets of the token alphabet, by their first WINDOW characters
  const odd = []; // secrets with other characters (passwords with spaces): plain substring search
  for (const [s, origin] of secrets) {
    if (SECRET_CHARS.test(s)) {
      const k = s.slice(0, WINDOW);
      if (!plain.has(k)) plain.set(k, []);
      plain.get(k).push([s, origin]);
    } else odd.push([s, origin]);
  }
  const leaks = [];
  let lines = 0;
  for (const f of files) {
    const text = readFileSync(path.join(logDir, f), 'utf8');
    const all = text.split('\n');
    for (let n = 0; n < all.length; n++) {
      const line = all[n];
      if (!line) continue;
      lines += 1;
      const hit = new Set();
      for (const m of line.matchAll(RUNS)) {
        const run = m[0];
        for (let i = 0; i + WINDOW <= run.length; i++) {
          const cands = plain.get(run.slice(i, i + WINDOW));
          if (!cands) continue;
          for (const [s, origin] of cands)
            if (!hit.has(s) && run.startsWith(s, i))
              hit.add(s) && leaks.push({ file: f, line: n + 1, origin, text: mask(line, s) });
        }
      }
      for (const [s, origin] of odd)
        if (!hit.has(s) && line.includes(s))
          hit.add(s) && leaks.push({ file: f, line: n + 1, origin, text: mask(line, s) });
    }
  }
  let problem;
  if (o.servicesExpected && (secrets.size === 0 || lines === 0)) {
    problem = `the secrets-in-logs check saw ${secrets.size} secrets and ${lines} log lines in ${dir}: the test-support ledger recorded nothing, so nothing was checked`;
  }
  return { secrets: secrets.size, lines, files: files.length, leaks, problem };
}
