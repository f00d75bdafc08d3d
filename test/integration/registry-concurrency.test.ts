// Concurrent registry writes (meaningful on PostgreSQL: `DATABASE_URL=… npm test`; PGlite
// serialises everything): the version chain never forks, a version is published once, and of two
// publishers racing for one namespace exactly one holds its record (the other a rival claim).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  READ_FILE_TOOL,
  manifestsPath,
  registeredServer,
  verifiedNamespace,
} from '../support/registry.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';

describe('registry under concurrency', () => {
  let ta: TestService;
  let a: { token: string; publisherId: string };
  let b: { token: string; publisherId: string };

  before(async () => {
    ta = await startTestService();
    a = await createPublisherWithToken(ta, 'Racer A');
    b = await createPublisherWithToken(ta, 'Racer B');
    await verifiedNamespace(ta, a.token, 'com.race');
    await registeredServer(ta, a.token, 'com.race/chain');
    await registeredServer(ta, a.token, 'com.race/once');
    await registeredServer(ta, a.token, 'com.race/same');
  });
  after(async () => ta.stop());

  const publish = (server: string, body: unknown) =>
    ta.request('POST', manifestsPath(server), { token: a.token, body });

  it('ten versions published at once form one unbroken hash chain', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        publish('com.race/chain', { version: `1.0.${i}`, tools: [READ_FILE_TOOL] }),
      ),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      Array(10).fill(201),
    );
    const rows = await ta.db.sql(
      `select version, digest, position, payload from manifests where server_name = 'com.race/chain' order by position`,
    );
    assert.deepEqual(
      rows.map((r) => Number(r.position)),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    for (let i = 0; i < rows.length; i += 1) {
      const previous = JSON.parse(rows[i]!.payload as string).previous;
      assert.deepEqual(
        previous,
        i === 0 ? null : { version: rows[i - 1]!.version, digest: rows[i - 1]!.digest },
      );
    }
    assert.equal(
      (await ta.request('GET', `${manifestsPath('com.race/chain')}/latest`)).json.manifest.version,
      '1.0.9',
    );
  });

  it('one version raced with different content is published exactly once; the rest get 409', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        publish('com.race/once', {
          version: '1.0.0',
          tools: [{ ...READ_FILE_TOOL, description: `variant ${i}` }],
        }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [201, 409, 409, 409, 409, 409, 409, 409]);
  });

  it('one version raced with identical content: one 201, the others return it with 200', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        publish('com.race/same', { version: '1.0.0', tools: [READ_FILE_TOOL] }),
      ),
    );
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 200, 200, 200, 200, 201]);
    assert.equal(new Set(results.map((r) => r.json.digest)).size, 1);
  });

  it('two publishers racing to claim one namespace: exactly one holds the record, the other a rival claim', async () => {
    for (let round = 0; round < 5; round += 1) {
      const ns = `org.contested${round}`;
      const [ra, rb] = await Promise.all([
        ta.request('POST', '/v1/namespaces', {
          token: a.token,
          body: { namespace: ns, url: `https://contested${round}.org` },
        }),
        ta.request('POST', '/v1/namespaces', {
          token: b.token,
          body: { namespace: ns, url: `https://contested${round}.org` },
        }),
      ]);
      // An unproven claim blocks nobody (issue 11): both claims stand, each with its own token.
      assert.deepEqual([ra.status, rb.status], [201, 201]);
      assert.notEqual(ra.json.challenge_token, rb.json.challenge_token);
      const stored = await ta.request('GET', `/v1/namespaces/${ns}`, { token: ta.adminToken });
      const winner = stored.json.publisher_id === ra.json.publisher_id ? ra : rb;
      const rival = winner === ra ? rb : ra;
      assert.equal(stored.json.challenge_token, winner.json.challenge_token);
      const [rows] = await ta.db.sql(
        `select (select count(*) from namespaces where namespace = '${ns}')::int as records, (select count(*) from namespace_claims where namespace = '${ns}' and publisher_id = '${rival.json.publisher_id}')::int as rivals`,
      );
      assert.deepEqual(rows, { records: 1, rivals: 1 });
    }
  });

  it('yanks at once get distinct revocation sequence numbers', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        ta.request('POST', `${manifestsPath('com.race/chain')}/1.0.${i}/yank`, {
          token: a.token,
          body: { reason: `r${i}` },
        }),
      ),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      Array(5).fill(200),
    );
    const seqs = results.map((r) => r.json.status.revocation_seq as number);
    assert.equal(new Set(seqs).size, 5);
    assert.ok(seqs.every((s) => Number.isSafeInteger(s) && s > 0));
  });
});
