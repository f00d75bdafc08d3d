// Issue 14, migration: events sequenced before the tree existed (the old hash chain: seq, prev_hash
// and hash set, no leaves, no checkpoints) become the first leaves, in seq order, at the next start.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startTestService } from '../support/service.js';

describe('log migration from the hash chain', () => {
  it('turns chained events without leaves into the first leaves at start-up, then appends new ones', async () => {
    const first = await startTestService();
    for (let i = 0; i < 25; i += 1)
      await first.request('POST', '/v1/publishers', {
        token: first.adminToken,
        body: { name: `old ${i}` },
      });
    await first.log.flush();
    await first.close();
    // As the database looked before the log: every event chained and numbered, no tree.
    await first.db.sql('delete from log_checkpoints');
    await first.db.sql('delete from log_tree_nodes');
    const [{ n }] = (await first.db.sql(
      'select count(*)::int as n from audit_events where seq is not null',
    )) as [{ n: number }];
    const chain = await first.db.sql('select seq, hash from audit_events order by seq');

    const second = await startTestService({
      db: first.db,
      kek: first.kek,
      adminToken: first.adminToken,
    });
    try {
      const cp = (await second.request('GET', '/v1/log/checkpoint')).json;
      assert.ok(cp.tree_size >= Number(n), `${cp.tree_size} ≥ ${n}`);
      // The old events keep their seq and chain hash.
      const after = await second.db.sql(
        `select seq, hash from audit_events where seq <= ${Number(n)} order by seq`,
      );
      assert.deepEqual([...after], [...chain].slice(0, Number(n)));
      assert.equal(
        (
          await second.request('POST', '/v1/publishers', {
            token: second.adminToken,
            body: { name: 'new' },
          })
        ).status,
        201,
      );
      const v = (await second.request('GET', '/v1/audit/verify', { token: second.adminToken }))
        .json;
      assert.equal(v.ok, true, JSON.stringify(v));
      assert.ok(v.head_seq > Number(n));
    } finally {
      await second.stop();
    }
  });
});
