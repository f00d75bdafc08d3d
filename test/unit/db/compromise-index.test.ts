// The key-compromise check made before every issuance reads only keyCompromise rows: its partial
// indexes (migration 0008) serve the statement exactly as the store sends it, with the generic
// plan a prepared statement ends up with. Without them the check read every certificate or
// passport of the key — a key renewed N times made each issuance O(N) (measured: 1.07 ms per
// check after 2,400 certificates of one key, the largest PostgreSQL cost of an issuance).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PgDialect } from 'drizzle-orm/pg-core';
import { compromisedKeyQuery } from '../../../src/db/stores/revocation-store.js';
import { freshDatabase, type TestDatabase } from '../../support/database.js';

describe('the key-compromise check uses its partial indexes', () => {
  let t: TestDatabase;
  before(async () => {
    t = await freshDatabase();
    // The plan a prepared statement settles on, and no table scan where an index would do.
    await t.sql('set plan_cache_mode = force_generic_plan');
    await t.sql('set enable_seqscan = off');
  });
  after(async () => {
    await t.drop();
  });

  it('passports_kid_compromised_idx and certificates_key_compromised_idx, in one statement', async () => {
    const { sql: text, params } = new PgDialect().sqlToQuery(compromisedKeyQuery('a-thumbprint'));
    assert.equal(params.length, 2);
    await t.sql(`prepare check_key as ${text}`);
    const plan = (await t.sql(`explain execute check_key('a-thumbprint', 'a-thumbprint')`))
      .map((r) => String(Object.values(r)[0]))
      .join('\n');
    for (const index of ['passports_kid_compromised_idx', 'certificates_key_compromised_idx'])
      assert.match(plan, new RegExp(`\\b${index}\\b`), plan);
  });
});
