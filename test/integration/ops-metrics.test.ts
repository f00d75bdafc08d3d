// Acceptance (issue 13) 6: /metrics carries figures worth alerting on (names: docs/metrics.md),
// read from the database: issuance, revocations by kind and reason, CRL age and time to
// nextUpdate per issuer, webhook backlog, retries and dead letters, seconds to expiry of each
// authority key; and counted by the instance: refused requests by status and problem code, OCSP
// answers by status; and the transparency log's sequencing lag. One of each action, then the
// counters are read back.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { issueCertificate } from '../../src/certificates/issue.js';
import { certificateFixture } from '../support/certificates.js';
import { makeCsr, tempFile } from '../support/csr.js';
import { issueAgentPassport } from '../support/passports.js';
import { openssl } from '../support/tools.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';

function sample(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries(
      [...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

describe('operational metrics', () => {
  let ta: TestService;
  let token: string;
  before(async () => {
    ta = await startTestService({ env: { TA_ALLOW_PRIVATE_WEBHOOKS: '1' } });
    ({ token } = await createPublisherWithToken(ta, 'Metered'));
  });
  after(async () => ta.stop());
  const scrape = async () => {
    const res = await ta.request('GET', '/metrics');
    assert.equal(res.status, 200);
    return res.text;
  };

  it('exposes CRL freshness and authority key expiry from the start', async () => {
    const text = await scrape();
    assert.equal(sample(text, 'mcps_ta_stats_up'), 1);
    const crlLines = text
      .split('\n')
      .filter((l) => l.startsWith('mcps_ta_crl_next_update_seconds{'));
    assert.ok(crlLines.length >= 1, text);
    for (const l of crlLines)
      assert.ok(Number(l.split(' ').pop()) > 0, `${l}: a fresh CRL is not stale`);
    const age = sample(text, 'mcps_ta_crl_age_seconds');
    assert.ok(age !== undefined && age >= 0 && age < 3600, String(age));
    const expiries = text
      .split('\n')
      .filter((l) => l.startsWith('mcps_ta_authority_key_expiry_seconds{'));
    assert.ok(
      expiries.some((l) => /purpose="[^"]*ca[^"]*"/i.test(l)),
      expiries.join('\n'),
    );
    for (const l of expiries) assert.ok(Number(l.split(' ').pop()) > 86_400, l);
    assert.equal(sample(text, 'mcps_ta_webhook_deliveries', { status: 'pending' }), 0);
  });

  it('counts an issued and a revoked passport, and the webhook backlog the revocation queued', async () => {
    const hook = await ta.request('POST', '/v1/webhooks', {
      token,
      body: { url: 'http://127.0.0.1:9/closed-port', secret: 'm'.repeat(32) },
    });
    assert.equal(hook.status, 201, hook.text);
    const { res } = await issueAgentPassport(ta, token, { name: 'metered-bot' });
    assert.equal(res.status, 201, res.text);
    let text = await scrape();
    assert.equal(sample(text, 'mcps_ta_issued', { kind: 'passport', type: 'agent' }), 1);
    assert.equal(
      sample(text, 'mcps_ta_revocations', { kind: 'passport', reason: 'keyCompromise' }),
      undefined,
    );
    const revoke = await ta.request(
      'POST',
      `/v1/passports/${res.json.passport.passport_id}/revoke`,
      { token, body: { reason: 'keyCompromise' } },
    );
    assert.equal(revoke.status, 200);
    text = await scrape();
    assert.equal(
      sample(text, 'mcps_ta_revocations', { kind: 'passport', reason: 'keyCompromise' }),
      1,
    );
    // The closed port refuses: the delivery stays pending (backing off), never delivered.
    assert.equal(sample(text, 'mcps_ta_webhook_deliveries', { status: 'pending' }), 1);
    assert.equal(sample(text, 'mcps_ta_webhook_deliveries', { status: 'delivered' }), 0);
    assert.ok(sample(text, 'mcps_ta_webhook_oldest_pending_seconds')! >= 0);
    // After the first refused attempt the delivery is counted as retrying (default back-off ≥ 2.5 s).
    const deadline = Date.now() + 20_000;
    while (sample(text, 'mcps_ta_webhook_retrying') !== 1 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      text = await scrape();
    }
    assert.equal(sample(text, 'mcps_ta_webhook_retrying'), 1, text);
  });

  it('counts refused requests by status and problem code', async () => {
    const before = await scrape();
    const unauthorized =
      sample(before, 'mcps_ta_refused_requests_total', { status: '401', code: 'unauthorized' }) ??
      0;
    const invalid =
      sample(before, 'mcps_ta_refused_requests_total', {
        status: '400',
        code: 'invalid-request',
      }) ?? 0;
    assert.equal((await ta.request('POST', '/v1/publishers', { body: { name: 'x' } })).status, 401);
    assert.equal(
      (await ta.request('POST', '/v1/publishers', { token: ta.adminToken, body: { name: 7 } }))
        .status,
      400,
    );
    const notFound =
      sample(before, 'mcps_ta_refused_requests_total', { status: '404', code: 'not-found' }) ?? 0;
    assert.equal((await ta.request('GET', `/v1/passports/asp_${'0'.repeat(32)}`)).status, 404);
    const text = await scrape();
    assert.equal(
      sample(text, 'mcps_ta_refused_requests_total', { status: '401', code: 'unauthorized' }),
      unauthorized + 1,
    );
    assert.equal(
      sample(text, 'mcps_ta_refused_requests_total', { status: '400', code: 'invalid-request' }),
      invalid + 1,
    );
    assert.equal(
      sample(text, 'mcps_ta_refused_requests_total', { status: '404', code: 'not-found' }),
      notFound + 1,
    );
  });

  it('counts an issued and a revoked certificate, and OCSP answers good, revoked, unknown and malformed', async () => {
    const f = await certificateFixture(ta);
    const issue = async () =>
      (
        await issueCertificate(f.ctx, f.a.principal, {
          csr: makeCsr('P-256').csrPem,
          profile: 'client',
          subject: f.passport.passportId,
        })
      ).record;
    const good = tempFile('metrics-good.pem', (await issue()).pem);
    const r = await issue();
    const revoked = tempFile('metrics-revoked.pem', r.pem);
    const res = await ta.request('POST', `/v1/certificates/${r.serial}/revoke`, {
      token: f.a.token,
      body: { reason: 'superseded' },
    });
    assert.equal(res.status, 200, res.text);
    const ocsp = async (args: string[]) => {
      const file = tempFile('metrics-ocsp.der', '');
      assert.equal(
        openssl(['ocsp', '-no_nonce', '-issuer', f.ca.issuing, ...args, '-reqout', file]).status,
        0,
      );
      const answer = await ta.request('POST', '/v1/ocsp', {
        body: readFileSync(file),
        headers: { 'content-type': 'application/ocsp-request' },
      });
      assert.equal(answer.status, 200);
    };
    await ocsp(['-cert', good]);
    await ocsp(['-cert', revoked, '-serial', '0x0123456789abcdef']);
    assert.equal(
      (
        await ta.request('POST', '/v1/ocsp', {
          body: 'garbage',
          headers: { 'content-type': 'application/ocsp-request' },
        })
      ).status,
      200,
    );
    const text = await scrape();
    assert.equal(sample(text, 'mcps_ta_issued', { kind: 'certificate', type: 'client' }), 2);
    assert.equal(
      sample(text, 'mcps_ta_revocations', { kind: 'certificate', reason: 'superseded' }),
      1,
    );
    for (const status of ['good', 'revoked', 'unknown', 'malformedRequest']) {
      assert.equal(
        sample(text, 'mcps_ta_ocsp_responses_total', { status }),
        1,
        `${status}\n${text}`,
      );
    }
    // The revocation republished the issuing CA's CRL: still fresh.
    for (const l of text.split('\n').filter((x) => x.startsWith('mcps_ta_crl_age_seconds{')))
      assert.ok(Number(l.split(' ').pop()) < 3600, l);
  });
  it('exposes the transparency log sequencing lag: the age of the oldest unsequenced event, 0 once sequenced', async () => {
    await ta.log.stop(); // no sequencing for a while: the event of the next write waits
    try {
      await createPublisherWithToken(ta, 'Lagging');
      await new Promise((r) => setTimeout(r, 1_200));
      const lag = sample(await scrape(), 'mcps_log_sequencing_lag_seconds');
      assert.ok(lag !== undefined && lag >= 1, `lag ${lag}`);
      await ta.log.flush(10_000); // runs the rounds itself
      assert.equal(sample(await scrape(), 'mcps_log_sequencing_lag_seconds'), 0);
    } finally {
      ta.log.start();
    }
  });
});

describe('metric names are documented', () => {
  it('every name in docs/metrics.md is exposed (or provided by another component), every name the alert rules use is documented', async () => {
    const docs = readFileSync(new URL('../../docs/metrics.md', import.meta.url), 'utf8');
    const documented = [...docs.matchAll(/^\| `(mcps_[a-z_]+)`/gm)].map((m) => m[1]!);
    const provided = docs.slice(docs.indexOf('## Provided by other components'));
    const ta = await startTestService();
    try {
      const text = (await ta.request('GET', '/metrics')).text;
      for (const name of documented) {
        if (provided.includes(`\`${name}\``)) continue;
        assert.ok(text.includes(`# HELP ${name} `), `${name} is documented but not exposed`);
      }
      for (const m of text.matchAll(/^# HELP (mcps_ta_[a-z_]+) /gm)) {
        if (/^mcps_ta_(process|nodejs)_/.test(m[1]!)) continue;
        assert.ok(
          documented.includes(m[1]!),
          `${m[1]} is exposed but not documented in docs/metrics.md`,
        );
      }
    } finally {
      await ta.stop();
    }
    const alerts = readFileSync(
      new URL('../../ops/prometheus-alerts.yml', import.meta.url),
      'utf8',
    );
    for (const m of alerts.matchAll(/\b(mcps_[a-z_]+)/g)) {
      assert.ok(
        documented.includes(m[1]!) || documented.some((d) => m[1]!.startsWith(d)),
        `alert rules use undocumented ${m[1]}`,
      );
    }
  });
});

describe('webhook dead letters in metrics', () => {
  let ta: TestService;
  let token: string;
  before(async () => {
    ta = await startTestService({
      env: { TA_ALLOW_PRIVATE_WEBHOOKS: '1' },
      webhookTimings: {
        pollMs: 50,
        baseBackoffMs: 50,
        maxBackoffMs: 100,
        maxAttempts: 2,
        timeoutMs: 1000,
      },
    });
    ({ token } = await createPublisherWithToken(ta, 'Dead letters'));
  });
  after(async () => ta.stop());

  it('a delivery given up after its last attempt is counted as failed (dead letter), no longer as backlog', async () => {
    assert.equal(
      (
        await ta.request('POST', '/v1/webhooks', {
          token,
          body: { url: 'http://127.0.0.1:9/closed-port', secret: 'd'.repeat(32) },
        })
      ).status,
      201,
    );
    const { res } = await issueAgentPassport(ta, token, { name: 'dead-letter-bot' });
    assert.equal(
      (
        await ta.request('POST', `/v1/passports/${res.json.passport.passport_id}/revoke`, {
          token,
          body: { reason: 'unspecified' },
        })
      ).status,
      200,
    );
    let text = '';
    const deadline = Date.now() + 20_000;
    do {
      await new Promise((r) => setTimeout(r, 100));
      text = (await ta.request('GET', '/metrics')).text;
    } while (
      sample(text, 'mcps_ta_webhook_deliveries', { status: 'failed' }) !== 1 &&
      Date.now() < deadline
    );
    assert.equal(sample(text, 'mcps_ta_webhook_deliveries', { status: 'failed' }), 1, text);
    assert.equal(sample(text, 'mcps_ta_webhook_deliveries', { status: 'pending' }), 0);
    assert.equal(sample(text, 'mcps_ta_webhook_retrying'), 0);
    assert.equal(sample(text, 'mcps_ta_webhook_oldest_pending_seconds'), 0);
  });
});
