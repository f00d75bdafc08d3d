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

  it('a keyed lock held shared is not upgraded in the same transaction; exclusive covers shared', async () => {
    await assert.rejects(
      p.transact(async (s) => {
        await s.locks.acquireFor('subject-key', 'kid', 'shared');
        await s.locks.acquireFor('subject-key', 'kid');
      }),
      /'subject-key' \(kid\) asked for exclusive while this transaction holds it shared/,
    );
    const held = await p.transact(async (s) => {
      await s.locks.acquireFor('subject-key', 'kid');
      await s.locks.acquireFor('subject-key', 'kid', 'shared'); // held, and more
      return 'committed';
    });
    assert.equal(held, 'committed');
  });

  it(
    'shared holders of a keyed lock run side by side; an exclusive one waits for them, and a later shared one for it',
    { skip: process.env.DATABASE_URL ? false : 'needs PostgreSQL: PGlite has one connection' },
    async () => {
      const order: string[] = [];
      let releaseShared!: () => void;
      const sharedHeld = new Promise<void>((r) => (releaseShared = r));
      let bothIn!: () => void;
      const both = new Promise<void>((r) => (bothIn = r));
      let inside = 0;
      const certify = (name: string) =>
        p.transact(async (s) => {
          await s.locks.acquireFor('subject-key', 'kid-shared', 'shared');
          order.push(`${name} in`);
          if ((inside += 1) === 2) bothIn();
          await sharedHeld;
          order.push(`${name} out`);
        });
      const a = certify('a');
      const b = certify('b');
      await both; // both inside at once: neither waited for the other
      const revoke = p.transact(async (s) => {
        await s.locks.acquireFor('subject-key', 'kid-shared');
        order.push('revoke in');
        await new Promise((r) => setTimeout(r, 200));
        order.push('revoke out');
      });
      await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(order, ['a in', 'b in'], 'the exclusive holder waits');
      releaseShared();
      await Promise.all([a, b]);
      await new Promise((r) => setTimeout(r, 50)); // the revocation now holds it
      const late = certify('c'); // arrives while the exclusive holder is in
      inside = 0;
      await Promise.all([revoke, late]);
      assert.deepEqual(order.slice(2, 4).sort(), ['a out', 'b out']);
      assert.deepEqual(order.slice(4), ['revoke in', 'revoke out', 'c in', 'c out']);
    },
  );
});
