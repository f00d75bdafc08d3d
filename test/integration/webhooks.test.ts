// Revocation webhooks (issue 7): a registered receiver gets each revocation as an event signed
// with HMAC-SHA256 over the raw body; the outbox is in the database, so an event queued while the
// receiver is down and the service restarts still arrives once the receiver is back; loopback
// targets only with TA_ALLOW_PRIVATE_WEBHOOKS; owners see their delivery history.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifyWebhookSignature } from '../../src/webhooks/event.js';
import { issueAgentPassport } from '../support/passports.js';
import { assertProblem } from '../support/problem.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';
import { runPython } from '../support/tools.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { waitFor } from '../support/wait.js';

const SECRET = 'whsec-test-0123456789abcdef0123456789abcdef';
const FAST = { pollMs: 50, baseBackoffMs: 100, maxBackoffMs: 400, timeoutMs: 2000, leaseMs: 5000 };
const PRIVATE = { TA_ALLOW_PRIVATE_WEBHOOKS: '1' };

describe('revocation webhooks', () => {
  let ta: TestService;
  let receiver: WebhookReceiver;
  let token: string;
  let webhookId: string;
  const revokeNew = async (name: string) => {
    const { res } = await issueAgentPassport(ta, token, { name });
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
    return id;
  };
  const history = async () =>
    (await ta.request('GET', `/v1/webhooks/${webhookId}/deliveries`, { token })).json
      .items as Array<Record<string, any>>;

  before(async () => {
    receiver = await startWebhookReceiver();
    ta = await startTestService({ env: PRIVATE, webhookTimings: FAST });
    ({ token } = await createPublisherWithToken(ta, 'Hook Owner'));
  });
  after(async () => {
    await receiver.stop();
    await ta.stop();
  });

  it('registers a webhook; the secret is never returned', async () => {
    const res = await ta.request('POST', '/v1/webhooks', {
      token,
      body: { url: receiver.url, secret: SECRET, description: 'relying party' },
    });
    assert.equal(res.status, 201);
    assert.match(res.json.id, /^whk_[0-9a-f]{32}$/);
    assert.deepEqual(res.json.kinds, []);
    assert.ok(!res.text.includes(SECRET));
    webhookId = res.json.id;
    const [row] = await ta.db.sql('select sealed_secret from webhook_subscriptions where id = $1', [
      webhookId,
    ]);
    assert.ok(!String(row!.sealed_secret).includes(SECRET), 'stored sealed, not in the clear');
    assert.deepEqual(
      (await ta.request('GET', '/v1/webhooks', { token })).json.items.map(
        (w: { id: string }) => w.id,
      ),
      [webhookId],
    );
  });

  it('a revocation arrives as an event signed with HMAC-SHA256 over the raw body', async () => {
    const id = await revokeNew('hooked-bot');
    const [event] = await receiver.waitFor(1);
    const header = event!.headers['x-mcps-signature'] as string;
    assert.ok(verifyWebhookSignature(SECRET, event!.body, header));
    assert.ok(!verifyWebhookSignature('another-secret-another-secret-xx', event!.body, header));
    assert.ok(
      !verifyWebhookSignature(SECRET, Buffer.concat([event!.body, Buffer.from(' ')]), header),
    );
    // An independent HMAC implementation agrees.
    const py = runPython(
      'import sys, hmac, hashlib, json\nd = json.load(sys.stdin)\nprint("sha256=" + hmac.new(d["k"].encode(), bytes.fromhex(d["b"]), hashlib.sha256).hexdigest())',
      JSON.stringify({ k: SECRET, b: event!.body.toString('hex') }),
    );
    assert.equal(py.trim(), header);
    const body = JSON.parse(event!.body.toString('utf8'));
    assert.equal(body.type, 'mcps.revocation');
    assert.equal(body.issuer, 'test-ta.example');
    assert.equal(body.subscription_id, webhookId);
    assert.deepEqual(
      [body.revocation.kind, body.revocation.subject, body.revocation.reason],
      ['passport', id, 'keyCompromise'],
    );
    assert.equal(event!.headers['x-mcps-event-id'], body.id);
    assert.equal(event!.headers['content-type'], 'application/json');
    // the event's seq is the feed's
    const feed = (await ta.request('GET', '/v1/revocations')).json;
    assert.equal(
      feed.revocations.find((r: { subject: string }) => r.subject === id).seq,
      body.revocation.seq,
    );

    const h = await waitFor('delivered history', async () =>
      (await history())[0]?.status === 'delivered' ? history() : undefined,
    );
    assert.deepEqual(
      [h[0]!.revocation_seq, h[0]!.attempts, h[0]!.last_status_code, h[0]!.next_attempt_at],
      [body.revocation.seq, 1, 204, null],
    );
  });

  it('with the receiver down and the service restarted in between, the event arrives once the receiver is back', async () => {
    await receiver.stop();
    const id = await revokeNew('while-down-bot');
    // It was tried and failed (connection refused), and is still pending.
    const failed = await waitFor('a failed attempt', async () => {
      const d = (await history()).find(
        (x) => x.status === 'pending' && x.attempts >= 1 && x.last_error,
      );
      return d;
    });
    assert.match(failed.last_error, /connect|ECONNREFUSED/);
    assert.equal(failed.last_status_code, null);

    // Restart: stop this service, build a new one on the same database (same KEK and admin token).
    const { db, kek, adminToken } = ta;
    await ta.close();
    ta = await startTestService({ db, kek, adminToken, env: PRIVATE, webhookTimings: FAST });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(receiver.received.length, 1, 'nothing arrives while the receiver is down');

    await receiver.start();
    const events = await receiver.waitFor(2);
    const body = JSON.parse(events[1]!.body.toString('utf8'));
    assert.equal(body.revocation.subject, id);
    assert.ok(
      verifyWebhookSignature(
        SECRET,
        events[1]!.body,
        events[1]!.headers['x-mcps-signature'] as string,
      ),
    );
    const d = await waitFor('delivered after restart', async () =>
      (await history()).find(
        (x) => x.revocation_seq === body.revocation.seq && x.status === 'delivered',
      ),
    );
    assert.ok(d.attempts >= 2, `attempts ${d.attempts}`);
    assert.equal(Number(events[1]!.headers['x-mcps-delivery-attempt']), d.attempts);
  });

  it('a non-2xx answer is retried with backoff until it succeeds', async () => {
    receiver.answer = 500;
    const before = receiver.received.length;
    await revokeNew('flaky-bot');
    await receiver.waitFor(before + 2);
    receiver.answer = 204;
    const first = JSON.parse(receiver.received[before]!.body.toString('utf8'));
    const d = await waitFor('delivered after 500s', async () =>
      (await history()).find(
        (x) => x.revocation_seq === first.revocation.seq && x.status === 'delivered',
      ),
    );
    assert.ok(d.attempts >= 3);
    // every retry sends the same bytes (receivers deduplicate on id)
    assert.ok(
      receiver.received.slice(before).every((e) => e.body.equals(receiver.received[before]!.body)),
    );
  });

  it('only matching kinds are delivered to a filtered webhook; a deleted webhook gets nothing more', async () => {
    const filtered = await ta.request('POST', '/v1/webhooks', {
      token,
      body: { url: `${receiver.url}?only=manifest`, secret: SECRET, kinds: ['manifest'] },
    });
    assert.equal(filtered.status, 201);
    const sent = receiver.received.length;
    await revokeNew('unfiltered-bot');
    // The unfiltered webhook gets it (so the delivery round ran); the filtered one does not.
    await receiver.waitFor(sent + 1);
    assert.deepEqual(
      (await ta.request('GET', `/v1/webhooks/${filtered.json.id}/deliveries`, { token })).json
        .items,
      [],
    );

    const del = await ta.request('DELETE', `/v1/webhooks/${webhookId}`, { token });
    assert.equal(del.status, 200);
    assert.ok(del.json.deleted_at);
    const count = receiver.received.length;
    await revokeNew('after-delete-bot');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(receiver.received.length, count);
    assert.equal(
      (await ta.request('GET', `/v1/webhooks/${webhookId}`, { token })).status,
      200,
      'history stays readable',
    );
    assert.deepEqual(
      (await ta.request('GET', '/v1/webhooks', { token })).json.items.map(
        (w: { id: string }) => w.id,
      ),
      [filtered.json.id],
    );
  });

  it('another publisher neither sees nor deletes the webhook; admins see all', async () => {
    const b = await createPublisherWithToken(ta, 'Stranger');
    assertProblem(await ta.request('GET', `/v1/webhooks/${webhookId}`, { token: b.token }), 404);
    assertProblem(
      await ta.request('GET', `/v1/webhooks/${webhookId}/deliveries`, { token: b.token }),
      404,
    );
    assertProblem(await ta.request('DELETE', `/v1/webhooks/${webhookId}`, { token: b.token }), 404);
    assert.deepEqual((await ta.request('GET', '/v1/webhooks', { token: b.token })).json.items, []);
    assert.ok(
      (await ta.request('GET', '/v1/webhooks', { token: ta.adminToken })).json.items.length >= 1,
    );
    assertProblem(
      await ta.request('POST', '/v1/webhooks', { body: { url: receiver.url, secret: SECRET } }),
      401,
    );
  });

  it('refuses bad input with a 400 naming the field, storing nothing', async () => {
    const count = async () =>
      (
        (await ta.db.sql('select count(*)::int as n from webhook_subscriptions'))[0] as {
          n: number;
        }
      ).n;
    const before = await count();
    assertProblem(
      await ta.request('POST', '/v1/webhooks', {
        token,
        body: { url: 'not a url', secret: SECRET },
      }),
      400,
      'body.url',
    );
    assertProblem(
      await ta.request('POST', '/v1/webhooks', {
        token,
        body: { url: 'ftp://example.com/x', secret: SECRET },
      }),
      400,
      'body.url',
    );
    assertProblem(
      await ta.request('POST', '/v1/webhooks', {
        token,
        body: { url: 'https://user:pw@example.com/x', secret: SECRET },
      }),
      400,
      'body.url',
    );
    assertProblem(
      await ta.request('POST', '/v1/webhooks', {
        token,
        body: { url: 'https://example.com/x', secret: 'short' },
      }),
      400,
      'body.secret',
    );
    assertProblem(
      await ta.request('POST', '/v1/webhooks', {
        token,
        body: { url: 'https://example.com/x', secret: SECRET, kinds: ['everything'] },
      }),
      400,
      'body.kinds.0',
    );
    assertProblem(await ta.request('GET', '/v1/webhooks/whk_nope', { token }), 400, 'path.id');
    assert.equal(await count(), before);
  });
});

