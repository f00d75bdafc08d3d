// The signed revocation feed (issue 7): every revocation of every kind, recorded in the same
// transaction as the state change, paged by a monotonic seq, signed with a JWKS key, with weak
// ETags for cheap polling; and an authority key revocation that revokes everything it signed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { canonicalJson } from '../../src/crypto/jcs.js';
import { verifyDocument } from '../../src/crypto/signed-document.js';
import { issueAgentPassport, rotate } from '../support/passports.js';
import { assertProblem } from '../support/problem.js';
import {
  manifestsPath,
  READ_FILE_TOOL,
  registeredServer,
  verifiedNamespace,
} from '../support/registry.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';
import { runPython } from '../support/tools.js';

type Feed = {
  since: number;
  next_since: number;
  has_more: boolean;
  issued_at: string;
  next_update: string;
  revocations: Array<{
    seq: number;
    kind: string;
    subject: string;
    reason: string;
    revoked_at?: string;
    data: Record<string, unknown>;
  }>;
  issuer_kid: string;
  signature: string;
};

describe('revocation feed', () => {
  let ta: TestService;
  let token: string;
  const feed = async (query = '', headers: Record<string, string> = {}) =>
    ta.request('GET', `/v1/revocations${query}`, { headers });
  const verifies = (doc: Record<string, unknown>) =>
    verifyDocument(doc, (kid) => ta.keyring.publicKeyFor(kid)).ok;

  before(async () => {
    ta = await startTestService();
    ({ token } = await createPublisherWithToken(ta, 'Feed Publisher'));
  });
  after(async () => ta.stop());

  it('starts empty, signed by the active JWKS key, with next_update and caching headers', async () => {
    const res = await feed();
    assert.equal(res.status, 200);
    const f = res.json as Feed;
    assert.deepEqual([f.since, f.next_since, f.has_more, f.revocations], [0, 0, false, []]);
    assert.equal(res.json.type, 'mcps-revocation-feed');
    assert.equal(res.json.issuer, 'test-ta.example');
    assert.equal(f.issuer_kid, ta.keyring.documentSigner.kid);
    assert.ok(verifies(res.json));
    assert.equal(Date.parse(f.next_update) - Date.parse(f.issued_at), 60_000);
    assert.match(res.headers.get('etag') ?? '', /^W\/"[A-Za-z0-9_-]+"$/);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=30');
    const discovery = (await ta.request('GET', '/.well-known/mcps-trust-authority')).json;
    assert.equal(discovery.revocations_uri, `${ta.config.publicUrl}/v1/revocations`);
  });

  it('after a passport revocation the next page has it, and the audit event names its seq', async () => {
    const before = (await feed()).json as Feed;
    const { res } = await issueAgentPassport(ta, token, { name: 'feed-bot' });
    const id = res.json.passport.passport_id as string;
    assert.equal(
      (
        await ta.request('POST', `/v1/passports/${id}/revoke`, {
          token,
          body: { reason: 'keyCompromise' },
        })
      ).status,
      200,
    );
    const page = (await feed(`?since=${before.next_since}`)).json as Feed;
    assert.equal(page.revocations.length, 1);
    const entry = page.revocations[0]!;
    assert.deepEqual([entry.kind, entry.subject, entry.reason], ['passport', id, 'keyCompromise']);
    assert.equal(entry.data.issuer_kid, ta.keyring.documentSigner.kid);
    assert.equal(page.next_since, entry.seq);
    assert.ok(entry.seq > before.next_since);
    assert.ok(verifies(page as unknown as Record<string, unknown>));
    // revoking again adds nothing
    await ta.request('POST', `/v1/passports/${id}/revoke`, {
      token,
      body: { reason: 'unspecified' },
    });
    assert.deepEqual((await feed(`?since=${page.next_since}`)).json.revocations, []);
    const audit = (await ta.request('GET', '/v1/audit?limit=1000', { token: ta.adminToken })).json
      .items as Array<{ action: string; data: Record<string, unknown> }>;
    assert.equal(
      audit.filter((e) => e.action === 'passport.revoked').at(-1)!.data.revocation_seq,
      entry.seq,
    );
  });

  it('a feed signature verifies with Python cryptography over the JCS bytes', async () => {
    const doc = (await feed()).json as Record<string, unknown>;
    const { signature, ...body } = doc;
    const key = ta.keyring.jwks.find((k) => k.kid === doc.issuer_kid)!;
    const out = runPython(
      [
        'import sys, json, base64',
        'from cryptography.hazmat.primitives.asymmetric import ec',
        'from cryptography.hazmat.primitives import hashes',
        'from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature',
        'd = json.load(sys.stdin)',
        'b = lambda s: int.from_bytes(base64.urlsafe_b64decode(s + "=" * (-len(s) % 4)), "big")',
        'pub = ec.EllipticCurvePublicNumbers(b(d["x"]), b(d["y"]), ec.SECP256R1()).public_key()',
        'sig = base64.b64decode(d["sig"])',
        'pub.verify(encode_dss_signature(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big")), d["msg"].encode(), ec.ECDSA(hashes.SHA256()))',
        'print("ok")',
      ].join('\n'),
      JSON.stringify({ x: key.x, y: key.y, sig: signature, msg: canonicalJson(body) }),
    );
    assert.equal(out.trim(), 'ok');
  });

  it('the feed entry is written in the same transaction as the revocation: if it cannot be, nothing changes', async () => {
    const { res } = await issueAgentPassport(ta, token, { name: 'atomic-bot' });
    const id = res.json.passport.passport_id as string;
    // A row that makes the feed insert fail (unique kind+subject+reason), planted behind the app's back.
    await ta.db.sql(
      `insert into revocations (seq, kind, subject, reason, revoked_at, data) select coalesce(max(seq), 0) + 1, 'passport', $1, 'keyCompromise', now(), '{}' from revocations`,
      [id],
    );
    const auditBefore = (await ta.request('GET', '/v1/audit?limit=1000', { token: ta.adminToken }))
      .json.items.length;
    const refused = await ta.request('POST', `/v1/passports/${id}/revoke`, {
      token,
      body: { reason: 'keyCompromise' },
    });
    assert.equal(refused.status, 500);
    assert.equal((await ta.request('GET', `/api/verify/${id}`)).json.status, 'VALID');
    assert.equal(
      (await ta.request('GET', '/v1/audit?limit=1000', { token: ta.adminToken })).json.items.length,
      auditBefore,
    );
    await ta.db.sql(`delete from revocations where subject = $1`, [id]);
  });

  it('a manifest yank is in the feed too', async () => {
    await verifiedNamespace(ta, token, 'com.feedtest');
    await registeredServer(ta, token, 'com.feedtest/files');
    const published = await ta.request('POST', manifestsPath('com.feedtest/files'), {
      token,
      body: { version: '1.0.0', tools: [READ_FILE_TOOL] },
    });
    assert.equal(published.status, 201);
    const before = (await feed()).json as Feed;
    await ta.request('POST', `${manifestsPath('com.feedtest/files')}/1.0.0/yank`, {
      token,
      body: { reason: 'leaks files' },
    });
    const entry = ((await feed(`?since=${before.next_since}`)).json as Feed).revocations[0]!;
    assert.deepEqual(
      [entry.kind, entry.subject, entry.reason],
      ['manifest', published.json.digest, 'leaks files'],
    );
    assert.deepEqual(entry.data, { server: 'com.feedtest/files', version: '1.0.0' });
  });

  it('If-None-Match with the current ETag is a 304 without a body; a new revocation changes the ETag', async () => {
    const first = await feed();
    const etag = first.headers.get('etag')!;
    const again = await feed('', { 'if-none-match': etag });
    assert.equal(again.status, 304);
    assert.equal(again.text, '');
    assert.equal(again.headers.get('etag'), etag);
    assert.equal(
      (await feed('', { 'if-none-match': `"other", ${etag.replace(/^W\//, '')}` })).status,
      304,
    );
    assert.equal(
      (await feed('?limit=2', { 'if-none-match': etag })).status,
      200,
      'another page has another ETag',
    );

    const { res } = await issueAgentPassport(ta, token, { name: 'etag-bot' });
    await ta.request('POST', `/v1/passports/${res.json.passport.passport_id}/revoke`, {
      token,
      body: { reason: 'affiliationChanged' },
    });
    const changed = await feed('', { 'if-none-match': etag });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.get('etag'), etag);
  });

  it('pages with limit: follow next_since while has_more, every seq once, ascending', async () => {
    const all = (await feed()).json as Feed;
    const seen: number[] = [];
    let since = 0;
    for (let i = 0; i < 20; i += 1) {
      const res = await feed(`?since=${since}&limit=1`);
      const page = res.json as Feed;
      seen.push(...page.revocations.map((r) => r.seq));
      assert.equal(
        res.headers.get('cache-control'),
        page.has_more ? 'public, max-age=3600' : 'public, max-age=30',
      );
      if (!page.has_more) break;
      since = page.next_since;
    }
    assert.deepEqual(
      seen,
      all.revocations.map((r) => r.seq),
    );
    assert.deepEqual(
      [...seen].sort((a, b) => a - b),
      seen,
    );
    assert.ok(seen.length >= 3);
  });

  it('refuses a bad since or limit with a 400 naming the parameter', async () => {
    assertProblem(await feed('?since=-1'), 400, 'query.since');
    assertProblem(await feed('?since=abc'), 400, 'query.since');
    assertProblem(await feed('?limit=0'), 400, 'query.limit');
    assertProblem(await feed('?limit=100000'), 400, 'query.limit');
  });

  it('a rotated (superseded) passport is an entry in the feed: kind passport, reason superseded, naming its successor', async () => {
    const before = (await feed()).json as Feed;
    const { res, key } = await issueAgentPassport(ta, token, { name: 'rotating-bot' });
    const oldId = res.json.passport.passport_id as string;
    const rotated = await rotate(ta, token, oldId, key);
    assert.equal(rotated.res.status, 201);
    const entries = (await feed(`?since=${before.next_since}`)).json
      .revocations as Feed['revocations'];
    assert.deepEqual(
      entries.map((e) => [e.kind, e.subject, e.reason, e.data.superseded_by]),
      [['passport', oldId, 'superseded', rotated.res.json.passport.passport_id]],
    );
    const status = (await ta.request('GET', `/api/verify/${oldId}`)).json;
    assert.deepEqual(
      [status.status, status.revocation_reason, status.revoked_at],
      ['REVOKED', 'superseded', entries[0]!.revoked_at],
    );
    // Revoking it for superseded again changes nothing and writes no second entry.
    const again = await ta.request('POST', `/v1/passports/${oldId}/revoke`, {
      token,
      body: { reason: 'superseded' },
    });
    assert.equal(again.status, 200, again.text);
    assert.equal((await feed(`?since=${before.next_since}`)).json.revocations.length, 1);
  });

  it('revoking an authority key revokes every passport it signed, in the feed, and nothing else', async () => {
    const admin = (method: string, path: string, body?: unknown) =>
      ta.request(method, path, { token: ta.adminToken, body });
    const oldKid = ta.keyring.documentSigner.kid;
    const signedByOld = [];
    for (const name of ['cascade-a', 'cascade-b'])
      signedByOld.push(
        (await issueAgentPassport(ta, token, { name })).res.json.passport.passport_id as string,
      );
    const alreadyRevoked = (await issueAgentPassport(ta, token, { name: 'cascade-c' })).res.json
      .passport.passport_id as string;
    await ta.request('POST', `/v1/passports/${alreadyRevoked}/revoke`, {
      token,
      body: { reason: 'privilegeWithdrawn' },
    });

    const prepared = await admin('POST', '/v1/authority/keys', { purpose: 'passport-signing' });
    await admin('POST', `/v1/authority/keys/${prepared.json.kid}/activate`);
    const signedByNew = (await issueAgentPassport(ta, token, { name: 'cascade-new' })).res.json
      .passport;
    assert.equal(signedByNew.issuer_kid, prepared.json.kid);

    const before = (await feed()).json as Feed;
    const revoked = await admin('POST', `/v1/authority/keys/${oldKid}/revoke`, {
      reason: 'keyCompromise',
    });
    assert.equal(revoked.status, 200);

    const page = (await feed(`?since=${before.next_since}`)).json as Feed;
    assert.equal(page.issuer_kid, prepared.json.kid);
    assert.deepEqual(page.revocations[0]!.kind, 'key');
    assert.deepEqual(
      [
        page.revocations[0]!.subject,
        page.revocations[0]!.reason,
        page.revocations[0]!.data.purpose,
      ],
      [oldKid, 'keyCompromise', 'passport-signing'],
    );
    const passports = page.revocations.filter((r) => r.kind === 'passport');
    // every passport the old key signed and that was not revoked already (earlier tests' included)
    const [row] = await ta.db.sql(
      `select count(*)::int as n from passports where document->>'issuer_kid' = $1`,
      [oldKid],
    );
    const previouslyRevoked = (
      await ta.db.sql(
        `select passport_id from passports where document->>'issuer_kid' = $1 and revocation_reason <> 'cACompromise'`,
        [oldKid],
      )
    ).length;
    assert.equal(passports.length, (row!.n as number) - previouslyRevoked);
    for (const id of signedByOld)
      assert.ok(
        passports.some((r) => r.subject === id && r.reason === 'cACompromise'),
        id,
      );
    assert.ok(
      !passports.some((r) => r.subject === alreadyRevoked || r.subject === signedByNew.passport_id),
    );

    for (const id of signedByOld) {
      const status = (await ta.request('GET', `/api/verify/${id}`)).json;
      assert.deepEqual([status.status, status.revocation_reason], ['REVOKED', 'cACompromise']);
    }
    assert.equal(
      (await ta.request('GET', `/api/verify/${alreadyRevoked}`)).json.revocation_reason,
      'privilegeWithdrawn',
    );
    assert.equal(
      (await ta.request('GET', `/api/verify/${signedByNew.passport_id}`)).json.status,
      'VALID',
    );

    const audit = (await admin('GET', '/v1/audit?limit=1000')).json.items as Array<{
      action: string;
      data: Record<string, unknown>;
    }>;
    const cascade = audit.find((e) => e.action === 'passports.revoked_with_authority_key')!;
    assert.equal(cascade.data.count, passports.length);
    assert.equal(
      audit.find((e) => e.action === 'authority_key.revoked')!.data.revoked_passports,
      passports.length,
    );
    assert.equal((await admin('GET', '/v1/audit/verify')).json.ok, true);
  });
});
