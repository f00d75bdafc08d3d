// Issue 12: `/api/crl` also carries the MCPS draft's CRL document members — `version`,
// `published_at`, `entries[]` of {passport_id, revoked_at, reason} — next to today's members,
// under the same signature; `version` grows with every revocation.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifyDocument } from '../../src/crypto/signed-document.js';
import { issueAgentPassport } from '../support/passports.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';

describe('/api/crl as the MCPS draft CRL document', () => {
  let ta: TestService;
  let token: string;
  before(async () => {
    ta = await startTestService();
    ({ token } = await createPublisherWithToken(ta, 'Crl Inc'));
  });
  after(async () => ta.stop());

  it('lists each revoked passport in `entries` as in `revoked`, with version = the feed seq and published_at = this_update, signed', async () => {
    const empty = (await ta.request('GET', '/api/crl')).json;
    assert.deepEqual(empty.entries, []);
    assert.equal(empty.published_at, empty.this_update);
    assert.equal(typeof empty.version, 'number');

    const a = (await issueAgentPassport(ta, token, { name: 'crl-a' })).res.json.passport
      .passport_id as string;
    const b = (await issueAgentPassport(ta, token, { name: 'crl-b' })).res.json.passport
      .passport_id as string;
    assert.equal(
      (
        await ta.request('POST', `/v1/passports/${a}/revoke`, {
          token,
          body: { reason: 'keyCompromise' },
        })
      ).status,
      200,
    );
    const one = (await ta.request('GET', '/api/crl')).json;
    const feed = (await ta.request('GET', '/v1/revocations?since=0')).json;
    const lastSeq = Math.max(...feed.revocations.map((e: { seq: number }) => e.seq));
    assert.equal(one.version, lastSeq);
    assert.ok(one.version > empty.version);
    assert.equal(one.published_at, one.this_update);
    assert.match(one.published_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const entry = one.entries.find((e: { passport_id: string }) => e.passport_id === a);
    assert.deepEqual(Object.keys(entry).sort(), ['passport_id', 'reason', 'revoked_at']);
    assert.equal(entry.reason, 'keyCompromise');
    const legacy = one.revoked.find((e: { passport_id: string }) => e.passport_id === a);
    assert.equal(entry.revoked_at, legacy.revoked_at);
    assert.deepEqual(
      one.entries,
      one.revoked.map(({ passport_id, revoked_at, reason }: Record<string, string>) => ({
        passport_id,
        revoked_at,
        reason,
      })),
    );
    assert.equal(verifyDocument(one, (kid) => ta.keyring.publicKeyFor(kid)).ok, true);

    assert.equal(
      (
        await ta.request('POST', `/v1/passports/${b}/revoke`, {
          token,
          body: { reason: 'cessationOfOperation' },
        })
      ).status,
      200,
    );
    const two = (await ta.request('GET', '/api/crl')).json;
    assert.ok(two.version > one.version);
    assert.deepEqual(
      new Set(two.entries.map((e: { passport_id: string }) => e.passport_id)),
      new Set([a, b]),
    );
  });
});
