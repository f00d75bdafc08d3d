// The key-compromise check made before every issuance reads only keyCompromise rows: its partial
// index (migration 0008) serves the statement exactly as the store prepares it, with the generic
// plan a prepared statement ends up with. Without it the check read every certificate or
// passport of the key — a key renewed N times made each issuance O(N) (measured: 1.07 ms per
// check after 2,400 certificates of one key, the largest PostgreSQL cost of an issuance).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { compromisedCertificatesQuery } from '../../../src/db/stores/certificate-store.js';
import { compromisedPassportsQuery } from '../../../src/db/stores/passport-store.js';
import { freshDatabase, type TestDatabase } from '../../support/database.js';

describe('the key-compromise check uses its partial index', () => {
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

  const cases = [
    ['certificates', compromisedCertificatesQuery, 'certificates_key_compromised_idx'],
    ['passports', compromisedPassportsQuery, 'passports_kid_compromised_idx'],
  ] as const;
  for (const [table, query, index] of cases) {
    it(`${table}: ${index}`, async () => {
      const text = query(t.handle.db).toSQL().sql;
      const name = `check_${table}`;
      await t.sql(`prepare ${name} as ${text}`);
      const plan = (await t.sql(`explain execute ${name}('a-thumbprint', 1)`))
        .map((r) => String(Object.values(r)[0]))
        .join('\n');
      assert.match(plan, new RegExp(`\\b${index}\\b`), plan);
    });
  }
});
