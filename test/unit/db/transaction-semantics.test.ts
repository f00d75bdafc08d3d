// What a transaction of the database handle promises, on both databases: what it wrote commits
// together; a statement that failed fails the whole transaction even when the callback caught
// its error. On PostgreSQL (src/db/watched-transaction.ts): a connection that dies mid-transaction
// fails that transaction — the callback's next statement too, which must not run anywhere else —
// and the pool goes on with new ones. With postgres.js's own transactions that statement ran on a
// reconnected backend and the transaction never settled (seen in CI).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../../src/db/client.js';
import { publishers } from '../../../src/db/schema/index.js';
import { freshDatabase, usingPostgres, type TestDatabase } from '../../support/database.js';

const onlyPostgres = usingPostgres ? false : 'needs PostgreSQL: PGlite has no pooled connections';

describe('transactions', () => {
  let t: TestDatabase;
  let db: Database;
  let n = 0;
  const id = () => `pub_txsem_${Date.now()}_${(n += 1)}`;
  const insert = (d: Database, name: string) =>
    d.insert(publishers).values({ id: name, name, createdAt: new Date() });
  const exists = async (name: string) =>
    (await db.select().from(publishers).where(eq(publishers.id, name))).length === 1;

  before(async () => {
    t = await freshDatabase();
    db = t.handle.db;
  });
  after(async () => {
    await t.drop();
  });

  it('commits every statement of the callback, the first one included', async () => {
    const a = id();
    const b = id();
    const result = await db.transaction(async (tx) => {
      await insert(tx as unknown as Database, a);
      await insert(tx as unknown as Database, b);
      return 'done';
    });
    assert.equal(result, 'done');
    assert.ok(await exists(a));
    assert.ok(await exists(b));
  });

  // PostgreSQL rethrows the failed statement's error (as postgres.js's own transactions do);
  // PGlite refuses the COMMIT of the aborted transaction.
  it('fails when the callback caught a failed statement, and keeps nothing', async () => {
    const a = id();
    await assert.rejects(
      db.transaction(async (tx) => {
        await insert(tx as unknown as Database, a);
        await insert(tx as unknown as Database, a).catch(() => 'ignored'); // duplicate key
        return 'the callback thinks it succeeded';
      }),
      (err: { code?: string; cause?: { code?: string }; message?: string }) =>
        usingPostgres
          ? (err.code ?? err.cause?.code) === '23505'
          : /rolled back instead of committed/.test(err.message ?? ''),
    );
    assert.equal(await exists(a), false);
  });

  it('rolls back when the callback throws before any statement', async () => {
    await assert.rejects(
      db.transaction(async () => {
        throw new Error('before any statement');
      }),
      /before any statement/,
    );
    const a = id();
    await db.transaction(async (tx) => insert(tx as unknown as Database, a));
    assert.ok(await exists(a));
  });

  it(
    'a connection killed mid-transaction fails that transaction; the next ones commit',
    { skip: onlyPostgres, timeout: 30_000 },
    async () => {
      const a = id();
      const late = id();
      await assert.rejects(
        db.transaction(async (tx) => {
          await insert(tx as unknown as Database, a);
          const [row] = (await tx.execute(sql`select pg_backend_pid() as pid`)) as unknown as {
            pid: number;
          }[];
          await t.sql('select pg_terminate_backend($1)', [row!.pid]);
          // The backend is gone (its socket may not have closed yet here): this one fails.
          await new Promise((r) => setTimeout(r, 200));
          await insert(tx as unknown as Database, late);
        }),
      );
      assert.equal(await exists(a), false);
      assert.equal(await exists(late), false, 'the late statement ran outside its transaction');
      const later = Array.from({ length: 24 }, () => id());
      await Promise.all(
        later.map((x) => db.transaction(async (tx) => insert(tx as unknown as Database, x))),
      );
      for (const x of later) assert.ok(await exists(x), x);
      const open = await t.sql(
        "select pid, state, query from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'",
      );
      assert.equal(
        open.length,
        0,
        `a backend was left inside a transaction: ${JSON.stringify(open)}`,
      );
    },
  );

  it(
    'a transaction begun after the pool was closed fails instead of waiting',
    { skip: onlyPostgres, timeout: 10_000 },
    async () => {
      const other = await t.openAnother();
      await other.close();
      await assert.rejects(
        other.db.transaction(async (tx) => insert(tx as unknown as Database, id())),
        /closed/,
      );
    },
  );
});
