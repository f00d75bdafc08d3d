// Issue 14, acceptance 3: two service processes on one PostgreSQL under mixed write load, one
// killed with SIGKILL mid-run. Every acknowledged write has exactly one event, seq is gapless
// 1..n, the survivor sequences within 5 s of the kill, every checkpoint verifies, and no tree size
// ever got two different roots (every checkpoint row ever inserted is logged by a trigger).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { gaps, halfWritten } from '../support/consistency.js';
import { freshDatabase, type TestDatabase } from '../support/database.js';
import { call, ConnectionLost, issuePassport, prepareLoadSubject } from '../support/load.js';
import { freePort, spawnService, type ServiceProcess } from '../support/process.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(
  'log sequencer takeover',
  { skip: process.env.DATABASE_URL ? false : 'two processes cannot share a PGlite data directory' },
  () => {
    const dirs = [
      mkdtempSync(path.join(os.tmpdir(), 'log-a-')),
      mkdtempSync(path.join(os.tmpdir(), 'log-b-')),
    ];
    let db: TestDatabase | undefined;
    const procs: ServiceProcess[] = [];
    after(async () => {
      for (const p of procs) await p.stop('SIGKILL');
      await db?.drop();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    });

    it('keeps seq gapless and checkpoints consistent when one of two sequencing processes is SIGKILLed', async (t) => {
      db = await freshDatabase();
      await db.sql(`create table test_checkpoint_log (tree_size bigint, root_hash bytea)`);
      await db.sql(`create function test_log_checkpoint() returns trigger language plpgsql as $$
      begin insert into test_checkpoint_log values (new.tree_size, new.root_hash); return new; end $$`);
      await db.sql(
        `create trigger test_checkpoint_log after insert on log_checkpoints for each row execute function test_log_checkpoint()`,
      );
      const shared = {
        DATABASE_URL: db.url!,
        TA_KEK: randomBytes(32).toString('hex'),
        TA_ADMIN_TOKEN: randomBytes(32).toString('hex'),
        TA_NAME: 'log-takeover.example',
      };
      for (const dir of dirs) {
        const p = spawnService({ ...shared, PORT: String(await freePort()), DATA_DIR: dir });
        procs.push(p);
        await p.ready();
      }
      const [a, b] = procs as [ServiceProcess, ServiceProcess];
      const subject = await prepareLoadSubject(b.url, shared.TA_ADMIN_TOKEN);
      const publishers: string[] = [];
      const passports: string[] = [];
      let killed = false;
      let stop = false;
      const worker = async (url: string, kind: 'publisher' | 'passport') => {
        for (let i = 0; !stop; i += 1) {
          try {
            if (kind === 'publisher') {
              const r = await call(url, 'POST', '/v1/publishers', shared.TA_ADMIN_TOKEN, {
                name: `takeover ${url} ${i}`,
              });
              if (r.status === 201) publishers.push(r.json.id);
              else throw new Error(`${r.status} ${r.text}`);
            } else passports.push(await issuePassport(url, subject, `takeover-${i}`));
          } catch (err) {
            if (url === a.url && killed) return; // the killed process: no acknowledgement, nothing to keep
            if (url === a.url && err instanceof ConnectionLost) return;
            throw err;
          }
        }
      };
      const load = Promise.all([
        worker(a.url, 'publisher'),
        worker(a.url, 'passport'),
        worker(b.url, 'publisher'),
        worker(b.url, 'passport'),
      ]);
      await sleep(1500);
      killed = true;
      a.child.kill('SIGKILL');
      const killedAt = Date.now();
      // A write acknowledged by the survivor after the kill must reach a signed checkpoint within 5 s.
      const probe = await call(b.url, 'POST', '/v1/publishers', shared.TA_ADMIN_TOKEN, {
        name: 'after the kill',
      });
      assert.equal(probe.status, 201);
      publishers.push(probe.json.id);
      let takeoverMs = Infinity;
      while (Date.now() - killedAt < 10_000) {
        const [row] = await db.sql(
          `select e.seq from audit_events e where e.subject = $1 and e.seq is not null and exists (select 1 from log_checkpoints c where c.tree_size >= e.seq)`,
          [`publisher:${probe.json.id}`],
        );
        if (row) {
          takeoverMs = Date.now() - killedAt;
          break;
        }
        await sleep(50);
      }
      t.diagnostic(`write after the kill in a signed checkpoint ${takeoverMs} ms after SIGKILL`);
      assert.ok(takeoverMs <= 5000, `takeover took ${takeoverMs} ms`);
      await sleep(1500);
      stop = true;
      await load;
      t.diagnostic(`acknowledged ${publishers.length} publishers, ${passports.length} passports`);
      assert.ok(publishers.length >= 10 && passports.length >= 5);

      const verify = await call(b.url, 'GET', '/v1/audit/verify', shared.TA_ADMIN_TOKEN);
      assert.equal(verify.json.ok, true, verify.text);
      const [{ n }] = (await db.sql(
        `select count(*)::int as n from log_checkpoints where tree_size > 0`,
      )) as [{ n: number }];
      assert.equal(
        verify.json.checkpoints_checked,
        Number(n),
        'every checkpoint root recomputed from the events',
      );
      assert.equal(await b.stop(), 0, b.output());

      // Exactly one event per acknowledged write, gapless seq, nothing left unsequenced.
      const sql = (text: string) => db!.sql(text);
      assert.deepEqual(await halfWritten(sql), []);
      for (const id of publishers) {
        const rows = await db.sql(
          `select seq from audit_events where subject = $1 and action = 'publisher.created'`,
          [`publisher:${id}`],
        );
        assert.equal(rows.length, 1, `publisher ${id}`);
      }
      assert.deepEqual(
        (await db.sql(`select count(*)::int as n from audit_events where seq is null`))[0],
        { n: 0 },
      );
      const seqs = (await db.sql(`select seq from audit_events order by seq`)).map((r) =>
        Number(r.seq),
      );
      assert.deepEqual(gaps('audit seq', seqs), []);
      // No tree size was ever signed with two roots.
      const forks = await db.sql(
        `select tree_size from test_checkpoint_log group by tree_size having count(distinct root_hash) > 1`,
      );
      assert.equal(forks.length, 0, JSON.stringify(forks));
    });
  },
);
