// The whole-suite secrets-in-logs check must be able to fail: a secret planted in a log line is
// reported with its line, an empty ledger is reported as "nothing checked", a clean run passes.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { checkRun } from '../../scripts/log-secrets-check.mjs';
import type * as LedgerModule from '../support/secrets-ledger.js';

async function ledger(fn: (m: typeof LedgerModule) => void): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mcps-ta-ledger-test-'));
  const saved = process.env.MCPS_TA_TEST_RUN_DIR;
  process.env.MCPS_TA_TEST_RUN_DIR = dir;
  try {
    // A fresh module instance reads the variable at import.
    fn(await import(`../support/secrets-ledger.js?dir=${encodeURIComponent(dir)}`));
  } finally {
    if (saved === undefined) delete process.env.MCPS_TA_TEST_RUN_DIR;
    else process.env.MCPS_TA_TEST_RUN_DIR = saved;
  }
  return dir;
}

describe('whole-suite secrets-in-logs check', () => {
  it('reports a planted token, password, CSRF value and key line with the offending line', async () => {
    const token = `mcpsta_${'a1'.repeat(20)}`;
    const password = 'correct horse battery staple';
    const csrf = 'csrf-Q2xlYW5DU1JGdmFsdWU';
    const keyLine = 'MHcCAQEEIO6pTestPrivateKeyLineBase64ForTheLedgerCheckOnly0123456';
    const dir = await ledger((m) => {
      m.recordSecret(token, 'planted token');
      m.recordSecret(password, 'planted password');
      m.recordSecretFields({ _csrf: csrf, username: 'alice-not-secret' }, 'planted form');
      m.recordPrivateKeyPem(
        `-----BEGIN EC PRIVATE KEY-----\n${keyLine}\n-----END EC PRIVATE KEY-----\n`,
        'planted key',
      );
      const log = m.logRecorder('planted service');
      log('{"level":30,"msg":"request","route":"/v1/publishers","status":201}\n');
      log(`{"level":50,"msg":"unhandled error","auth":"Bearer ${token}"}\n`);
      log(
        `{"level":50,"params":["alice","${password}"]}\n{"cookie":"mcps_ta_csrf=${csrf}; Path=/"}\n`,
      );
      log(
        `{"err":"bad key ${JSON.stringify(`-----BEGIN EC PRIVATE KEY-----\n${keyLine}`).slice(1, -1)}"}\n`,
      );
    });
    try {
      const r = checkRun(dir);
      assert.equal(r.problem, undefined);
      assert.equal(r.lines, 5);
      assert.deepEqual(r.leaks.map((l) => [l.origin, l.line]).sort(), [
        ['planted form _csrf', 4],
        ['planted key', 5],
        ['planted password', 3],
        ['planted token', 2],
      ]);
      for (const l of r.leaks)
        assert.ok(
          !l.text.includes(token) && !l.text.includes(password) && !l.text.includes(csrf),
          'the report masks the secret',
        );
      assert.ok(
        !JSON.stringify(r.leaks).includes('alice-not-secret'),
        'only secret fields are recorded',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('passes a clean run, and reports a ledger that recorded nothing', async () => {
    const clean = await ledger((m) => {
      m.recordSecret(`mcpsta_${'b2'.repeat(20)}`, 'token');
      m.logRecorder('svc')('{"msg":"request","status":200}\n');
    });
    const empty = mkdtempSync(path.join(os.tmpdir(), 'mcps-ta-ledger-empty-'));
    try {
      const ok = checkRun(clean);
      assert.deepEqual([ok.leaks.length, ok.problem, ok.secrets, ok.lines], [0, undefined, 1, 1]);
      assert.match(checkRun(empty).problem ?? '', /recorded nothing, so nothing was checked/);
      assert.equal(checkRun(empty, { servicesExpected: false }).problem, undefined);
    } finally {
      rmSync(clean, { recursive: true, force: true });
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