describe('webhook targets without TA_ALLOW_PRIVATE_WEBHOOKS', () => {
  it('refuses loopback and private targets at registration, and blocks them at delivery', async () => {
    const receiver = await startWebhookReceiver();
    const relaxed = await startTestService({ env: PRIVATE, webhookTimings: FAST });
    let strict: TestService | undefined;
    try {
      const { token } = await createPublisherWithToken(relaxed, 'Guarded');
      // Registered while private targets were allowed…
      const hook = await relaxed.request('POST', '/v1/webhooks', {
        token,
        body: {
          url: receiver.url.replace('http://127.0.0.1', 'https://localhost'),
          secret: SECRET,
        },
      });
      assert.equal(hook.status, 201);
      const { db, kek, adminToken } = relaxed;
      await relaxed.close();
      // …then the service runs without the setting: registration and delivery are both guarded.
      strict = await startTestService({ db, kek, adminToken, webhookTimings: FAST });
      const port = new URL(receiver.url).port;
      for (const url of [
        receiver.url,
        `https://127.0.0.1:${port}/x`,
        `https://localhost:${port}/x`,
        'https://10.1.2.3/x',
        'https://[::1]/x',
        'https://169.254.169.254/latest',
      ]) {
        assertProblem(
          await strict.request('POST', '/v1/webhooks', { token, body: { url, secret: SECRET } }),
          400,
          'body.url',
        );
      }
      const { res } = await issueAgentPassport(strict, token, { name: 'guarded-bot' });
      await strict.request('POST', `/v1/passports/${res.json.passport.passport_id}/revoke`, {
        token,
        body: { reason: 'keyCompromise' },
      });
      const h = await waitFor('a blocked attempt', async () => {
        const items = (
          await strict!.request('GET', `/v1/webhooks/${hook.json.id}/deliveries`, { token })
        ).json.items;
        return items.find(
          (x: { attempts: number; last_error: string | null }) => x.attempts >= 1 && x.last_error,
        );
      });
      assert.match(h.last_error, /localhost resolves to a non-public address/);
      assert.equal(receiver.received.length, 0);
    } finally {
      await receiver.stop();
      await (strict ?? relaxed).stop();
    }
  });
});

