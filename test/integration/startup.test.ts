// Acceptance (foundation) 1: the service as `npm start` runs it — a real process — serves the
// discovery document, and a restart keeps the JWKS kid and the CA certificates. How fast it
// starts is measured by `npm run bench` (cold start), not here: a timed test would fail on a
// loaded machine without telling anything about the code.
// Also: a bad setting or a wrong KEK stops start-up with a readable message.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { emptyDatabase, type TestDatabase } from '../support/database.js';
import { logRecorder, recordSecret } from '../support/secrets-ledger.js';
import { entryArgs, NODE_FLAGS } from '../support/process.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** A bound on waiting, not a performance claim. */
const START_TIMEOUT_MS = 60_000;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

interface Proc {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startProcess(env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [...NODE_FLAGS, ...entryArgs('src/main.ts')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  recordSecret(env.TA_ADMIN_TOKEN, 'TA_ADMIN_TOKEN of a start-up test process');
  recordSecret(env.TA_KEK, 'TA_KEK of a start-up test process');
  const recordLog = logRecorder('startup-process');
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
    recordLog(d);
  });
  child.stderr!.on('data', (d) => {
    out += d;
    recordLog(d);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function waitForDiscovery(url: string, proc: Proc, ms: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    if (proc.child.exitCode !== null) throw new Error(`service exited: ${proc.output()}`);
    try {
      const res = await fetch(`${url}/.well-known/mcps-trust-authority`);
      if (res.status === 200) return Date.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no discovery document within ${ms} ms: ${proc.output()}`);
}

async function stop(proc: Proc): Promise<void> {
  proc.child.kill('SIGTERM');
  await proc.exited;
}

describe('start-up as `npm start` runs it', () => {
  const cleanup: Array<() => Promise<void> | void> = [];
  after(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it('serves discovery and keeps kid and CA certificates across a restart', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mcps-ta-start-'));
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    let db: TestDatabase | undefined;
    const env: Record<string, string> = { DATA_DIR: dataDir, LOG_LEVEL: 'info' };
    if (process.env.DATABASE_URL) {
      db = await emptyDatabase();
      cleanup.push(() => db!.drop());
      env.DATABASE_URL = db.url!;
    }
    const port = await freePort();
    env.PORT = String(port);
    const url = `http://127.0.0.1:${port}`;

    const first = startProcess(env);
    cleanup.push(() => void first.child.kill('SIGKILL'));
    await waitForDiscovery(url, first, START_TIMEOUT_MS);
    const jwks1 = await (await fetch(`${url}/v1/trust/jwks`)).json();
    const ca1 = await (await fetch(`${url}/v1/trust/ca.pem`)).text();
    assert.match(first.output(), /TA_KEK is not set/);
    await stop(first);
    // Without TA_KEK a key-encryption key is generated into DATA_DIR, readable by the owner only.
    assert.equal(statSync(path.join(dataDir, 'kek')).mode & 0o777, 0o600);

    const second = startProcess(env);
    cleanup.push(() => void second.child.kill('SIGKILL'));
    await waitForDiscovery(url, second, START_TIMEOUT_MS);
    const jwks2 = await (await fetch(`${url}/v1/trust/jwks`)).json();
    const ca2 = await (await fetch(`${url}/v1/trust/ca.pem`)).text();
    assert.deepEqual(jwks2, jwks1);
    assert.equal(ca2, ca1);
    await stop(second);
    assert.ok(!first.output().includes('PRIVATE KEY') && !second.output().includes('PRIVATE KEY'));
  });

  it('a wrong TA_KEK stops start-up with a clear message instead of making new keys', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mcps-ta-kek-'));
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const env: Record<string, string> = {
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      TA_KEK: randomBytes(32).toString('hex'),
    };
    if (process.env.DATABASE_URL) {
      const db = await emptyDatabase();
      cleanup.push(() => db.drop());
      env.DATABASE_URL = db.url!;
    }
    const first = startProcess(env);
    await waitForDiscovery(`http://127.0.0.1:${env.PORT}`, first, START_TIMEOUT_MS);
    await stop(first);
    const wrong = startProcess({ ...env, TA_KEK: randomBytes(32).toString('hex') });
    assert.equal(await wrong.exited, 3);
    assert.match(
      wrong.output(),
      /refusing to start: the key-encryption key does not match the stored keys/,
    );
  });

  it('a busy port ends start-up with the start-up error and exit code 1, not an unhandled error event', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mcps-ta-busy-'));
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise<void>((resolve) => busy.close(() => resolve())));
    const env: Record<string, string> = {
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: String((busy.address() as net.AddressInfo).port),
    };
    if (process.env.DATABASE_URL) {
      const db = await emptyDatabase();
      cleanup.push(() => db.drop());
      env.DATABASE_URL = db.url!;
    }
    const proc = startProcess(env);
    assert.equal(await proc.exited, 1, proc.output());
    assert.match(proc.output(), /start-up failed/);
    assert.match(proc.output(), /cannot listen on 127\.0\.0\.1:\d+: .*EADDRINUSE/);
    assert.doesNotMatch(proc.output(), /Unhandled 'error' event/);
  });

  it('bad settings stop start-up with one message listing every bad field', async () => {
    const proc = startProcess({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://nope',
      LOG_LEVEL: 'chatty',
    });
    assert.equal(await proc.exited, 2);
    const out = proc.output();
    assert.match(out, /Invalid configuration:/);
    for (const key of ['PORT', 'DATABASE_URL', 'LOG_LEVEL'])
      assert.match(out, new RegExp(`- ${key}:`));
  });
});
