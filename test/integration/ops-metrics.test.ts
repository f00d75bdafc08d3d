// Acceptance (issue 13) 6, in part: /metrics carries figures worth alerting on, read from the
// database: issuance, revocations by kind and reason, CRL age and time to nextUpdate per issuer,
// webhook backlog, and seconds to expiry of each authority key. One of each action, then the
// counters are read back.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { issueAgentPassport } from '../support/passports.js';
import { createPublisherWithToken, startTestService, type TestService } from '../support/service.js';

function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
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
    const crlLines = text.split('\n').filter((l) => l.startsWith('mcps_ta_crl_next_update_seconds{'));
    assert.ok(crlLines.length >= 1, text);
    for (const l of crlLines) assert.ok(Number(l.split(' ').pop()) > 0, `${l}: a fresh CRL is not stale`);
    const age = sample(text, 'mcps_ta_crl_age_seconds');
    assert.ok(age !== undefined && age >= 0 && age < 3600, String(age));
    const expiries = text.split('\n').filter((l) => l.startsWith('mcps_ta_authority_key_expiry_seconds{'));
    assert.ok(expiries.some((l) => /purpose="[^"]*ca[^"]*"/i.test(l)), expiries.join('\n'));
    for (const l of expiries) assert.ok(Number(l.split(' ').pop()) > 86_400, l);
    assert.equal(sample(text, 'mcps_ta_webhook_deliveries', { status: 'pending' }), 0);
  });

  it('counts an issued and a revoked passport, and the webhook backlog the revocation queued', async () => {
    const hook = await ta.request('POST', '/v1/webhooks', { token, body: { url: 'http://127.0.0.1:9/closed-port', secret: 'm'.repeat(32) } });
    assert.equal(hook.status, 201, hook.text);
    const { res } = await issueAgentPassport(ta, token, { name: 'metered-bot' });
    assert.equal(res.status, 201, res.text);
    let text = await scrape();
    assert.equal(sample(text, 'mcps_ta_issued', { kind: 'passport', type: 'agent' }), 1);
    assert.equal(sample(text, 'mcps_ta_revocations', { kind: 'passport', reason: 'keyCompromise' }), undefined);
    const revoke = await ta.request('POST', `/v1/passports/${res.json.passport.passport_id}/revoke`, { token, body: { reason: 'keyCompromise' } });
    assert.equal(revoke.status, 200);
    text = await scrape();
    assert.equal(sample(text, 'mcps_ta_revocations', { kind: 'passport', reason: 'keyCompromise' }), 1);
    // The closed port refuses: the delivery stays pending (backing off), never delivered.
    assert.equal(sample(text, 'mcps_ta_webhook_deliveries', { status: 'pending' }), 1);
    assert.equal(sample(text, 'mcps_ta_webhook_deliveries', { status: 'delivered' }), 0);
  });
});
