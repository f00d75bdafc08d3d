// The revocation seq is 1, 2, 3, … with no gaps (issue 8): a revocation whose transaction rolls
// back leaves its number to the next one, also when many commit and roll back at once across two
// connections (PostgreSQL; on PGlite the same test runs serialised). A PostgreSQL sequence would
// skip the rolled-back numbers, and after a crash skip up to 32 more.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createPersistence } from '../../src/db/persistence.js';
import {
  recordRevocation,
  recordRevocations,
  type NewRevocation,
} from '../../src/revocation/revocation.js';
import type { Persistence } from '../../src/stores.js';
import { gaps } from '../support/consistency.js';
import { startTestService, type TestService } from '../support/service.js';

const entry = (subject: string): NewRevocation => ({
  kind: 'manifest',
  subject: `sha256:${subject.padStart(64, '0')}`,
  reason: 'test',
  revokedAt: new Date(),
  data: {},
});

class Rollback extends Error {}

describe('revocation seq', () => {
  let ta: TestService;
  let other: Persistence;
  before(async () => {
    ta = await startTestService();
    other = createPersistence((await ta.db.openAnother()).db, ta.persistence.clock);
  });
  after(async () => ta.stop());

  const seqs = async () =>
    (await ta.db.sql('select seq from revocations order by seq')).map((r) => Number(r.seq));

  it('a rolled-back revocation leaves no gap: the next one takes its number', async () => {
    const p = ta.persistence;
    const first = await p.transact((s) => recordRevocation(s, entry('1')));
    await assert.rejects(
      p.transact(async (s) => {
        await recordRevocation(s, entry('2'));
        throw new Rollback();
      }),
      Rollback,
    );
    const next = await p.transact((s) => recordRevocation(s, entry('3')));
    assert.equal(next.seq, first.seq + 1);
    const many = await p.transact((s) =>
      recordRevocations(s, [entry('4'), entry('5'), entry('6')]),
    );
    assert.deepEqual(
      many.map((r) => r.seq),
      [next.seq + 1, next.seq + 2, next.seq + 3],
    );
    assert.deepEqual(gaps('seq', await seqs()), []);
  });

  it('60 concurrent revocations over two connections, every third rolled back, commit as one gapless run', async () => {
    const before = (await seqs()).length;
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) =>
        (i % 2 ? other : ta.persistence).transact(async (s) => {
          const r = await recordRevocation(s, entry(`c${i}`));
          if (i % 3 === 0) throw new Rollback();
          return r;
        }),
      ),
    );
    assert.equal(
      results.filter((r) => r.status === 'rejected' && r.reason instanceof Rollback).length,
      20,
    );
    const all = await seqs();
    assert.equal(all.length, before + 40);
    assert.deepEqual(gaps('seq', all), []);
    // The feed serves the same run.
    const feed = (
      await ta.request('GET', '/v1/revocations?since=0&limit=1000')
    ).json.revocations.map((e: { seq: number }) => e.seq);
    assert.deepEqual(feed, all);
  });
});
