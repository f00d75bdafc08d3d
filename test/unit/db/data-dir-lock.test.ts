// The exclusive lock on a PGlite data directory: one holder at a time, released on close, a
// file left by a dead holder taken over, a holder on another host respected.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import {
  acquireDataDirLock,
  DataDirLockedError,
  LOCK_FILE,
} from '../../../src/db/data-dir-lock.js';

describe('data directory lock', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const tempDir = () => {
    const d = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'mcps-ta-lock-')));
    dirs.push(d);
    return d;
  };

  it('refuses a second holder, naming the first, until the first releases', async () => {
    const dir = tempDir();
    const first = await acquireDataDirLock(dir, 'service');
    const holder = JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8'));
    assert.equal(holder.pid, process.pid);
    await assert.rejects(acquireDataDirLock(dir, 'cli'), (err: unknown) => {
      assert.ok(err instanceof DataDirLockedError);
      assert.equal(err.holder?.role, 'service');
      assert.equal(err.holder?.pid, process.pid);
      assert.match(err.message, /is in use by service pid \d+ on /);
      return true;
    });
    await first.release();
    assert.ok(!existsSync(path.join(dir, LOCK_FILE)));
    const second = await acquireDataDirLock(dir, 'cli');
    await second.release();
  });

  it('takes over a lock file whose holder on this host is dead', async () => {
    const dir = tempDir();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(
      path.join(dir, LOCK_FILE),
      JSON.stringify({ pid: dead, host: os.hostname(), role: 'service', started_at: 'x' }),
    );
    const lock = await acquireDataDirLock(dir, 'cli');
    assert.equal(JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8')).pid, process.pid);
    await lock.release();
  });

  it('respects a lock file written by a holder on another host (a shared volume)', async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, LOCK_FILE),
      JSON.stringify({ pid: 1, host: 'other-container', role: 'service', started_at: 'x' }),
    );
    await assert.rejects(
      acquireDataDirLock(dir, 'cli'),
      /in use by service pid 1 on other-container/,
    );
    // The refusal leaves the other host's file in place.
    assert.equal(
      JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8')).host,
      'other-container',
    );
  });
});
