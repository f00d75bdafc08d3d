// `npm run ta -- create-admin-user`: reads the password from stdin or --password-file, never
// echoes it, stores only a scrypt hash, audits the creation; the account can then sign in.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { signIn } from '../../src/admin/sign-in.js';
import { systemClock } from '../../src/clock.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { createPersistence } from '../../src/db/persistence.js';
import { freshDatabase, usingPostgres, type TestDatabase } from '../support/database.js';

const PASSWORD = 'a long and secret passphrase';

function runCli(args: string[], env: Record<string, string>, stdin: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('create-admin-user (CLI)', () => {
  let dir: string;
  let env: Record<string, string>;
  let pg: TestDatabase | undefined;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'mcps-ta-cli-'));
    if (usingPostgres) {
      pg = await freshDatabase();
      env = { DATABASE_URL: pg.url! };
    } else {
      env = { DATA_DIR: dir };
    }
  });
  after(async () => {
    await pg?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function withDb<T>(fn: (h: DatabaseHandle) => Promise<T>): Promise<T> {
    const h = await openDatabase(usingPostgres ? { databaseUrl: pg!.url } : { dataDir: dir });
    try {
      return await fn(h);
    } finally {
      await h.close();
    }
  }

  it('creates an account from a piped password without printing it; the account signs in; audited as cli', async () => {
    const res = await runCli(['create-admin-user', '--username', 'Ops'], env, `${PASSWORD}\n`);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /created admin user ops \(adm_[0-9a-f]{32}\)/);
    assert.ok(!res.stdout.includes(PASSWORD) && !res.stderr.includes(PASSWORD), 'password echoed');
    await withDb(async (h) => {
      const p = createPersistence(h.db, systemClock);
      const user = await p.stores.adminUsers.findByUsername('ops');
      assert.match(user!.passwordHash, /^\$scrypt\$ln=15,r=8,p=3\$/);
      assert.ok(!user!.passwordHash.includes(PASSWORD));
      const ok = await signIn(p, { username: 'ops', password: PASSWORD, clientAddress: 'test' });
      assert.equal(ok.outcome, 'signed-in');
      const events = await p.stores.audit.listNewest({ limit: 5, action: 'admin_user.created' });
      assert.equal(events[0]?.actor, 'cli');
      assert.equal(events[0]?.subject, 'admin_user:ops');
      assert.ok(!JSON.stringify(events).includes(PASSWORD));
    });
  });

  it('reads --password-file; refuses a short password and a taken username, naming the problem', async () => {
    const file = path.join(dir, 'pw');
    writeFileSync(file, `${PASSWORD}-2\n`);
    const ok = await runCli(['create-admin-user', '--username', 'second', '--password-file', file], env, '');
    assert.equal(ok.code, 0, ok.stderr);
    const short = await runCli(['create-admin-user', '--username', 'third'], env, 'short\n');
    assert.equal(short.code, 2);
    assert.match(short.stderr, /password: must be 12–1024 characters/);
    assert.ok(!short.stderr.includes('short\n'));
    const taken = await runCli(['create-admin-user', '--username', 'second', '--password-file', file], env, '');
    assert.equal(taken.code, 2);
    assert.match(taken.stderr, /exists/);
    const noName = await runCli(['create-admin-user'], env, PASSWORD);
    assert.equal(noName.code, 2);
    assert.match(noName.stderr, /--username is required/);
  });
});
