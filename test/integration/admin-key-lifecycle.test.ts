// Issue 18: the admin UI rotates authority keys — prepare (purpose required), activate, retire —
// each after a confirmation step, with the CSRF token, through the API's domain functions
// (audited as admin:<name>, a new anchors version each time); the keys page links the runbook.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AdminClient, createAdmin, csrfOf } from '../support/admin.js';
import { startTestService, type TestService } from '../support/service.js';

describe('admin: prepare, activate and retire authority keys', () => {
  let ta: TestService;
  let b: AdminClient;
  const admin = (method: string, p: string, body?: unknown) =>
    ta.request(method, p, { token: ta.adminToken, body });
  const keys = async () =>
    (await admin('GET', '/v1/authority/keys')).json.items as Array<{
      kid: string;
      status: string;
      purpose: string;
    }>;
  const anchorsVersion = async () =>
    (await ta.request('GET', '/v1/trust/anchors')).json.version as number;

  before(async () => {
    ta = await startTestService();
    await createAdmin(ta, 'alice');
    b = new AdminClient(ta);
    assert.equal((await b.signIn('alice')).status, 303);
  });
  after(async () => ta.stop());

  it('the keys page offers "Prepare a new key…" and shows the key-compromise runbook', async () => {
    const page = await b.get('/admin/keys');
    assert.equal(page.status, 200);
    assert.match(page.text, /href="\/admin\/keys\/prepare"/);
    assert.match(page.text, /<h2 id="runbook">Key-compromise runbook<\/h2>/);
    assert.match(page.text, /README\.md#key-compromise/);
  });

  it('prepares a key only with a purpose and the CSRF token, then activates and retires the old one', async () => {
    const before = await keys();
    const oldKid = before.find(
      (k) => k.purpose === 'passport-signing' && k.status === 'active',
    )!.kid;
    const ask = await b.get('/admin/keys/prepare');
    assert.equal(ask.status, 200);
    assert.match(ask.text, /<label for="purpose">Purpose<\/label>/);
    const csrf = csrfOf(ask.text);
    assert.equal(
      (await b.request('POST', '/admin/keys/prepare', { purpose: 'passport-signing' })).status,
      403,
      'no CSRF token',
    );
    for (const purpose of ['', 'root-ca']) {
      const r = await b.request('POST', '/admin/keys/prepare', { _csrf: csrf, purpose });
      assert.equal(r.status, 400, purpose);
      assert.match(r.text, /id="purpose-error"/);
    }
    assert.equal((await keys()).length, before.length, 'refusals prepare nothing');

    const done = await b.request('POST', '/admin/keys/prepare', {
      _csrf: csrf,
      purpose: 'passport-signing',
    });
    assert.equal(done.status, 303);
    const newKid = /^\/admin\/keys#key-([A-Za-z0-9_-]{43})$/.exec(done.location ?? '')![1]!;
    assert.equal((await keys()).find((k) => k.kid === newKid)!.status, 'pending');
    const listed = await b.get('/admin/keys');
    assert.match(
      listed.text,
      new RegExp(`Authority key ${newKid} prepared \\(passport-signing, pending\\)`),
    );
    assert.match(listed.text, new RegExp(`href="/admin/keys/${newKid}/activate"`));
    assert.doesNotMatch(
      listed.text,
      new RegExp(`href="/admin/keys/${oldKid}/activate"`),
      'an active key is not offered for activation',
    );
    assert.doesNotMatch(
      listed.text,
      new RegExp(`href="/admin/keys/${oldKid}/retire"`),
      'an active key is not offered for retirement',
    );
    assert.equal((await b.get(`/admin/keys/${oldKid}/retire`)).status, 404);

    const version = await anchorsVersion();
    const activate = await b.get(`/admin/keys/${newKid}/activate`);
    assert.match(activate.text, /becomes\s+<strong>retiring<\/strong>/);
    assert.equal(
      (await keys()).find((k) => k.kid === newKid)!.status,
      'pending',
      'asking changes nothing',
    );
    assert.equal(
      (await b.request('POST', `/admin/keys/${newKid}/activate`, { _csrf: csrfOf(activate.text) }))
        .status,
      303,
    );
    const now = await keys();
    assert.equal(now.find((k) => k.kid === newKid)!.status, 'active');
    assert.equal(now.find((k) => k.kid === oldKid)!.status, 'retiring');
    assert.equal(await anchorsVersion(), version + 1);
    assert.equal(ta.keyring.documentSigner.kid, newKid, 'the keyring was reloaded');

    const retire = await b.get(`/admin/keys/${oldKid}/retire`);
    assert.equal(retire.status, 200);
    assert.equal(
      (await b.request('POST', `/admin/keys/${oldKid}/retire`, { _csrf: csrfOf(retire.text) }))
        .status,
      303,
    );
    assert.equal((await keys()).find((k) => k.kid === oldKid)!.status, 'retired');
    assert.match(
      (await b.get('/admin/keys')).text,
      new RegExp(`Authority key ${oldKid} retired\\.`),
    );

    const events = (await admin('GET', '/v1/audit?limit=1000')).json.items as Array<{
      actor: string;
      action: string;
      subject: string;
    }>;
    for (const action of [
      'authority_key.prepared',
      'authority_key.activated',
      'authority_key.retired',
    ]) {
      assert.ok(
        events.some((e) => e.action === action && e.actor === 'admin:alice'),
        action,
      );
    }
  });
});
