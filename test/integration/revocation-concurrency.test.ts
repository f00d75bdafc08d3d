// Concurrency of the revocation feed and the webhook outbox, with two service instances on one
// database (meaningful on PostgreSQL; on PGlite the same test runs serialised). A poller reading
// `since=next_since` while revocations commit from both instances never misses one, and each
// webhook event is delivered once even though both instances run a deliverer.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { buildService, type Service } from '../../src/service.js';
import { issueAgentPassport } from '../support/passports.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

// A generous per-request timeout: a retry after a timeout is a legitimate duplicate (at least once), and
// this test is about two instances never claiming the same delivery, not about slow receivers.
const FAST = {
  pollMs: 30,
  baseBackoffMs: 100,
  maxBackoffMs: 300,
  timeoutMs: 15_000,
  leaseMs: 30_000,
};
const SECRET = 'concurrency-secret-0123456789abcdef0123';

describe('revocation feed and webhooks with two instances', () => {
  let ta: TestService;
  let other: Service;
  let receiver: WebhookReceiver;
  let token: string;

  before(async () => {
    receiver = await startWebhookReceiver();
    ta = await startTestService({ env: { TA_ALLOW_PRIVATE_WEBHOOKS: '1' }, webhookTimings: FAST });
    other = await buildService(
      loadConfig({
        DATA_DIR: ta.config.dataDir,
        TA_KEK: ta.kek.toString('hex'),
        TA_ADMIN_TOKEN: ta.adminToken,
        TA_NAME: 'test-ta.example',
        LOG_LEVEL: 'silent',
        TA_ALLOW_PRIVATE_WEBHOOKS: '1',
      }),
      { logger: createLogger('silent'), database: await ta.db.openAnother(), webhookTimings: FAST },
    );
    ({ token } = await createPublisherWithToken(ta, 'Concurrent'));
    const hook = await ta.request('POST', '/v1/webhooks', {
      token,
      body: { url: receiver.url, secret: SECRET },
    });
    assert.equal(hook.status, 201);
  });
  after(async () => {
    await other.close();
    await receiver.stop();
    await ta.stop();
  });

  it('a poller following next_since sees every revocation once, in seq order, while both instances revoke', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 24; i += 1)
      ids.push(
        (await issueAgentPassport(ta, token, { name: `race-${i}` })).res.json.passport.passport_id,
      );
    const seen: number[] = [];
    let since = (await ta.request('GET', '/v1/revocations')).json.next_since as number;
    let done = false;
    const poll = async () => {
      for (;;) {
        const finished = done;
        const page = (await ta.request('GET', `/v1/revocations?since=${since}&limit=5`)).json;
        seen.push(...page.revocations.map((r: { seq: number }) => r.seq));
        since = page.next_since;
        if (!page.has_more && finished) return;
        if (!page.has_more) await new Promise((r) => setTimeout(r, 5));
      }
    };
    const poller = poll();
    const revoke = async (app: Service['app'], id: string) =>
      app.request(`/v1/passports/${id}/revoke`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ reason: 'keyCompromise' }),
      });
    const results = await Promise.all(ids.map((id, i) => revoke(i % 2 ? other.app : ta.app, id)));
    assert.deepEqual(
      results.map((r) => r.status),
      ids.map(() => 200),
    );
    done = true;
    await poller;

    const all = (await ta.request('GET', '/v1/revocations?limit=1000')).json.revocations as Array<{
      seq: number;
      subject: string;
    }>;
    const ours = all.filter((r) => ids.includes(r.subject)).map((r) => r.seq);
    assert.equal(ours.length, ids.length);
    assert.deepEqual(seen, ours, 'the poller saw exactly these, in order');
    assert.deepEqual(
      [...seen].sort((a, b) => a - b),
      seen,
    );
  });

  it('each event reaches the receiver once although both instances deliver', async () => {
    const feed = (await ta.request('GET', '/v1/revocations?limit=1000')).json
      .revocations as unknown[];
    const events = await receiver.waitFor(feed.length, 20_000);
    await new Promise((r) => setTimeout(r, 300)); // room for a duplicate to show up
    const ids = receiver.received.map((e) => JSON.parse(e.body.toString('utf8')).id as string);
    assert.equal(events.length, feed.length);
    const retried = await ta.db.sql(
      'select revocation_seq, attempts, status, last_error from webhook_deliveries where attempts > 1',
    );
    assert.equal(
      new Set(ids).size,
      ids.length,
      `no event delivered twice; retried: ${JSON.stringify(retried)}`,
    );
    assert.equal(ids.length, feed.length);
  });
});
