// Issue 16: status documents, /api/crl, feed pages, manifests by digest and nonce-less OCSP answers are built once
// per state change and served from memory; a change made through one instance is seen by the
// other (database change notices) and by the instance itself at once (after-commit clear).
// Two instances share one database (two pools on PostgreSQL). Waits poll; no timing asserted.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { certificateFixture, type CertificateFixture } from '../support/certificates.js';
import { makeCsr, tempFile } from '../support/csr.js';
import { freshDatabase, type TestDatabase } from '../support/database.js';
import { issueAgentPassport } from '../support/passports.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';
import {
  manifestsPath,
  READ_FILE_TOOL,
  registeredServer,
  verifiedNamespace,
} from '../support/registry.js';
import { openssl } from '../support/tools.js';

/** Polls `check` until true; fails after 10 s (a missed invalidation would never turn true). */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail(`${what} never became visible`);
}

function ocspStatus(der: Buffer): string {
  const resp = pkijs.OCSPResponse.fromBER(new Uint8Array(der));
  const basic = pkijs.BasicOCSPResponse.fromBER(
    new Uint8Array(resp.responseBytes!.response.valueBlock.valueHexView),
  );
  const tag = (basic.tbsResponseData.responses[0]!.certStatus as asn1js.BaseBlock).idBlock
    .tagNumber;
  return ['good', 'revoked', 'unknown'][tag] ?? 'error';
}

