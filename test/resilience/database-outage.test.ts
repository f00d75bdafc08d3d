// Issue 8: stop PostgreSQL during load — requests get 503 problem documents, the process stays
// up, and it recovers by itself when PostgreSQL is back. Runs in the PostgreSQL pass of the suite
// (DATABASE_URL set) on a cluster of its own, so stopping it disturbs no other test.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { freePort, spawnService, type ServiceProcess } from '../support/process.js';

const SCRIPT = path.resolve(import.meta.dirname, '../../scripts/pg-throwaway.sh');
const pg = (...args: string[]) =>
  execFileSync('bash', [SCRIPT, ...args], { encoding: 'utf8' }).trim();

describe(
  'database outage',
  { skip: process.env.DATABASE_URL ? false : 'runs in the PostgreSQL pass (DATABASE_URL set)' },
  () => {
    const pgDir = mkdtempSync(path.join(os.tmpdir(), 'outage-pg-'));
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'outage-ta-'));
    let service: ServiceProcess | undefined;
    after(async () => {
      await service?.stop('SIGKILL');
      pg('stop', pgDir);
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('answers 503 while PostgreSQL is down, stays up, and recovers by itself', async () => {
      const pgPort = await freePort();
      const url = pg('start', pgDir, String(pgPort));
      const adminToken = randomBytes(32).toString('hex');
      service = spawnService({
        PORT: String(await freePort()),
        DATA_DIR: dataDir,
        DATABASE_URL: url,
        TA_ADMIN_TOKEN: adminToken,
        TA_KEK: randomBytes(32).toString('hex'),
      });
      await service.ready();
      const auth = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
      // A refused connection means no process listens any more: say what the service logged.
      const hit = async (i: number) => {
        const res = await fetch(`${service!.url}/v1/publishers`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({ name: `outage-${i}` }),
        }).catch((err: Error) => {
          throw new Error(
            `${err.message} (${(err.cause as Error | undefined)?.message}); service exit code ${service!.child.exitCode}; its log:\n${service!.output()}`,
          );
        });
        return {
          status: res.status,
          type: res.headers.get('content-type') ?? '',
          body: await res.text(),
        };
      };
      assert.equal((await hit(0)).status, 201);

      pg('pause', pgDir);
      const during = await Promise.all(Array.from({ length: 20 }, (_, i) => hit(100 + i)));
      for (const r of during) {
        assert.equal(r.status, 503, r.body);
        assert.match(r.type, /application\/problem\+json/);
        assert.equal(JSON.parse(r.body).code, 'service-unavailable');
      }
      assert.equal((await fetch(`${service.url}/readyz`)).status, 503);
      assert.equal((await fetch(`${service.url}/healthz`)).status, 200);
      assert.equal(service.child.exitCode, null, 'the process stays up');

      pg('resume', pgDir, String(pgPort));
      const deadline = Date.now() + 30_000;
      let recovered = false;
      for (let i = 0; Date.now() < deadline; i += 1) {
        const r = await hit(1000 + i);
        assert.ok(r.status === 201 || r.status === 503, `unexpected ${r.status} ${r.body}`);
        if (r.status === 201) {
          recovered = true;
          break;
        }
        await new Promise((res) => setTimeout(res, 200));
      }
      assert.ok(recovered, 'requests succeed again without a restart');
      assert.equal((await fetch(`${service.url}/readyz`)).status, 200);
      const verify = await fetch(`${service.url}/v1/audit/verify`, { headers: auth });
      assert.equal((await verify.json()).ok, true);
    });
  },
);
