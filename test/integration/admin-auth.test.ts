// Admin UI sign-in (issue 6): wrong password → error and no session; 10 rapid wrong passwords →
// 429; API tokens and expired sessions cannot reach /admin; POSTs without the session's CSRF
// token → 403; cookie flags; sign-in and sign-out are audited.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from '../../src/admin/session.js';
import { signIn } from '../../src/admin/sign-in.js';
import { fixedClock } from '../../src/clock.js';
import { ADMIN_PASSWORD, AdminClient, createAdmin, csrfOf } from '../support/admin.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';

async function auditActions(
  ta: TestService,
): Promise<
  Array<{ actor: string; action: string; subject: string; data: Record<string, unknown> }>
> {
  return (await ta.request('GET', '/v1/audit?limit=1000', { token: ta.adminToken })).json.items;
}

describe('admin sign-in and sessions', () => {
  let ta: TestService;
  before(async () => {
    ta = await startTestService();
    await createAdmin(ta, 'alice');
  });
  after(async () => ta.stop());

  it('sends a visitor without a session to the sign-in page, which has labelled fields', async () => {
    const b = new AdminClient(ta);
    const res = await b.get('/admin/publishers?search=x');
    assert.equal(res.status, 303);
    assert.equal(res.location, '/admin/sign-in?next=%2Fadmin%2Fpublishers%3Fsearch%3Dx');
    const page = await b.get(res.location!);
    assert.equal(page.status, 200);
    assert.match(page.text, /<label for="username">Username<\/label>/);
    assert.match(page.text, /<label for="password">Password<\/label>/);
    assert.match(page.text, /<input id="password" name="password" type="password"/);
  });

  it('signs in with the right password: HttpOnly SameSite=Strict cookie, redirect to next, audited as admin:alice', async () => {
    const b = new AdminClient(ta);
    const res = await b.submit('/admin/sign-in?next=%2Fadmin%2Fkeys', '/admin/sign-in', {
      username: 'Alice',
      password: ADMIN_PASSWORD,
      next: '/admin/keys',
    });
    assert.equal(res.status, 303);
    assert.equal(res.location, '/admin/keys');
    const cookie = res.setCookies.find((c) => c.startsWith('mcpsta_admin='));
    assert.ok(cookie, `no session cookie in ${JSON.stringify(res.setCookies)}`);
    assert.match(cookie, /; HttpOnly/);
    assert.match(cookie, /; SameSite=Strict/);
    assert.doesNotMatch(cookie, /; Secure/); // plain http and an http TA_PUBLIC_URL
    const dash = await b.get('/admin');
    assert.equal(dash.status, 200);
    assert.match(dash.text, /Signed in as <strong>alice<\/strong>/);
    const login = (await auditActions(ta)).filter((e) => e.action === 'admin.login').at(-1);
    assert.equal(login?.actor, 'admin:alice');
    assert.equal(login?.subject, 'admin_user:alice');
    // The session is stored hashed: the cookie value appears nowhere in the database.
    const secret = cookie.split(';')[0]!.split('=')[1]!;
    const rows = await ta.db.sql('select * from admin_sessions');
    assert.ok(rows.length > 0);
    assert.ok(!JSON.stringify(rows).includes(secret));
  });

  it('refuses to redirect anywhere but an admin page after sign-in', async () => {
    const b = new AdminClient(ta);
    const res = await b.submit('/admin/sign-in', '/admin/sign-in', {
      username: 'alice',
      password: ADMIN_PASSWORD,
      next: '//evil.example/admin',
    });
    assert.equal(res.location, '/admin');
  });

  it('a wrong password shows an error and starts no session; so does an unknown user, with the same words', async () => {
    for (const username of ['alice', 'mallory']) {
      const b = new AdminClient(ta);
      const res = await b.signIn(username, 'not the password at all');
      assert.equal(res.status, 401);
      assert.match(res.text, /role="alert"/);
      assert.match(res.text, /Wrong username or password\./);
      assert.ok(!res.setCookies.some((c) => c.startsWith('mcpsta_admin=')));
      assert.equal((await b.get('/admin')).status, 303);
    }
    // Failed sign-ins change no state but are recorded as refused admin.login events (issue 14),
    // one per username here — never with the password.
    const events = await auditActions(ta);
    assert.ok(!JSON.stringify(events).includes('not the password at all'));
    const refused = events.filter(
      (e) => e.action === 'admin.login' && (e as { outcome?: string }).outcome === 'refused',
    );
    assert.deepEqual(refused.map((e) => e.subject).sort(), [
      'admin_user:alice',
      'admin_user:mallory',
    ]);
  });

  it('a sign-in POST without the form token is refused (403) and starts no session', async () => {
    const b = new AdminClient(ta);
    await b.get('/admin/sign-in');
    const res = await b.request('POST', '/admin/sign-in', {
      username: 'alice',
      password: ADMIN_PASSWORD,
    });
    assert.equal(res.status, 403);
    assert.ok(!res.setCookies.some((c) => c.startsWith('mcpsta_admin=')));
  });

  it('a publisher API token, its auditor token — or even an admin API token — cannot reach /admin', async () => {
    const { token, publisherId } = await createPublisherWithToken(ta, 'Bearer Co');
    const auditor = await ta.request('POST', `/v1/publishers/${publisherId}/tokens`, {
      token: ta.adminToken,
      body: { role: 'auditor', label: 'their auditor' },
    });
    assert.equal(auditor.status, 201, auditor.text);
    const kid = (await ta.request('GET', '/v1/authority/keys', { token: ta.adminToken })).json
      .items[0].kid as string;
    for (const t of [token, auditor.json.token as string, ta.adminToken]) {
      const b = new AdminClient(ta, { authorization: `Bearer ${t}` });
      for (const path of [
        '/admin',
        '/admin/publishers',
        '/admin/audit',
        '/admin/audit/export.csv',
        '/admin/audit/export.jsonl',
        `/admin/keys/${kid}/revoke`,
        '/admin/find?q=Bearer',
      ]) {
        const res = await b.get(path);
        assert.equal(res.status, 303, `${path} with a bearer token`);
        assert.match(res.location ?? '', /^\/admin\/sign-in/);
      }
      const post = await b.request('POST', '/admin/publishers', { name: 'Via Bearer' });
      assert.equal(post.status, 303);
      const revoke = await b.request('POST', `/admin/keys/${kid}/revoke`, {
        reason: 'keyCompromise',
      });
      assert.equal(revoke.status, 303, 'no key revocation with a bearer token');
    }
    const keys = (await ta.request('GET', '/v1/authority/keys', { token: ta.adminToken })).json
      .items as Array<{ kid: string; status: string }>;
    assert.notEqual(keys.find((k) => k.kid === kid)!.status, 'revoked');
    const list = await ta.request('GET', '/v1/publishers?search=Via%20Bearer', {
      token: ta.adminToken,
    });
    assert.deepEqual(list.json.items, []);
  });

  it("a POST without the CSRF token, or with another session's, is refused with 403 and changes nothing", async () => {
    const a = new AdminClient(ta);
    const b = new AdminClient(ta);
    await a.signIn('alice');
    await b.signIn('alice');
    const missing = await a.request('POST', '/admin/publishers', { name: 'No Csrf' });
    assert.equal(missing.status, 403);
    assert.match(missing.text, /CSRF/);
    const wrong = await a.request('POST', '/admin/publishers', {
      name: 'Wrong Csrf',
      _csrf: 'x'.repeat(43),
    });
    assert.equal(wrong.status, 403);
    const others = await a.request('POST', '/admin/publishers', {
      name: 'Other Csrf',
      _csrf: csrfOf((await b.get('/admin')).text),
    });
    assert.equal(others.status, 403);
    const signOut = await a.request('POST', '/admin/sign-out', {});
    assert.equal(signOut.status, 403);
    const list = await ta.request('GET', '/v1/publishers', { token: ta.adminToken });
    assert.ok(!list.json.items.some((p: { name: string }) => p.name.endsWith('Csrf')));
    assert.equal((await a.get('/admin')).status, 200, 'still signed in');
  });

  it('signing out ends the session (the old cookie no longer works) and is audited', async () => {
    const b = new AdminClient(ta);
    await b.signIn('alice');
    const cookie = b.cookies.get('mcpsta_admin')!;
    const res = await b.submit('/admin', '/admin/sign-out');
    assert.equal(res.status, 303);
    assert.equal(res.location, '/admin/sign-in?signed_out=1');
    assert.equal(b.cookies.has('mcpsta_admin'), false);
    const replay = new AdminClient(ta);
    replay.cookies.set('mcpsta_admin', cookie);
    assert.equal((await replay.get('/admin')).status, 303);
    const logout = (await auditActions(ta)).filter((e) => e.action === 'admin.logout').at(-1);
    assert.equal(logout?.actor, 'admin:alice');
  });
});

