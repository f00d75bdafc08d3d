// A transaction takes its locks in the order of the lock table (src/locks.ts, docs/locks.md): the
// helper every acquisition goes through refuses one out of order before any SQL is sent, and
// the transaction rolls back. Runs on either database (the check is the helper's, not the lock's).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { systemClock } from '../../../src/clock.js';
import { createPersistence } from '../../../src/db/persistence.js';
import { HeldLocks, LockOrderError } from '../../../src/locks.js';
import type { Persistence } from '../../../src/stores.js';
import { freshDatabase, type TestDatabase } from '../../support/database.js';

describe('locks are taken in the order of the lock table', () => {
  let t: TestDatabase;
  let p: Persistence;
  before(async () => {
    t = await freshDatabase();
    p = createPersistence(t.handle.db, systemClock);
  });
  after(async () => {
    await t.drop();
  });

  it('takes locks by increasing rank, and a lock already held again at any time', async () => {
    const held = await p.transact(async (s) => {
      await s.locks.acquire('authority-keys');
      await s.locks.acquireFor('subject-key', 'a');
      await s.locks.acquireFor('subject-key', 'b');
      await s.log.lock();
      await s.locks.acquire('revocation-feed');
      await s.locks.acquire('authority-keys'); // held: nothing to take
      await s.locks.acquire('revocation-feed');
      return 'committed';
    });
    assert.equal(held, 'committed');
  });

  it('refuses a lock of a lower rank than one held, naming both, and rolls back', async () => {
    let wrote = false;
    await assert.rejects(
      p.transact(async (s) => {
        await s.locks.acquire('revocation-feed');
        await s.publishers.insert({
          id: 'pub_lock_order',
          name: 'lock order',
          createdAt: new Date(),
        });
        wrote = true;
        await s.locks.acquire('authority-keys');
      }),
      (err: Error) => {
        assert.ok(err instanceof LockOrderError);
        assert.match(err.message, /'authority-keys' \(rank 10\) asked for while this transaction/);
        assert.match(err.message, /holds 'revocation-feed' \(rank 70\)/);
        assert.match(err.message, /docs\/locks\.md/);
        return true;
      },
    );
    assert.ok(wrote);
    assert.equal(await p.stores.publishers.findById('pub_lock_order'), undefined, 'rolled back');
  });

  it('refuses a keyed lock whose id is below one of the same lock held', async () => {
    await assert.rejects(
      p.transact(async (s) => {
        await s.locks.acquireFor('subject-key', 'kid-b');
        await s.locks.acquireFor('subject-key', 'kid-a');
      }),
      /lock order: 'subject-key' \(kid-a\) \(rank 30\) .* holds 'subject-key' \(kid-b\)/,
    );
  });

  it('checks the sequencer lock the log store takes like any other', async () => {
    await assert.rejects(
      p.transact(async (s) => {
        assert.equal(await s.log.tryLock(), true);
        await s.locks.acquireFor('subject-key', 'kid');
      }),
      LockOrderError,
    );
    await assert.rejects(
      p.transact(async (s) => {
        await s.locks.acquire('revocation-feed');
        await s.log.lock();
      }),
      /'log-sequencer' \(rank 60\) asked for while this transaction holds 'revocation-feed'/,
    );
  });

  it('gives the stores bound to no transaction no lock at all', async () => {
    await assert.rejects(p.stores.log.lock(), /advisory locks need a transaction/);
    await assert.rejects(p.stores.log.tryLock(), /advisory locks need a transaction/);
  });

  it('keeps the order per transaction: a retry and the next transaction start from nothing', async () => {
    await p.transact(async (s) => s.locks.acquire('revocation-feed'));
    await p.transact(async (s) => s.locks.acquire('authority-keys'));
    const held = new HeldLocks();
    assert.equal(held.admit('crl-publication'), true);
    held.add('crl-publication');
    assert.equal(held.admit('crl-publication'), false);
    assert.throws(() => held.admit('bootstrap-token'), LockOrderError);
    assert.deepEqual(held.list(), ["'crl-publication'"]);
  });
});