describe('signed reads cached between state changes, across two instances', () => {
  let db: TestDatabase;
  let one: TestService;
  let two: TestService;
  let token: string;
  before(async () => {
    db = await freshDatabase();
    one = await startTestService({ db });
    const handle = await db.openAnother();
    two = await startTestService({
      db: { ...db, handle, drop: async () => {} },
      env: { TA_KEK: one.kek.toString('hex'), TA_ADMIN_TOKEN: one.adminToken },
    });
    token = (await createPublisherWithToken(one, 'Cache Co')).token;
  });
  after(async () => {
    await two.stop();
    await one.stop();
  });

  it('a status document is signed once: the same bytes and ETag until a change; If-None-Match gives 304', async () => {
    const id = (await issueAgentPassport(one, token, { name: 'cached-agent' })).res.json
      .passport_id as string;
    // The notice of the issuance may reach `two` after its first read: then that entry goes.
    let a = await two.request('GET', `/api/verify/${id}`);
    await eventually(async () => {
      const b = await two.request('GET', `/api/verify/${id}`);
      const same = b.text === a.text; // served from the cache: same signature, same checked_at
      a = b;
      return same;
    }, 'a cached status document');
    assert.equal(a.status, 200);
    assert.equal(a.json.status, 'VALID');
    assert.ok(two.deps.signedReads!.size('status') >= 1);
    const etag = a.headers.get('etag')!;
    assert.match(etag, /^"[A-Za-z0-9_-]+"$/);
    assert.equal(a.headers.get('cache-control'), 'no-cache');
    assert.equal(
      new Date(a.headers.get('expires')!).getTime(),
      Math.floor(new Date(a.json.next_update).getTime() / 1000) * 1000,
    );
    const c = await two.request('GET', `/api/verify/${id}`, { headers: { 'if-none-match': etag } });
    assert.equal(c.status, 304);
    assert.equal(c.text, '');
  });

  it('revoked on one instance: REVOKED on the other in /api/verify, /api/crl and the feed; at once on the first', async () => {
    const id = (await issueAgentPassport(one, token, { name: 'to-revoke' })).res.json
      .passport_id as string;
    for (const ta of [one, two]) {
      assert.equal((await ta.request('GET', `/api/verify/${id}`)).json.status, 'VALID');
      assert.ok(!(await ta.request('GET', '/api/crl')).text.includes(id));
      assert.ok(!(await ta.request('GET', '/v1/revocations?since=0')).text.includes(id));
    }
    const revoke = await one.request('POST', `/v1/passports/${id}/revoke`, {
      token,
      body: { reason: 'keyCompromise' },
    });
    assert.equal(revoke.status, 200, revoke.text);
    // The instance that committed dropped its cache before answering.
    assert.equal((await one.request('GET', `/api/verify/${id}`)).json.status, 'REVOKED');
    assert.ok((await one.request('GET', '/api/crl')).text.includes(id));
    assert.ok((await one.request('GET', '/v1/revocations?since=0')).text.includes(id));
    // The other hears of it by NOTIFY.
    await eventually(
      async () => (await two.request('GET', `/api/verify/${id}`)).json.status === 'REVOKED',
      '/api/verify REVOKED',
    );
    await eventually(
      async () => (await two.request('GET', '/api/crl')).text.includes(id),
      '/api/crl entry',
    );
    await eventually(
      async () => (await two.request('GET', '/v1/revocations?since=0')).text.includes(id),
      'feed entry',
    );
  });

  it('a manifest by digest is read once per change; a publish or a yank on one instance shows on the other', async () => {
    const server = 'com.cachetest/tools';
    await verifiedNamespace(one, token, 'com.cachetest');
    await registeredServer(one, token, server);
    const publish = async (version: string) => {
      const r = await one.request('POST', manifestsPath(server), {
        token,
        body: { version, tools: [READ_FILE_TOOL] },
      });
      assert.equal(r.status, 201, r.text);
      return r.json.digest as string;
    };
    const byDigest = (ta: TestService, digest: string) =>
      ta.request('GET', `/v1/manifests/${digest}`);
    const v1 = await publish('1.0.0');
    // The publish's notice may reach `two` after its first read: then that entry goes.
    await eventually(async () => {
      const r = await byDigest(two, v1);
      return r.json.status?.is_latest === true && two.deps.signedReads!.size('manifest') >= 1;
    }, 'v1 held in the cache');
    const cached = await byDigest(two, v1);
    const etag = cached.headers.get('etag')!;
    assert.equal(cached.headers.get('cache-control'), 'no-cache');
    assert.equal(
      (await two.request('GET', `/v1/manifests/${v1}`, { headers: { 'if-none-match': etag } }))
        .status,
      304,
    );
    // A new version moves is_latest off v1: the entry for v1 must not outlive that.
    const v2 = await publish('2.0.0');
    await eventually(
      async () => (await byDigest(two, v1)).json.status.is_latest === false,
      'v1 no longer latest',
    );
    assert.equal((await byDigest(two, v2)).json.status.is_latest, true);
    const yank = await one.request('POST', `${manifestsPath(server)}/2.0.0/yank`, {
      token,
      body: { reason: 'malicious' },
    });
    assert.equal(yank.status, 200, yank.text);
    assert.equal((await byDigest(one, v2)).json.status.state, 'yanked');
    await eventually(async () => {
      const s = (await byDigest(two, v2)).json.status;
      return s.state === 'yanked' && typeof s.revocation_seq === 'number';
    }, 'v2 yanked');
  });

  describe('OCSP', () => {
    let f: CertificateFixture;
    let serial: string;
    let request: Buffer;
    before(async () => {
      f = await certificateFixture(one);
      const csr = makeCsr('P-256', { san: `DNS:${f.serverHost}` });
      const issued = await one.request('POST', '/v1/certificates', {
        token: f.a.token,
        body: { csr: csr.csrPem, profile: 'server', subject: f.serverName },
      });
      assert.equal(issued.status, 201, issued.text);
      serial = issued.json.serial;
      const reqFile = tempFile('req.der', '');
      assert.equal(
        openssl([
          'ocsp',
          '-no_nonce',
          '-issuer',
          f.ca.issuing,
          '-serial',
          `0x${serial}`,
          '-reqout',
          reqFile,
        ]).status,
        0,
      );
      request = readFileSync(reqFile);
    });
    const post = async (ta: TestService) =>
      Buffer.from(
        await (
          await ta.app.request('/v1/ocsp', {
            method: 'POST',
            headers: { 'content-type': 'application/ocsp-request' },
            body: new Uint8Array(request),
          })
        ).arrayBuffer(),
      );

    it('a nonce-less request gets the same pre-signed answer until the certificate changes; then revoked on both instances', async () => {
      let first = await post(two);
      assert.equal(ocspStatus(first), 'good');
      await eventually(async () => {
        const again = await post(two);
        const same = again.equals(first); // the same signed bytes
        first = again;
        return same;
      }, 'a pre-signed OCSP answer');
      const revoke = await one.request('POST', `/v1/certificates/${serial}/revoke`, {
        token: f.a.token,
        body: { reason: 'keyCompromise' },
      });
      assert.equal(revoke.status, 200, revoke.text);
      assert.equal(ocspStatus(await post(one)), 'revoked');
      await eventually(async () => ocspStatus(await post(two)) === 'revoked', 'OCSP revoked');
    });

    it('a request with a nonce is answered afresh, echoing its nonce', async () => {
      const reqFile = tempFile('nonce-req.der', '');
      assert.equal(
        openssl(['ocsp', '-issuer', f.ca.issuing, '-serial', `0x${serial}`, '-reqout', reqFile])
          .status,
        0,
      );
      const body = new Uint8Array(readFileSync(reqFile));
      const answer = async () =>
        Buffer.from(
          await (
            await two.app.request('/v1/ocsp', {
              method: 'POST',
              headers: { 'content-type': 'application/ocsp-request' },
              body,
            })
          ).arrayBuffer(),
        );
      const x = await answer();
      const y = await answer();
      assert.ok(!x.equals(y), 'signed per request (ECDSA signatures differ)');
    });
  });
});
