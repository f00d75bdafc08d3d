// Issue 12, "identity = key": revoking a passport revokes the certificates bound to it (same
// reason); rotation and L4 re-approval revoke the old passport's certificates with `superseded`
// and put the supersession in the feed; keyCompromise on a passport or a certificate revokes every
// passport and certificate carrying that key, across lineages and publishers — each one a feed
// entry and an audit event — and the key is never certified again. Races are checked on
// PostgreSQL (DATABASE_URL): issuance and revocation exclude each other.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backfillKeyThumbprints } from '../../src/certificates/key-thumbprints.js';
import { halfWritten } from '../support/consistency.js';
import { makeCsr, tempFile } from '../support/csr.js';
import {
  challenge,
  issueAgentPassport,
  newSubjectKey,
  popProof,
  rotate,
  type SubjectKeyPair,
} from '../support/passports.js';
import { registeredServer, verifiedNamespace } from '../support/registry.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';

interface FeedEntry {
  seq: number;
  kind: string;
  subject: string;
  reason: string;
  revoked_at: string;
  data: Record<string, unknown>;
}

interface AuditEvent {
  actor: string;
  action: string;
  subject: string;
  data: Record<string, unknown>;
}

describe('revocation follows the key', () => {
  let ta: TestService;
  let A: { publisherId: string; token: string };
  let B: { publisherId: string; token: string };
  const SERVER = 'com.cascade/files';

  before(async () => {
    ta = await startTestService();
    A = await createPublisherWithToken(ta, 'Cascade A');
    B = await createPublisherWithToken(ta, 'Cascade B');
    await verifiedNamespace(ta, A.token, 'com.cascade');
    await registeredServer(ta, A.token, SERVER, 'https://files.cascade.com');
  });
  after(async () => ta.stop());

  const keyFile = (key: SubjectKeyPair) =>
    tempFile('subject-key.pem', key.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
  const feedSince = async (since: number): Promise<FeedEntry[]> =>
    (await ta.request('GET', `/v1/revocations?since=${since}`)).json.revocations;
  const lastSeq = async () =>
    (await ta.request('GET', '/v1/revocations?since=0&limit=1000')).json.next_since as number;
  const audit = async (): Promise<AuditEvent[]> =>
    (await ta.request('GET', '/v1/audit?limit=1000', { token: ta.adminToken })).json.items;
  const certStatus = async (serial: string) => {
    const c = (await ta.request('GET', `/v1/certificates/${serial}`, { token: ta.adminToken }))
      .json;
    return [c.status, c.revocation_reason];
  };
  const passportStatus = async (id: string) => {
    const p = (await ta.request('GET', `/v1/passports/${id}`)).json;
    return [p.status, p.revocation_reason];
  };
  async function clientCert(
    token: string,
    passportId: string,
    key?: SubjectKeyPair,
  ): Promise<string> {
    const csr = key ? makeCsr('P-256', { keyFile: keyFile(key) }) : makeCsr('P-256');
    const res = await ta.request('POST', '/v1/certificates', {
      token,
      body: { csr: csr.csrPem, profile: 'client', subject: passportId },
    });
    assert.equal(res.status, 201, res.text);
    return res.json.serial as string;
  }
  async function serverCert(key: SubjectKeyPair): Promise<string> {
    const csr = makeCsr('P-256', { keyFile: keyFile(key) });
    const res = await ta.request('POST', '/v1/certificates', {
      token: A.token,
      body: { csr: csr.csrPem, profile: 'server', subject: SERVER },
    });
    assert.equal(res.status, 201, res.text);
    return res.json.serial as string;
  }
  async function serverPassport(key: SubjectKeyPair) {
    const proof = await popProof(key, await challenge(ta, A.token), { aud: ta.config.taName });
    return ta.request('POST', '/v1/passports', {
      token: A.token,
      body: { subject_type: 'server', name: SERVER, public_key: key.jwk, proof },
    });
  }

  it('revoking a passport revokes its certificates with the same reason, each in the feed and the audit log', async () => {
    const { res } = await issueAgentPassport(ta, A.token, { name: 'two-certs' });
    const id = res.json.passport.passport_id as string;
    const serials = [await clientCert(A.token, id), await clientCert(A.token, id)];
    const other = (await issueAgentPassport(ta, A.token, { name: 'bystander' })).res.json.passport
      .passport_id as string;
    const bystander = await clientCert(A.token, other);
    const since = await lastSeq();

    const revoked = await ta.request('POST', `/v1/passports/${id}/revoke`, {
      token: A.token,
      body: { reason: 'privilegeWithdrawn' },
    });
    assert.equal(revoked.status, 200, revoked.text);
    for (const s of serials)
      assert.deepEqual(await certStatus(s), ['revoked', 'privilegeWithdrawn']);
    assert.deepEqual(await certStatus(bystander), ['valid', null]);

    const feed = await feedSince(since);
    assert.deepEqual(
      feed.map((e) => [e.kind, e.subject, e.reason]),
      [
        ['passport', id, 'privilegeWithdrawn'],
        ...[...serials].sort().map((s) => ['certificate', s, 'privilegeWithdrawn']),
      ],
    );
    assert.ok(
      feed.every((e) => e.revoked_at === feed[0]!.revoked_at),
      'one instant for the whole cascade',
    );
    const events = await audit();
    const own = events.find(
      (x) => x.subject === `passport:${id}` && x.action === 'passport.revoked',
    )!;
    for (const s of serials) {
      const e = events.find(
        (x) => x.action === 'certificate.revoked' && x.subject === `certificate:${s}`,
      )!;
      assert.equal(e.data.cause, `passport:${id}`);
      assert.equal(e.data.reason, 'privilegeWithdrawn');
      assert.equal(e.actor, own.actor);
    }

    // Idempotent: a second revocation changes nothing and writes nothing.
    const count = (await audit()).length;
    assert.equal(
      (
        await ta.request('POST', `/v1/passports/${id}/revoke`, {
          token: A.token,
          body: { reason: 'keyCompromise' },
        })
      ).status,
      200,
    );
    assert.equal((await feedSince(since)).length, feed.length);
    assert.equal((await audit()).length, count);
    assert.deepEqual(await certStatus(serials[0]!), ['revoked', 'privilegeWithdrawn']);
  });

  it("revoking a server passport revokes its server's certificates for that key, not those of another key", async () => {
    const key = newSubjectKey();
    const passport = await serverPassport(key);
    assert.equal(passport.status, 201, passport.text);
    const sameKey = await serverCert(key);
    const otherKey = await serverCert(newSubjectKey());
    const r = await ta.request(
      'POST',
      `/v1/passports/${passport.json.passport.passport_id}/revoke`,
      { token: A.token, body: { reason: 'cessationOfOperation' } },
    );
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(await certStatus(sameKey), ['revoked', 'cessationOfOperation']);
    assert.deepEqual(await certStatus(otherKey), ['valid', null]);
  });

  it('rotation supersedes the old passport in the feed and revokes its certificates with superseded', async () => {
    const { res, key } = await issueAgentPassport(ta, A.token, { name: 'rotating' });
    const oldId = res.json.passport.passport_id as string;
    const serial = await clientCert(A.token, oldId);
    const since = await lastSeq();
    const rotated = await rotate(ta, A.token, oldId, key);
    assert.equal(rotated.res.status, 201, rotated.res.text);
    const newId = rotated.res.json.passport.passport_id as string;

    assert.deepEqual(await passportStatus(oldId), ['superseded', null]);
    assert.deepEqual(await certStatus(serial), ['revoked', 'superseded']);
    const feed = await feedSince(since);
    assert.deepEqual(
      feed.map((e) => [e.kind, e.subject, e.reason]),
      [
        ['passport', oldId, 'superseded'],
        ['certificate', serial, 'superseded'],
      ],
    );
    assert.equal(feed[0]!.data.superseded_by, newId);
    // The new passport gets certificates; the old one does not (409).
    await clientCert(A.token, newId);
    const refused = await ta.request('POST', '/v1/certificates', {
      token: A.token,
      body: { csr: makeCsr('P-256').csrPem, profile: 'client', subject: oldId },
    });
    assert.equal(refused.status, 409, refused.text);
  });

  it('keyCompromise on a passport revokes every passport and certificate of that key, across lineages and publishers', async () => {
    const key = newSubjectKey();
    const mine = (await issueAgentPassport(ta, A.token, { name: 'shared-key-a', key })).res.json
      .passport.passport_id as string;
    const theirs = (await issueAgentPassport(ta, B.token, { name: 'shared-key-b', key })).res.json
      .passport.passport_id as string;
    const server = await serverPassport(key);
    assert.equal(server.status, 201, server.text);
    const serverId = server.json.passport.passport_id as string;
    const serverSerial = await serverCert(key); // the server's certificate for the same key
    const ownCert = await clientCert(A.token, mine); // another key, bound to the passport
    const theirCert = await clientCert(B.token, theirs);
    const sameKeyCert = await clientCert(B.token, theirs, key);
    const unrelated = (await issueAgentPassport(ta, B.token, { name: 'unrelated' })).res.json
      .passport.passport_id as string;
    const since = await lastSeq();

    const r = await ta.request('POST', `/v1/passports/${mine}/revoke`, {
      token: A.token,
      body: { reason: 'keyCompromise' },
    });
    assert.equal(r.status, 200, r.text);
    for (const id of [mine, theirs, serverId])
      assert.deepEqual(await passportStatus(id), ['revoked', 'keyCompromise'], id);
    for (const s of [serverSerial, ownCert, theirCert, sameKeyCert])
      assert.deepEqual(await certStatus(s), ['revoked', 'keyCompromise'], s);
    assert.deepEqual(await passportStatus(unrelated), ['active', null]);

    const feed = await feedSince(since);
    assert.deepEqual(
      new Set(feed.map((e) => `${e.kind}:${e.subject}:${e.reason}`)),
      new Set([
        `passport:${mine}:keyCompromise`,
        `passport:${theirs}:keyCompromise`,
        `passport:${serverId}:keyCompromise`,
        ...[serverSerial, ownCert, theirCert, sameKeyCert].map(
          (s) => `certificate:${s}:keyCompromise`,
        ),
      ]),
    );
    assert.equal(feed.length, 7, 'one entry each');
    assert.equal(feed[0]!.subject, mine, 'the revoked passport first, then what followed');
    const events = await audit();
    for (const e of feed.slice(1)) {
      const ev = events.find(
        (x) => x.subject === `${e.kind}:${e.subject}` && x.action === `${e.kind}.revoked`,
      )!;
      assert.equal(ev.data.cause, `passport:${mine}`, e.subject);
      assert.equal(ev.data.revocation_seq, e.seq);
    }

    // The key is never certified again: passport issuance and certificates are refused (409).
    const again = await issueAgentPassport(ta, B.token, { name: 'reuse', key });
    assert.equal(again.res.status, 409, again.res.text);
    const csr = makeCsr('P-256', { keyFile: keyFile(key) });
    const cert = await ta.request('POST', '/v1/certificates', {
      token: B.token,
      body: { csr: csr.csrPem, profile: 'client', subject: unrelated },
    });
    assert.equal(cert.status, 409, cert.text);
    assert.match(cert.text, /keyCompromise/);
  });

  it('keyCompromise on a certificate revokes the passports of its key and its other certificates, not its passport of another key', async () => {
    const key = newSubjectKey();
    const holder = (await issueAgentPassport(ta, A.token, { name: 'holder' })).res.json.passport
      .passport_id as string;
    const compromised = await clientCert(A.token, holder, key); // key ≠ holder's passport key
    const withKey = (await issueAgentPassport(ta, B.token, { name: 'same-key-elsewhere', key })).res
      .json.passport.passport_id as string;
    const secondCert = await clientCert(B.token, withKey, key);
    const boundToWithKey = await clientCert(B.token, withKey);
    const since = await lastSeq();

    const r = await ta.request('POST', `/v1/certificates/${compromised}/revoke`, {
      token: A.token,
      body: { reason: 'keyCompromise' },
    });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(await passportStatus(withKey), ['revoked', 'keyCompromise']);
    for (const s of [compromised, secondCert, boundToWithKey])
      assert.deepEqual(await certStatus(s), ['revoked', 'keyCompromise'], s);
    assert.deepEqual(
      await passportStatus(holder),
      ['active', null],
      "the holder's own key is not compromised",
    );
    const feed = await feedSince(since);
    assert.equal(feed[0]!.subject, compromised);
    assert.deepEqual(
      feed.slice(1).map((e) => e.data.cause),
      Array(feed.length - 1).fill(`certificate:${compromised}`),
    );
    assert.equal(feed.length, 4);
  });

  it('L4 re-approval: the old passport is superseded in the feed, and a later keyCompromise of the key reaches it', async () => {
    const key = newSubjectKey();
    const first = (await issueAgentPassport(ta, A.token, { name: 'approved-bot', key })).res.json
      .passport.passport_id as string;
    const since = await lastSeq();
    const approved = await ta.request('POST', `/v1/passports/${first}/approve`, {
      token: ta.adminToken,
      body: { note: 'audited' },
    });
    assert.equal(approved.status, 201, approved.text);
    const l4 = approved.json.passport.passport_id as string;
    assert.deepEqual(
      (await feedSince(since)).map((e) => [e.subject, e.reason, e.data.superseded_by]),
      [[first, 'superseded', l4]],
    );

    assert.equal(
      (
        await ta.request('POST', `/v1/passports/${l4}/revoke`, {
          token: A.token,
          body: { reason: 'keyCompromise' },
        })
      ).status,
      200,
    );
    assert.deepEqual(await passportStatus(first), ['revoked', 'keyCompromise']);
    const feed = await feedSince(since);
    assert.deepEqual(
      feed.map((e) => [e.subject, e.reason]),
      [
        [first, 'superseded'],
        [l4, 'keyCompromise'],
        [first, 'keyCompromise'],
      ],
    );
    const status = (await ta.request('GET', `/api/verify/${first}`)).json;
    assert.deepEqual([status.status, status.revocation_reason], ['REVOKED', 'keyCompromise']);
  });

  it('under concurrency, no certificate of a revoked passport or a compromised key stays valid', async () => {
    for (let round = 0; round < 3; round += 1) {
      const key = newSubjectKey();
      const { res } = await issueAgentPassport(ta, A.token, { name: `race-${round}`, key });
      const id = res.json.passport.passport_id as string;
      const csrs = Array.from({ length: 6 }, (_, i) =>
        i % 2 ? makeCsr('P-256') : makeCsr('P-256', { keyFile: keyFile(key) }),
      );
      const issuing = csrs.map((c) =>
        ta.request('POST', '/v1/certificates', {
          token: A.token,
          body: { csr: c.csrPem, profile: 'client', subject: id },
        }),
      );
      const revoking = ta.request('POST', `/v1/passports/${id}/revoke`, {
        token: A.token,
        body: { reason: 'keyCompromise' },
      });
      const results = await Promise.all(issuing);
      assert.equal((await revoking).status, 200);
      for (const r of results)
        assert.ok(r.status === 201 || r.status === 409, `${r.status} ${r.text}`);
      const rows = await ta.db.sql(
        `select serial, revoked_at from certificates where passport_id = $1`,
        [id],
      );
      assert.equal(rows.length, results.filter((r) => r.status === 201).length);
      for (const row of rows)
        assert.ok(
          row.revoked_at,
          `certificate ${String(row.serial)} of the revoked passport is still valid`,
        );
    }
  });

  it('certificates stored before key thumbprints were recorded get theirs from their PEM at start-up', async () => {
    const key = newSubjectKey();
    const id = (await issueAgentPassport(ta, A.token, { name: 'legacy', key })).res.json.passport
      .passport_id as string;
    const serial = await clientCert(A.token, id, key);
    await ta.db.sql(`update certificates set key_thumbprint = null where serial = $1`, [serial]);
    assert.ok((await backfillKeyThumbprints(ta.persistence)) >= 1);
    const [row] = await ta.db.sql(`select key_thumbprint from certificates where serial = $1`, [
      serial,
    ]);
    assert.equal(row!.key_thumbprint, key.kid);
    assert.equal(await backfillKeyThumbprints(ta.persistence), 0);
  });

  it('the database holds a feed entry and an audit event for every revocation and supersession', async () => {
    assert.deepEqual(await halfWritten(ta.db.sql), []);
    assert.equal(
      (await ta.request('GET', '/v1/audit/verify', { token: ta.adminToken })).json.ok,
      true,
    );
  });
});