// Issue 13: exponential back-off ends in a dead-letter state (failed) shown by the API; the owner
// lists the dead letters and retries one, which then gets a fresh series of attempts.
describe('webhook dead letters and retry', () => {
  let ta: TestService;
  let receiver: WebhookReceiver;
  let owner: { token: string; publisherId: string };
  let other: { token: string };
  let webhookId: string;
  before(async () => {
    receiver = await startWebhookReceiver();
    ta = await startTestService({
      env: PRIVATE,
      webhookTimings: { ...FAST, baseBackoffMs: 200, maxBackoffMs: 2000, maxAttempts: 3 },
    });
    owner = await createPublisherWithToken(ta, 'Dead letter owner');
    other = await createPublisherWithToken(ta, 'Dead letter other');
  });
  after(async () => {
    await receiver.stop();
    await ta.stop();
  });
  const deliveries = async (query = '') =>
    (
      await ta.request('GET', `/v1/webhooks/${webhookId}/deliveries${query}`, {
        token: owner.token,
      })
    ).json.items as Array<Record<string, any>>;

  it('after the last failed attempt (backing off exponentially) the delivery is a dead letter; owner retries it and it is delivered', async () => {
    receiver.answer = 503;
    const hook = await ta.request('POST', '/v1/webhooks', {
      token: owner.token,
      body: { url: receiver.url, secret: SECRET },
    });
    assert.equal(hook.status, 201);
    webhookId = hook.json.id;
    const { res } = await issueAgentPassport(ta, owner.token, { name: 'dead-letter-bot' });
    const pid = res.json.passport.passport_id as string;
    assert.equal(
      (
        await ta.request('POST', `/v1/passports/${pid}/revoke`, {
          token: owner.token,
          body: { reason: 'keyCompromise' },
        })
      ).status,
      200,
    );
    const dead = await waitFor(
      'a dead letter',
      async () => (await deliveries()).find((d) => d.status === 'failed'),
      20_000,
    );
    assert.equal(dead.attempts, 3);
    assert.equal(dead.last_status_code, 503);
    assert.equal(dead.next_attempt_at, null);
    assert.equal(receiver.received.length, 3, 'no attempt after giving up');
    // Back-off: the waits grow (full jitter on the upper half of 200 ms, then of 400 ms).
    const [a, b, c] = receiver.received.map((e) => e.at) as [number, number, number];
    assert.ok(b - a >= 90 && c - b >= 190, `waits ${b - a} ms, ${c - b} ms`);

    const failed = await deliveries('?status=failed');
    assert.deepEqual(
      failed.map((d) => d.revocation_seq),
      [dead.revocation_seq],
    );
    assert.deepEqual(await deliveries('?status=delivered'), []);
    assertProblem(
      await ta.request('GET', `/v1/webhooks/${webhookId}/deliveries?status=lost`, {
        token: owner.token,
      }),
      400,
      'query.status',
    );

    const path = `/v1/webhooks/${webhookId}/deliveries/${dead.revocation_seq}/retry`;
    assert.equal(
      (await ta.request('POST', path, { token: other.token })).status,
      404,
      "another publisher cannot see, let alone retry, A's delivery",
    );
    const { token: auditor } = await createPublisherWithToken(ta, 'Dead letter auditor', 'auditor');
    assert.equal((await ta.request('POST', path, { token: auditor })).status, 403);
    assert.equal(
      (
        await ta.request('POST', `/v1/webhooks/${webhookId}/deliveries/999999/retry`, {
          token: owner.token,
        })
      ).status,
      404,
    );

    receiver.answer = 204;
    const retried = await ta.request('POST', path, { token: owner.token });
    assert.equal(retried.status, 200, retried.text);
    assert.equal(retried.json.status, 'pending');
    assert.equal(retried.json.attempts, 0);
    const delivered = await waitFor('delivered after the retry', async () =>
      (await deliveries()).find((d) => d.status === 'delivered'),
    );
    assert.equal(delivered.revocation_seq, dead.revocation_seq);
    assert.equal(receiver.received.length, 4);
    const again = await ta.request('POST', path, { token: owner.token });
    assertProblem(again, 409);
    assert.match(
      again.json.detail,
      /only a failed \(dead-letter\) delivery can be retried; this one is delivered/,
    );
    const audit = await ta.request('GET', '/v1/audit?limit=1000', { token: ta.adminToken });
    const event = audit.json.items.find(
      (e: { action: string }) => e.action === 'webhook.delivery_retried',
    );
    assert.equal(event?.subject, `webhook:${webhookId}`);
    assert.equal(event?.actor.startsWith('token:'), true);
  });
});
