// Acceptance (passports) 4: on real PostgreSQL, 20 concurrent rotations of one passport — exactly
// one succeeds, the other 19 get 409. Also single use of a nonce and first use of an agent name
// under concurrency. (PGlite serialises transactions and would pass any of these by accident.)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freshDatabase } from '../support/database.js';
import {
  challenge,
  issueAgentPassport,
  newSubjectKey,
  popProof,
  rotationStatement,
} from '../support/passports.js';
import { assertRealPostgres, realPostgres, type RealPostgres } from '../support/postgres.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';

describe('passports under concurrency (PostgreSQL)', () => {
  let pg: RealPostgres | undefined;
  let ta: TestService;
  let token: string;
  before(async () => {
    pg = await realPostgres();
    ta = await startTestService({ db: await freshDatabase(pg ? { postgresUrl: pg.url } : {}) });
    token = (await createPublisherWithToken(ta, 'Racing Co')).token;
  });
  after(async () => {
    await ta?.stop();
    await pg?.stop();
  });

  it('runs on a real PostgreSQL', (t) => {
    assertRealPostgres(t, pg);
    assert.equal(ta.database.kind, pg ? 'postgres' : 'pglite');
  });

  for (let round = 1; round <= 3; round += 1) {
    it(`20 concurrent rotations of one passport: exactly one 201, nineteen 409 (round ${round})`, async () => {
      const { res, key } = await issueAgentPassport(ta, token, { name: `racer-${round}` });
      assert.equal(res.status, 201, res.text);
      const id = res.json.passport_id as string;
      const bodies = await Promise.all(
        Array.from({ length: 20 }, async () => {
          const newKey = newSubjectKey();
          const nonce = await challenge(ta, token);
          return {
            public_key: newKey.jwk,
            rotation: await rotationStatement(key, { passportId: id, newKid: newKey.kid, nonce }),
            proof: await popProof(newKey, nonce, { aud: ta.config.taName }),
          };
        }),
      );
      const results = await Promise.all(
        bodies.map((body) => ta.request('POST', `/v1/passports/${id}/rotate`, { token, body })),
      );
      const statuses = results.map((r) => r.status).sort();
      assert.deepEqual(
        statuses,
        [201, ...Array(19).fill(409)],
        results
          .filter((r) => r.status !== 201 && r.status !== 409)
          .map((r) => r.text)
          .join('\n'),
      );
      const winner = results.find((r) => r.status === 201)!;
      const rows = await ta.db.sql(
        'select passport_id, state, superseded_by from passports where lineage_id = $1 order by issued_at',
        [id],
      );
      assert.equal(rows.length, 2);
      assert.equal(rows[0]!.state, 'superseded');
      assert.equal(rows[0]!.superseded_by, winner.json.passport_id);
      const [{ n }] = (await ta.db.sql(
        `select count(*)::int as n from audit_events where action = 'passport.rotated' and data->>'previous_passport_id' = $1`,
        [id],
      )) as [{ n: number }];
      assert.equal(n, 1);
      const chain = await ta.request('GET', `/v1/passports/${id}/chain`);
      assert.equal(chain.json.links.length, 2);
    });
  }

  it('a nonce is single-use even when 10 issuances race for it', async () => {
    const nonce = await challenge(ta, token);
    const results = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const key = newSubjectKey();
        return ta.request('POST', '/v1/passports', {
          token,
          body: {
            subject_type: 'agent',
            name: `nonce-racer-${i}`,
            public_key: key.jwk,
            proof: await popProof(key, nonce, { aud: ta.config.taName }),
          },
        });
      }),
    );
    assert.deepEqual(results.map((r) => r.status).sort(), [201, ...Array(9).fill(400)]);
    const [{ n }] = (await ta.db.sql(
      `select count(*)::int as n from agents where name like 'nonce-racer-%'`,
    )) as [{ n: number }];
    assert.equal(n, 1, 'refused issuances left agents behind');
  });

  it('ten first uses of one agent name at once make one agent', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => issueAgentPassport(ta, token, { name: 'popular-agent' })),
    );
    assert.deepEqual(
      results.map((r) => r.res.status),
      Array(10).fill(201),
    );
    const [{ n }] = (await ta.db.sql(
      `select count(*)::int as n from agents where name = 'popular-agent'`,
    )) as [{ n: number }];
    assert.equal(n, 1);
  });

  it('the audit chain is intact after all of it', async () => {
    const v = await ta.request('GET', '/v1/audit/verify', { token: ta.adminToken });
    assert.equal(v.json.ok, true);
  });
});
