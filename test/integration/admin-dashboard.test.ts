// Issue 18: the dashboard lists what expires within 7 days (passports, certificates, authority
// keys, CRL next updates), charts issuances and revocations per UTC day (SVG + the same figures as
// a table), shows the webhook backlog and failures; the webhooks page lists subscriptions and
// their newest deliveries.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fixedClock } from '../../src/clock.js';
import { AdminClient, createAdmin } from '../support/admin.js';
import { issueAgentPassport } from '../support/passports.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const FAST = {
  pollMs: 50,
  baseBackoffMs: 100,
  maxBackoffMs: 400,
  timeoutMs: 2000,
  leaseMs: 5000,
  maxAttempts: 3,
};

describe('admin: dashboard and webhooks', () => {
  let ta: TestService;
  let b: AdminClient;
  let receiver: WebhookReceiver;
  let soonId: string;
  let laterId: string;

  before(async () => {
    receiver = await startWebhookReceiver();
    receiver.answer = 500;
    ta = await startTestService({ env: { TA_ALLOW_PRIVATE_WEBHOOKS: '1' }, webhookTimings: FAST });
    await createAdmin(ta, 'alice');
    b = new AdminClient(ta);
    assert.equal((await b.signIn('alice')).status, 303);
    const acme = await createPublisherWithToken(ta, 'Dash Co');
    const hook = await ta.request('POST', '/v1/webhooks', {
      token: acme.token,
      body: {
        url: receiver.url,
        secret: 'whsec-test-0123456789abcdef0123456789abcdef',
        description: 'failing receiver',
      },
    });
    assert.equal(hook.status, 201, hook.text);
    soonId = (await issueAgentPassport(ta, acme.token, { name: 'short-lived', ttlDays: 3 })).res
      .json.passport.passport_id;
    laterId = (await issueAgentPassport(ta, acme.token, { name: 'long-lived', ttlDays: 30 })).res
      .json.passport.passport_id;
    const third = (await issueAgentPassport(ta, acme.token, { name: 'revoked-one', ttlDays: 2 }))
      .res.json.passport.passport_id;
    assert.equal(
      (
        await ta.request('POST', `/v1/passports/${third}/revoke`, {
          token: acme.token,
          body: { reason: 'keyCompromise' },
        })
      ).status,
      200,
    );
    await receiver.waitFor(1);
  });
  after(async () => {
    await ta?.stop();
    await receiver?.stop();
  });

  it('lists passports expiring within 7 days (not later ones, not revoked ones)', async () => {
    const page = await b.get('/admin');
    assert.equal(page.status, 200);
    assert.match(page.text, /<h2 id="expiring-heading">Expiring within 7 days<\/h2>/);
    assert.match(
      page.text,
      new RegExp(
        `<li id="expiring-passports-${soonId}"><a href="/admin/passports/${soonId}">agent short-lived</a>`,
      ),
    );
    assert.doesNotMatch(page.text, new RegExp(`expiring-passports-${laterId}`));
    assert.match(
      page.text,
      /<h3 id="expiring-passports">Passports \(1\)<\/h3>/,
      'the revoked one is not listed',
    );
    assert.match(page.text, /<h3 id="expiring-certificates">Certificates \(0\)<\/h3>/);
    assert.match(page.text, /<h3 id="expiring-keys">Issuing CA and authority keys \(0\)<\/h3>/);
    assert.match(page.text, /<h3 id="expiring-crls">CRL next updates \(\d+\)<\/h3>/);
  });

  it("charts today's issuances and revocations, with the same figures in a table", async () => {
    const page = await b.get('/admin');
    assert.match(
      page.text,
      /<svg viewBox="0 0 720 180" role="img" aria-labelledby="activity-title"/,
    );
    assert.match(
      page.text,
      /<title id="activity-title">Issuances \(3\) and revocations \(1\) per day/,
    );
    const today = ta.persistence.clock.now().toISOString().slice(0, 10);
    assert.match(
      page.text,
      new RegExp(`<tr><td>${today}</td><td class="num">3</td><td class="num">1</td></tr>`),
    );
    assert.equal((page.text.match(/<tr><td>\d{4}-\d{2}-\d{2}<\/td>/g) ?? []).length, 30);
  });

  it('shows the webhook backlog and the failed attempts, and the webhooks page lists the subscription and its deliveries', async () => {
    let page = await b.get('/admin');
    for (let i = 0; i < 100 && !page.text.includes('HTTP 500'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      page = await b.get('/admin');
    }
    assert.match(page.text, /<h2 id="webhooks-heading">Webhook deliveries<\/h2>/);
    assert.match(page.text, /backlog \(pending\)/);
    assert.ok(
      page.text.includes(`${receiver.url}</a> — revocation `),
      'the failing delivery is listed',
    );
    assert.match(page.text, /HTTP 500/);

    const list = await b.get('/admin/webhooks');
    assert.equal(list.status, 200);
    const id = new RegExp(
      `<tr id="(whk_[0-9a-f]{32})"><td><a href="/admin/webhooks/whk_[0-9a-f]{32}">${receiver.url.replace(/[.?]/g, '\\$&')}</a></td><td><span class="named"><a href="/admin/publishers/pub_[0-9a-f]{32}">Dash Co</a>`,
    ).exec(list.text)?.[1];
    assert.ok(id, list.text);
    const detail = await b.get(`/admin/webhooks/${id}`);
    assert.equal(detail.status, 200);
    assert.match(detail.text, /<th scope="col" class="num">Revocation seq<\/th>/);
    assert.match(detail.text, /HTTP 500/);
    assert.equal((await b.get('/admin/webhooks/whk_nope')).status, 404);
    assert.equal((await b.get(`/admin/find?q=${id}`)).location, `/admin/webhooks/${id}`);
  });
  it('retries a dead letter from the webhook page: confirm, then it is queued again, delivered and audited', async () => {
    const list = await b.get('/admin/webhooks');
    const id = /<tr id="(whk_[0-9a-f]{32})">/.exec(list.text)?.[1];
    assert.ok(id, list.text);
    let detail = await b.get(`/admin/webhooks/${id}`);
    for (let i = 0; i < 200 && !detail.text.includes('>Retry</a>'); i++) {
      await new Promise((r) => setTimeout(r, 50)); // the deliverer gives up after its last attempt
      detail = await b.get(`/admin/webhooks/${id}`);
    }
    const href =
      /<a href="(\/admin\/webhooks\/whk_[0-9a-f]{32}\/deliveries\/\d+\/retry)">Retry<\/a>/.exec(
        detail.text,
      )?.[1];
    assert.ok(href, detail.text);
    const ask = await b.get(href);
    assert.equal(ask.status, 200);
    assert.match(ask.text, /Retry delivery/);
    receiver.answer = 200;
    const done = await b.submit(href, href);
    assert.equal(done.status, 303, done.text);
    assert.equal(done.location, `/admin/webhooks/${id}`);
    for (let i = 0; i < 200 && !detail.text.includes('>delivered<'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      detail = await b.get(`/admin/webhooks/${id}`);
    }
    assert.match(detail.text, />delivered</);
    const audit = await ta.request('GET', '/v1/audit?limit=200', { token: ta.adminToken });
    assert.ok(
      (audit.json.items as Array<{ action: string; actor: string }>).some(
        (e) => e.action === 'webhook.delivery_retried' && e.actor === 'admin:alice',
      ),
      'the retry is audited, attributed to the admin',
    );
    // Nothing to retry any more: a delivered delivery gets the inline refusal, not a 500.
    const again = await b.submit(href, href);
    assert.equal(again.status, 409);
  });
});

describe('admin: dashboard lists the issuing CA when its certificate ends within 7 days', () => {
  let ta: TestService;
  const clock = fixedClock(new Date('2026-06-01T12:00:00Z'));
  before(async () => {
    ta = await startTestService({ clock });
    await createAdmin(ta, 'alice');
  });
  after(async () => ta?.stop());

  it('shows no key a week before nothing ends, then the issuing CA three days before its notAfter', async () => {
    const keys = (await ta.request('GET', '/v1/authority/keys', { token: ta.adminToken })).json
      .items as Array<{ kid: string; purpose: string; not_after: string | null }>;
    const ca = keys.find((k) => k.purpose === 'issuing-ca')!;
    assert.ok(ca.not_after, 'the issuing CA has a notAfter');
    const b = new AdminClient(ta);
    assert.equal((await b.signIn('alice')).status, 303);
    assert.match(
      (await b.get('/admin')).text,
      /<h3 id="expiring-keys">Issuing CA and authority keys \(0\)<\/h3>/,
    );
    clock.set(new Date(Date.parse(ca.not_after) - 3 * 86_400_000));
    const late = new AdminClient(ta);
    assert.equal((await late.signIn('alice')).status, 303);
    const page = await late.get('/admin');
    assert.match(
      page.text,
      /<h3 id="expiring-keys">Issuing CA and authority keys \([1-9]\d*\)<\/h3>/,
    );
    assert.match(
      page.text,
      new RegExp(
        `<li id="expiring-keys-${ca.kid}"><a href="/admin/keys#key-${ca.kid}">issuing-ca</a> \\(active\\)`,
      ),
    );
  });
});
