// Acceptance (issue 13) 3: webhooks are isolated per publisher. Publisher B registers 50 targets
// that accept the connection and never answer; every revocation is queued for all of them. Publisher
// A's notices still arrive within 3 s, because each delivery runs on its own with its own timeout
// and B holds at most its own few slots — while B's requests stay hung.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_DELIVERY_TIMINGS } from '../../src/webhooks/deliverer.js';
import { MAX_SUBSCRIPTIONS_PER_OWNER } from '../../src/webhooks/subscriptions.js';
import { assertProblem } from '../support/problem.js';
import { issueAgentPassport } from '../support/passports.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

/** Accepts connections and reads, never answers (loopback only). */
async function startBlackHole(): Promise<{
  url: string;
  open: () => number;
  stop: () => Promise<void>;
}> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('data', () => {});
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/never-answers`,
    open: () => sockets.size,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('webhook delivery isolation between publishers', () => {
  let ta: TestService;
  let receiver: WebhookReceiver;
  let hole: Awaited<ReturnType<typeof startBlackHole>>;
  let A: { token: string };
  let B: { token: string; publisherId: string };
  before(async () => {
    receiver = await startWebhookReceiver();
    hole = await startBlackHole();
    // Hung requests outlast the whole test: only their own timeout would end them.
    ta = await startTestService({
      env: { TA_ALLOW_PRIVATE_WEBHOOKS: '1' },
      webhookTimings: { pollMs: 50, timeoutMs: 60_000, leaseMs: 120_000 },
    });
    A = await createPublisherWithToken(ta, 'Patient A');
    B = await createPublisherWithToken(ta, 'Slow B');
    for (let i = 0; i < 50; i += 1) {
      const r = await ta.request('POST', '/v1/webhooks', {
        token: B.token,
        body: { url: `${hole.url}/${i}`, secret: 'b'.repeat(32) },
      });
      assert.equal(r.status, 201, r.text);
    }
    // 50 is also the most one publisher may register.
    assert.equal(MAX_SUBSCRIPTIONS_PER_OWNER, 50);
    assertProblem(
      await ta.request('POST', '/v1/webhooks', {
        token: B.token,
        body: { url: `${hole.url}/51`, secret: 'b'.repeat(32) },
      }),
      409,
      'body.url',
    );
    const r = await ta.request('POST', '/v1/webhooks', {
      token: A.token,
      body: { url: receiver.url, secret: 'a'.repeat(32) },
    });
    assert.equal(r.status, 201, r.text);
    // B's backlog starts first: one of B's own revocations, queued for all 51 targets.
    const { res } = await issueAgentPassport(ta, B.token, { name: 'b-bot' });
    await ta.request('POST', `/v1/passports/${res.json.passport.passport_id}/revoke`, {
      token: B.token,
      body: { reason: 'keyCompromise' },
    });
    const deadline = Date.now() + 10_000;
    while (hole.open() < DEFAULT_DELIVERY_TIMINGS.perOwnerConcurrency && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
  });
  after(async () => {
    await hole.stop(); // ends the hung requests, so the service stops promptly
    await receiver.stop();
    await ta.stop();
  });

  it("A's 5 revocation notices arrive within 3 s while B's 50 targets hang", async () => {
    assert.equal(
      hole.open(),
      DEFAULT_DELIVERY_TIMINGS.perOwnerConcurrency,
      "B's targets hold B's slots, no more",
    );
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1)
      ids.push(
        (await issueAgentPassport(ta, A.token, { name: `a-bot-${i}` })).res.json.passport
          .passport_id,
      );
    const before = receiver.received.length;
    const revokedAt = new Map<string, number>();
    for (const id of ids) {
      assert.equal(
        (
          await ta.request('POST', `/v1/passports/${id}/revoke`, {
            token: A.token,
            body: { reason: 'keyCompromise' },
          })
        ).status,
        200,
      );
      revokedAt.set(id, Date.now());
    }
    const events = (await receiver.waitFor(before + 5, 10_000)).slice(before);
    // Each notice's delay: from the revocation's answer to its arrival at A's receiver.
    const delays = events.map((e) => {
      const subject = JSON.parse(e.body.toString('utf8')).revocation.subject as string;
      assert.ok(revokedAt.has(subject), `unexpected event for ${subject}`);
      return (e.at - revokedAt.get(subject)!) / 1000;
    });
    assert.ok(Math.max(...delays) < 3, `delays ${delays.join(', ')} s`);
    // Meanwhile B's requests are still hung, and B never exceeded its slots.
    assert.equal(hole.open(), DEFAULT_DELIVERY_TIMINGS.perOwnerConcurrency);
    assert.equal(
      ta.webhooks.inFlight().get(B.publisherId),
      DEFAULT_DELIVERY_TIMINGS.perOwnerConcurrency,
    );
  });
});
