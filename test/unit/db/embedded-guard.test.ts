// On the embedded database a read through the unbound stores, or a second transaction, awaited
// from inside a transaction's callback used to wait forever (one connection, one transaction at
// a time). Now it rejects with a message that says what to do; reads of other requests while a
// transaction runs still just wait their turn.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { systemClock } from '../../../src/clock.js';
import { EmbeddedDeadlockError } from '../../../src/db/embedded-guard.js';
import { createPersistence } from '../../../src/db/persistence.js';
import type { Persistence } from '../../../src/stores.js';
import { freshDatabase, usingPostgres, type TestDatabase } from '../../support/database.js';

/** Rejects when `promise` has not settled within `ms` (the hang this guards against). */
const within = <T>(promise: Promise<T>, ms = 5_000) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms).unref(),
    ),
  ]);

describe('the embedded database refuses what would wait for its own transaction forever', () => {
  let t: TestDatabase;
  let p: Persistence;
  before(async () => {
    t = await freshDatabase();
    p = createPersistence(t.handle.db, systemClock);
  });
  after(async () => {
    await t.drop();
  });

  it('rejects an unbound read awaited inside transact, naming the store and the way out', async (ctx) => {
    if (usingPostgres)
      return ctx.skip('PostgreSQL serves the unbound read on another connection: no hang');
    // The reproduction that hung before:
    const hang = p.transact(async () => {
      return p.stores.publishers.count();
    });
    await assert.rejects(within(hang), (err: Error) => {
      assert.ok(err instanceof EmbeddedDeadlockError);
      assert.match(
        err.message,
        /reading Persistence\.stores\.publishers\.count\(\) inside a transaction's callback/,
      );
      assert.match(err.message, /wait for that transaction forever/);
      assert.match(err.message, /p\.transact\(async \(s\) =>/);
      return true;
    });
  });

  it('rejects a transaction started inside another one, and through a second Persistence too', async (ctx) => {
    if (usingPostgres)
      return ctx.skip('PostgreSQL runs the inner transaction on another connection');
    await assert.rejects(
      within(p.transact(async () => p.transact(async (s) => s.publishers.count()))),
      /starting a transaction inside/,
    );
    const other = createPersistence(t.handle.db, systemClock);
    await assert.rejects(
      within(p.transact(async () => other.stores.publishers.count())),
      EmbeddedDeadlockError,
    );
  });

  it('still serves unbound reads of other requests while a transaction runs, and after it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const tx = p.transact(async (s) => {
      await s.publishers.insert({ id: 'pub_guard', name: 'guard', createdAt: new Date() });
      entered();
      await gate;
      // Work the callback starts but does not wait for runs on after it returns.
      return {
        count: await s.publishers.count(),
        later: new Promise((r) => setTimeout(r, 0)).then(() => p.stores.publishers.count()),
      };
    });
    await inside;
    const meanwhile = p.stores.publishers.count(); // another request: waits its turn on PGlite
    release();
    const { count, later } = await within(tx);
    assert.equal(count, 1);
    const seen = await within(meanwhile);
    // PGlite serialises it after the commit; PostgreSQL answers it at once, from another connection.
    if (usingPostgres) assert.ok(seen === 0 || seen === 1);
    else assert.equal(seen, 1);
    assert.equal(await within(later), 1);
    assert.equal(await p.stores.publishers.count(), 1);
  });
});
