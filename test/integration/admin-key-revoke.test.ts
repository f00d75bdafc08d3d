// Issue 12: the admin UI's authority keys page revokes a key with a preview — the confirmation
// page shows the dry run's counts by kind (nothing changes by asking), a reason is required, the
// POST needs the session's CSRF token, and the revocation is the API's (audited as admin:<name>,
// manifests re-signed).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AdminClient, createAdmin, csrfOf } from '../support/admin.js';
import { issueAgentPassport } from '../support/passports.js';
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

const countOf = (html: string, id: string) => {
  const m = new RegExp(`<tr id="${id}"><td>[^<]+</td><td>(\\d+)</td>`).exec(html);
  assert.ok(m, `row ${id} in ${html}`);
  return Number(m[1]);
};

describe('admin: revoke an authority key with a preview', () => {
  let ta: TestService;
  let b: AdminClient;
  let token: string;
  let oldKid: string;
  let newKid: string;
  const admin = (method: string, p: string, body?: unknown) =>
    ta.request(method, p, { token: ta.adminToken, body });
  const keyStatus = async (kid: string) =>
    (
      (await admin('GET', '/v1/authority/keys')).json.items as Array<{
        kid: string;
        status: string;
      }>
    ).find((k) => k.kid === kid)!.status;

  before(async () => {
    ta = await startTestService();
    await createAdmin(ta, 'alice');
    b = new AdminClient(ta);
    assert.equal((await b.signIn('alice')).status, 303);
    ({ token } = await createPublisherWithToken(ta, 'Keys Inc'));
    oldKid = ta.keyring.documentSigner.kid;
    await verifiedNamespace(ta, token, 'com.keys');
    await registeredServer(ta, token, 'com.keys/files');
    assert.equal(
      (
        await ta.request('POST', manifestsPath('com.keys/files'), {
          token,
          body: { version: '1.0.0', tools: [READ_FILE_TOOL] },
        })
      ).status,
      201,
    );
    for (const name of ['a', 'b', 'c'])
      assert.equal((await issueAgentPassport(ta, token, { name })).res.status, 201);
    newKid = (await admin('POST', '/v1/authority/keys', { purpose: 'passport-signing' })).json.kid;
    assert.equal((await admin('POST', `/v1/authority/keys/${newKid}/activate`)).status, 200);
  });
  after(async () => ta.stop());

  it('the keys page offers Revoke… for revocable keys only (not the root CA)', async () => {
    const page = await b.get('/admin/keys');
    assert.equal(page.status, 200);
    assert.match(page.text, new RegExp(`href="/admin/keys/${oldKid}/revoke"`));
    const root = (
      (await admin('GET', '/v1/authority/keys')).json.items as Array<{
        kid: string;
        purpose: string;
      }>
    ).find((k) => k.purpose === 'root-ca')!;
    assert.doesNotMatch(page.text, new RegExp(`href="/admin/keys/${root.kid}/revoke"`));
    assert.equal((await b.get(`/admin/keys/${root.kid}/revoke`)).status, 404);
  });

  it('asking shows the dry-run counts and changes nothing; the active key is refused with the reason shown', async () => {
    const auditBefore = (await admin('GET', '/v1/audit?limit=1000')).json.items.length;
    const ask = await b.get(`/admin/keys/${oldKid}/revoke`);
    assert.equal(ask.status, 200);
    assert.match(ask.text, /dry run, nothing changed yet/);
    assert.equal(countOf(ask.text, 'effect-passports'), 3);
    assert.equal(countOf(ask.text, 'effect-certificates'), 0);
    assert.equal(countOf(ask.text, 'effect-issuing-cas'), 0);
    assert.equal(countOf(ask.text, 'effect-manifests'), 1);
    assert.match(ask.text, /<option value="keyCompromise">keyCompromise — /);
    assert.equal(await keyStatus(oldKid), 'retiring');
    assert.equal(
      (await admin('GET', '/v1/audit?limit=1000')).json.items.length,
      auditBefore,
      'asking writes no audit event',
    );

    const active = await b.get(`/admin/keys/${newKid}/revoke`);
    assert.equal(active.status, 200);
    assert.match(
      active.text,
      /cannot be revoked now: key [^ ]+ is active: activate a successor first/,
    );
    const refused = await b.request('POST', `/admin/keys/${newKid}/revoke`, {
      _csrf: csrfOf(active.text),
      reason: 'keyCompromise',
    });
    assert.equal(refused.status, 409);
    assert.equal(await keyStatus(newKid), 'active');
  });

  it('requires a reason and the CSRF token; then revokes through the API domain function, audited as admin:alice', async () => {
    const path = `/admin/keys/${oldKid}/revoke`;
    const csrf = csrfOf((await b.get(path)).text);
    for (const reason of ['', 'bogus', 'privilegeWithdrawn']) {
      const r = await b.request('POST', path, { _csrf: csrf, reason });
      assert.equal(r.status, 400, reason);
      assert.match(r.text, /id="reason-error"/);
      assert.equal(countOf(r.text, 'effect-passports'), 3, 'the preview stays on the form');
    }
    assert.equal(
      (await b.request('POST', path, { reason: 'keyCompromise' })).status,
      403,
      'no CSRF token',
    );
    assert.equal(await keyStatus(oldKid), 'retiring');

    const done = await b.request('POST', path, { _csrf: csrf, reason: 'keyCompromise' });
    assert.equal(done.status, 303);
    assert.equal(done.location, `/admin/keys#key-${oldKid}`);
    const page = await b.get('/admin/keys');
    assert.match(
      page.text,
      new RegExp(
        `Authority key ${oldKid} revoked \\(keyCompromise\\): 3 passports, 0 certificates and 0 issuing CAs revoked; 1 manifests re-signed\\.`,
      ),
    );
    assert.equal(await keyStatus(oldKid), 'revoked');
    assert.doesNotMatch(page.text, new RegExp(`href="/admin/keys/${oldKid}/revoke"`));
    const events = (await admin('GET', '/v1/audit?limit=1000')).json.items as Array<{
      actor: string;
      action: string;
      subject: string;
    }>;
    const revoked = events.find((e) => e.action === 'authority_key.revoked')!;
    assert.equal(revoked.actor, 'admin:alice');
    assert.ok(events.some((e) => e.action === 'manifests.re_signed' && e.actor === 'admin:alice'));
    assert.equal(
      (await ta.request('GET', `${manifestsPath('com.keys/files')}/1.0.0`)).json.envelope
        .signatures[0].keyid,
      newKid,
    );
    assert.equal(ta.keyring.publicKeyFor(oldKid), undefined, 'the keyring was reloaded');
  });
});