describe('admin sign-in throttling', () => {
  let ta: TestService;
  before(async () => {
    ta = await startTestService();
    await createAdmin(ta, 'bob');
    await createAdmin(ta, 'carol');
  });
  after(async () => ta.stop());

  it('10 rapid wrong passwords → the next attempt gets 429 with a message, even with the right password', async () => {
    const b = new AdminClient(ta);
    for (let i = 1; i <= 10; i += 1)
      assert.equal((await b.signIn('bob', `wrong password ${i}`)).status, 401, `attempt ${i}`);
    const res = await b.signIn('bob');
    assert.equal(res.status, 429);
    assert.match(res.text, /Too many failed sign-in attempts/);
    assert.ok(Number(res.headers.get('retry-after')) > 0);
    assert.ok(!res.setCookies.some((c) => c.startsWith('mcpsta_admin=')));
    // Another account is not locked by bob's failures (the per-address limit is higher).
    assert.equal((await new AdminClient(ta).signIn('carol')).status, 303);
  });

  it('the per-address limit stops guessing across many usernames', async () => {
    let status = 0;
    for (let i = 0; i < 25 && status !== 429; i += 1)
      status = (await new AdminClient(ta).signIn(`user${i}`, 'wrong password')).status;
    assert.equal(status, 429);
  });

  it('concurrent guesses cannot slip past the limit (at most 10 reach the password check)', async () => {
    await createAdmin(ta, 'dave');
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        signIn(ta.persistence, {
          username: 'dave',
          password: `guess ${i}`,
          clientAddress: `10.0.0.${i}`,
        }),
      ),
    );
    const checked = results.filter((r) => r.outcome === 'invalid').length;
    assert.ok(checked <= 10, `${checked} attempts reached the password check`);
    assert.equal(results.filter((r) => r.outcome === 'throttled').length, 16 - checked);
  });
});

