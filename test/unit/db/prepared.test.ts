// preparedOnce (src/db/prepared.ts): a query prepared once runs on the handle it is given — the
// root database or a transaction, whose rollback then takes the row with it — and on several
// database handles in one process. Fails if drizzle stops holding its client where this expects.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import type { Database, DatabaseHandle } from '../../../src/db/client.js';
import { preparedOnce } from '../../../src/db/prepared.js';
import { publishers } from '../../../src/db/schema/index.js';
import { freshDatabase, type TestDatabase } from '../../support/database.js';

const insertPublisher = preparedOnce((db) =>
  db
    .insert(publishers)
    .values({
      id: sql.placeholder('id'),
      name: sql.placeholder('name'),
      createdAt: sql.placeholder('createdAt'),
    })
    .prepare('test_insert_publisher'),
);
const count = async (db: Database, id: string) =>
  (await db.select().from(publishers).where(eq(publishers.id, id))).length;

describe('preparedOnce', () => {
  const handles: DatabaseHandle[] = [];
  const dbs: TestDatabase[] = [];
  before(async () => {
    // Two databases, each with its own handle (two PGlite instances, or two PostgreSQL databases).
    for (let i = 0; i < 2; i += 1) {
      const db = await freshDatabase();
      dbs.push(db);
      handles.push(db.handle);
    }
  });
  after(async () => {
    for (const db of dbs) await db.drop();
  });

  it('runs on each root handle', async () => {
    for (const [i, h] of handles.entries()) {
      const id = `pub_prep_root_${i}_${Date.now()}`;
      await insertPublisher(h.db).execute({ id, name: id, createdAt: new Date() });
      assert.equal(await count(h.db, id), 1);
    }
  });

  it('runs inside a transaction, on its connection: a rollback takes the row', async () => {
    const h = handles[0]!;
    const kept = `pub_prep_tx_kept_${Date.now()}`;
    const rolledBack = `pub_prep_tx_gone_${Date.now()}`;
    await h.db.transaction(async (tx) => {
      await insertPublisher(tx as unknown as Database).execute({
        id: kept,
        name: kept,
        createdAt: new Date(),
      });
    });
    await assert.rejects(
      h.db.transaction(async (tx) => {
        await insertPublisher(tx as unknown as Database).execute({
          id: rolledBack,
          name: rolledBack,
          createdAt: new Date(),
        });
        assert.equal(await count(tx as unknown as Database, rolledBack), 1, 'visible inside');
        throw new Error('roll back');
      }),
      /roll back/,
    );
    assert.equal(await count(h.db, kept), 1);
    assert.equal(await count(h.db, rolledBack), 0);
  });
});
