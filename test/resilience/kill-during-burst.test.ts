// Issue 8: kill -9 the service during a burst of audited writes, restart it: the audit chain
// verifies, every write that got a 2xx is present, and nothing is half-written (each record has
// exactly its audit event and each event its record). Runs on PGlite and on PostgreSQL.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { emptyDatabase, type TestDatabase } from '../support/database.js';
import { freePort, spawnService, type ServiceProcess } from '../support/process.js';

describe('kill -9 during a burst', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kill9-'));
  let db: TestDatabase | undefined;
  const procs: ServiceProcess[] = [];
  after(async () => {
    for (const p of procs) await p.stop('SIGKILL');
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged write and a verifiable audit chain', async () => {
    const env: Record<string, string> = {
      PORT: String(await freePort()),
      DATA_DIR: dataDir,
      TA_ADMIN_TOKEN: randomBytes(32).toString('hex'),
      TA_KEK: randomBytes(32).toString('hex'),
    };
    if (process.env.DATABASE_URL) {
      db = await emptyDatabase();
      env.DATABASE_URL = db.url!;
    }
    const first = spawnService(env);
    procs.push(first);
    await first.ready();
    const headers = { authorization: `Bearer ${env.TA_ADMIN_TOKEN}`, 'content-type': 'application/json' };

    const acknowledged: Array<{ kind: 'publisher' | 'token'; id: string; publisherId: string }> = [];
    let stop = false;
    const worker = async (w: number) => {
      for (let i = 0; !stop; i += 1) {
        try {
          const p = await fetch(`${first.url}/v1/publishers`, { method: 'POST', headers, body: JSON.stringify({ name: `burst-${w}-${i}` }) });
          if (p.status !== 201) continue;
          const pub = (await p.json()) as { id: string };
          acknowledged.push({ kind: 'publisher', id: pub.id, publisherId: pub.id });
          const t = await fetch(`${first.url}/v1/publishers/${pub.id}/tokens`, { method: 'POST', headers, body: JSON.stringify({ role: 'publisher' }) });
          if (t.status === 201) acknowledged.push({ kind: 'token', id: ((await t.json()) as { id: string }).id, publisherId: pub.id });
        } catch {
          return; // the process died under us: expected
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));
    // Kill once a fair number of writes are in flight.
    while (acknowledged.length < 40) await new Promise((r) => setTimeout(r, 20));
    first.child.kill('SIGKILL');
    await first.exited;
    stop = true;
    await Promise.all(workers);
    assert.ok(acknowledged.length >= 40);

    const second = spawnService(env);
    procs.push(second);
    await second.ready();
    const get = async (p: string) => (await fetch(`${second.url}${p}`, { headers })).json() as Promise<any>;

    const verify = await get('/v1/audit/verify');
    assert.equal(verify.ok, true, JSON.stringify(verify));

    for (const a of acknowledged.filter((x) => x.kind === 'publisher')) {
      assert.equal((await fetch(`${second.url}/v1/publishers/${a.id}`, { headers })).status, 200, `publisher ${a.id} acknowledged but missing`);
    }
    for (const a of acknowledged.filter((x) => x.kind === 'token')) {
      const tokens = await get(`/v1/publishers/${a.publisherId}/tokens`);
      assert.ok(tokens.items.some((t: { id: string }) => t.id === a.id), `token ${a.id} acknowledged but missing`);
    }

    // No half-written record: publishers and their audit events match one to one.
    const events: Array<{ action: string; subject: string }> = [];
    for (let after = 0; ; ) {
      const page = await get(`/v1/audit?after=${after}&limit=1000`);
      events.push(...page.items);
      if (page.next_after === null) break;
      after = page.next_after;
    }
    const publishers: string[] = [];
    for (let cursor: string | null = ''; cursor !== null; ) {
      const page = await get(`/v1/publishers?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
      publishers.push(...page.items.map((p: { id: string }) => p.id));
      cursor = page.next_cursor;
    }
    const audited = events.filter((e) => e.action === 'publisher.created').map((e) => e.subject.replace('publisher:', ''));
    assert.deepEqual([...audited].sort(), [...publishers].sort());
    await second.stop();
  });
});