describe('admin session expiry', () => {
  let ta: TestService;
  const clock = fixedClock(new Date('2026-03-01T09:00:00Z'));
  before(async () => {
    ta = await startTestService({ clock });
    await createAdmin(ta, 'erin');
  });
  after(async () => ta.stop());

  it('an idle session expires: /admin redirects to sign-in saying so', async () => {
    const b = new AdminClient(ta);
    await b.signIn('erin');
    clock.advance(SESSION_IDLE_MS - 60_000);
    assert.equal((await b.get('/admin')).status, 200);
    clock.advance(SESSION_IDLE_MS);
    const res = await b.get('/admin');
    assert.equal(res.status, 303);
    assert.equal(res.location, '/admin/sign-in?next=%2Fadmin&expired=1');
    assert.match((await b.get(res.location!)).text, /Your session has expired/);
    clock.advance(-SESSION_IDLE_MS); // the cookie is gone and the row deleted: no way back
    assert.equal((await b.get('/admin')).status, 303);
  });

  it('an active session still ends at its absolute lifetime', async () => {
    const b = new AdminClient(ta);
    await b.signIn('erin');
    const steps = Math.floor(SESSION_ABSOLUTE_MS / (SESSION_IDLE_MS / 2));
    for (let i = 1; i < steps; i += 1) {
      clock.advance(SESSION_IDLE_MS / 2);
      assert.equal((await b.get('/admin/keys')).status, 200, `step ${i}`);
    }
    clock.advance(SESSION_IDLE_MS / 2);
    assert.equal((await b.get('/admin/keys')).status, 303);
  });

  it('the sign-in throttle lifts once the failures leave the 15-minute window', async () => {
    await createAdmin(ta, 'grace');
    const b = new AdminClient(ta);
    for (let i = 0; i < 10; i += 1)
      assert.equal((await b.signIn('grace', 'wrong password')).status, 401);
    clock.advance(60_000);
    const throttled = await b.signIn('grace');
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers.get('retry-after'), String(14 * 60));
    assert.match(throttled.text, /try again in 14 minutes/);
    clock.advance(14 * 60_000);
    assert.equal((await b.signIn('grace')).status, 303);
  });

  it('an expired session cannot POST either', async () => {
    const b = new AdminClient(ta);
    await b.signIn('erin');
    const page = await b.get('/admin/publishers/new');
    clock.advance(SESSION_IDLE_MS + 1);
    const res = await b.request('POST', '/admin/publishers', {
      _csrf: csrfOf(page.text),
      name: 'Too Late',
    });
    assert.equal(res.status, 303);
    assert.match(res.location ?? '', /^\/admin\/sign-in\?expired=1$/);
    const list = await ta.request('GET', '/v1/publishers', { token: ta.adminToken });
    assert.deepEqual(list.json.items, []);
  });
});

describe('admin cookies behind https', () => {
  let ta: TestService;
  before(async () => {
    ta = await startTestService({ env: { TA_PUBLIC_URL: 'https://ta.example' } });
    await createAdmin(ta, 'frank');
  });
  after(async () => ta.stop());

  it('are Secure with the __Host- prefix when TA_PUBLIC_URL is https', async () => {
    const b = new AdminClient(ta);
    const res = await b.signIn('frank');
    assert.equal(res.status, 303);
    const cookie = res.setCookies.find((c) => c.startsWith('__Host-mcpsta_admin='));
    assert.ok(cookie, JSON.stringify(res.setCookies));
    assert.match(cookie, /; Secure/);
    assert.match(cookie, /; HttpOnly/);
    assert.match(cookie, /; SameSite=Strict/);
    assert.equal((await b.get('/admin')).status, 200);
  });
});
