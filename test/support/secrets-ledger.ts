// The test side of the whole-suite secrets-in-logs check (scripts/log-secrets-check.mjs): the
// helpers record every secret they create or receive and every log line of every service they
// start into the run directory that scripts/test.mjs passes in MCPS_TA_TEST_RUN_DIR. Without
// that variable (a file run by hand) nothing is recorded; each test service still checks its
// own logs at stop.
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

const RUN_DIR = process.env.MCPS_TA_TEST_RUN_DIR;
const MIN = 12;
let logCounter = 0;
const recorded = new Set<string>();

function dir(sub: string): string | undefined {
  if (!RUN_DIR) return undefined;
  const d = path.join(RUN_DIR, sub);
  mkdirSync(d, { recursive: true });
  return d;
}

/** Records a secret (tokens, passwords, CSRF values, cookies, KEKs, private keys). */
export function recordSecret(secret: string | undefined | null, origin: string): void {
  if (!secret || secret.length < MIN || recorded.has(secret)) return;
  // A value of one repeated character ('x'.repeat(43), a forged CSRF in a test) is no secret —
  // and the log redaction itself writes runs of x: recording it would flag every masked line.
  if (/^(.)\1*$/s.test(secret)) return;
  recorded.add(secret);
  const d = dir('secrets');
  if (d)
    appendFileSync(path.join(d, `${process.pid}.jsonl`), `${JSON.stringify({ secret, origin })}\n`);
}

/** Records a PEM private key: each base64 line of its body (a log would carry at least one). */
export function recordPrivateKeyPem(pem: string, origin: string): void {
  for (const line of pem.split('\n'))
    if (!line.startsWith('-----') && line.trim().length >= MIN) recordSecret(line.trim(), origin);
}

/** Values of form or JSON fields that are secrets by name. */
export function recordSecretFields(fields: unknown, origin: string): void {
  if (!fields || typeof fields !== 'object') return;
  for (const [k, v] of Object.entries(fields as Record<string, unknown>)) {
    if (typeof v === 'string' && /^(_csrf|csrf|password|new_password|secret|token)$/i.test(k))
      recordSecret(v, `${origin} ${k}`);
  }
}

/** A sink for one service's log output: append(chunk) as it is written. */
export function logRecorder(origin: string): (chunk: string | Buffer) => void {
  const d = dir('logs');
  if (!d) return () => {};
  const file = path.join(
    d,
    `${process.pid}-${(logCounter += 1)}-${origin.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 60)}.log`,
  );
  appendFileSync(file, '');
  return (chunk) => appendFileSync(file, chunk);
}
