// Issue 14, acceptance 2 (client side): `npm run ta -- verify log --from CHECKPOINT.json` accepts a
// log that only grew since the checkpoint a client kept, and rejects one whose history was
// rewritten (an event changed and the tree rebuilt and re-signed by the TA's own keys) or rolled back.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { verifyCli, verifyCommand } from '../support/trust-kit.js';
import { startTestService, type TestService } from '../support/service.js';

describe('verify log --from a kept checkpoint', () => {
  let ta: TestService;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'verify-log-'));
  const file = (name: string) => path.join(dir, name);
  const addEvents = async (n: number) => {
    for (let i = 0; i < n; i += 1)
      assert.equal(
        (
          await ta.request('POST', '/v1/publishers', {
            token: ta.adminToken,
            body: { name: `vlog ${Date.now()} ${i}` },
          })
        ).status,
        201,
      );
    await ta.log.flush();
  };
  before(async () => {
    ta = await startTestService({ listen: true });
    writeFileSync(
      file('anchors.json'),
      JSON.stringify((await ta.request('GET', '/v1/trust/anchors')).json),
    );
    await addEvents(5);
    writeFileSync(
      file('kept.json'),
      JSON.stringify((await ta.request('GET', '/v1/log/checkpoint')).json),
    );
  });
  after(async () => {
    await ta.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const args = (from: string) => [
    'log',
    '--from',
    file(from),
    '--ta',
    ta.url,
    '--anchors',
    file('anchors.json'),
  ];

  it('accepts a log that grew, and saves the newest checkpoint with --out (the real command)', async () => {
    await addEvents(7);
    const r = await verifyCommand([
      ...args('kept.json'),
      '--out',
      file('newest.json'),
      '--cache',
      file('cache-a'),
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^OK log \S+ at size \d+ extends the checkpoint kept at size \d+/);
  });

  it('rejects a forged checkpoint file (exit 50)', async () => {
    const kept = JSON.parse(JSON.stringify((await ta.request('GET', '/v1/log/checkpoint')).json));
    kept.tree_size += 1;
    writeFileSync(file('forged.json'), JSON.stringify(kept));
    const r = await verifyCli([...args('forged.json'), '--cache', file('cache-b')]);
    assert.equal(r.code, 50, r.stderr);
  });

  it('rejects the log once an event was changed and the tree rebuilt and re-signed (exit 52)', async () => {
    // An operator with database access rewrites history: edits event 3, drops the tree and the
    // checkpoints and has the sequencer build and sign them again from the edited rows.
    await ta.log.stop();
    await ta.db.sql(
      `update audit_events set data = data || '{"rewritten":true}'::jsonb where seq = 3`,
    );
    await ta.db.sql(`delete from log_checkpoints`);
    await ta.db.sql(`delete from log_tree_nodes`);
    await ta.db.sql(`update audit_events set seq = null`);
    await ta.log.flush();
    const head = (await ta.request('GET', '/v1/log/checkpoint')).json;
    assert.ok(head.tree_size >= 12);
    // The rebuilt log verifies on its own terms…
    assert.equal(
      (await ta.request('GET', '/v1/audit/verify', { token: ta.adminToken })).json.ok,
      true,
    );
    // …but not against what the client kept.
    const r = await verifyCli([...args('kept.json'), '--cache', file('cache-c')]);
    assert.equal(r.code, 52, r.stdout + r.stderr);
    assert.match(r.stderr, /log-inconsistent/);
  });
});
