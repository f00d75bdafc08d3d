// Issue 11, acceptance 1 (and the signing half of 4): the impersonation tried as a hostile
// publisher would. B, verified only for com.beta, tries to get the TA to sign for a host in A's
// com.alpha, for www.google.com, for IP literals and for plain http: it fails at the first step
// that can refuse it, and afterwards no certificate, passport or manifest naming those hosts
// belongs to B. Then A's namespace is rejected, and moved to B: every new signature for A's
// server is refused with 409 naming the reason, and /v0.1 stops presenting the origin as proven.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeCsr } from '../support/csr.js';
import { challenge, issueAgentPassport, newSubjectKey, popProof } from '../support/passports.js';
import { serverPassport } from '../support/origin-proof-scenarios.js';
import { assertProblem } from '../support/problem.js';
import { verifiedNamespace, WEATHER_TOOL } from '../support/registry.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';

const TRUST = 'dev.mcps-ta/trust';
const IMPERSONATED = [
  'https://api.alpha.com',
  'https://www.google.com',
  'https://127.0.0.1',
  'https://169.254.169.254',
  'http://api.beta.com',
];
const HOSTS = ['api.alpha.com', 'www.google.com', '127.0.0.1', '169.254.169.254'];

describe('impersonation by a hostile publisher', () => {
  let ta: TestService;
  let A: { publisherId: string; token: string };
  let B: { publisherId: string; token: string };
  let certOfA: string;

  before(async () => {
    ta = await startTestService();
    A = await createPublisherWithToken(ta, 'Alpha');
    B = await createPublisherWithToken(ta, 'Beta');
    await verifiedNamespace(ta, A.token, 'com.alpha');
    await verifiedNamespace(ta, B.token, 'com.beta');
    // A's genuine server, manifest, certificate and passport.
    assert.equal(
      (
        await ta.request('POST', '/v1/servers', {
          token: A.token,
          body: { name: 'com.alpha/api', origin: 'https://api.alpha.com', description: 'Alpha' },
        })
      ).status,
      201,
    );
    assert.equal(
      (
        await ta.request('POST', '/v1/servers/com.alpha/api/manifests', {
          token: A.token,
          body: { version: '1.0.0', tools: [WEATHER_TOOL] },
        })
      ).status,
      201,
    );
    const cert = await ta.request('POST', '/v1/certificates', {
      token: A.token,
      body: {
        csr: makeCsr('P-256', { san: 'DNS:api.alpha.com' }).csrPem,
        profile: 'server',
        subject: 'com.alpha/api',
      },
    });
    assert.equal(cert.status, 201, cert.text);
    certOfA = cert.json.serial;
    assert.equal((await serverPassport(ta, A.token, 'com.alpha/api')).res.status, 201);
  });
  after(async () => ta.stop());

  it('registration is the first step that refuses: 400 naming body.origin, with the reason', async () => {
    for (const origin of IMPERSONATED) {
      const res = await ta.request('POST', '/v1/servers', {
        token: B.token,
        body: { name: 'com.beta/impersonate-a', origin, description: 'not alpha' },
      });
      assertProblem(res, 400, 'body.origin');
      assert.match(res.json.detail, /no proof/);
    }
    const alpha = await ta.request('POST', '/v1/servers', {
      token: B.token,
      body: { name: 'com.beta/impersonate-a', origin: 'https://api.alpha.com', description: 'x' },
    });
    assert.match(alpha.json.detail, /com\.alpha, which another publisher verified/);
    const ip = await ta.request('POST', '/v1/servers', {
      token: B.token,
      body: { name: 'com.beta/impersonate-a', origin: 'https://169.254.169.254', description: 'x' },
    });
    assert.match(ip.json.detail, /IP literal/);
    // Nor may B approve the origin itself, or register under A's namespace.
    assertProblem(
      await ta.request('POST', '/v1/servers', {
        token: B.token,
        body: {
          name: 'com.beta/impersonate-a',
          origin: 'https://api.alpha.com',
          description: 'x',
          origin_approval_reason: 'mine',
        },
      }),
      403,
    );
    assertProblem(
      await ta.request('POST', '/v1/servers', {
        token: B.token,
        body: {
          name: 'com.alpha/impersonate-a',
          origin: 'https://api.alpha.com',
          description: 'x',
        },
      }),
      403,
    );
    assertProblem(await ta.request('GET', '/v1/servers/com.beta/impersonate-a'), 404);
  });

  it('an honest server of B cannot be moved onto those origins, and nothing else signs for them', async () => {
    assert.equal(
      (
        await ta.request('POST', '/v1/servers', {
          token: B.token,
          body: { name: 'com.beta/tool', origin: 'https://tool.beta.com', description: 'Beta' },
        })
      ).status,
      201,
    );
    for (const origin of IMPERSONATED) {
      assertProblem(
        await ta.request('PATCH', '/v1/servers/com.beta/tool', {
          token: B.token,
          body: { origin },
        }),
        400,
        'body.origin',
      );
      assertProblem(
        await ta.request('POST', '/v1/servers/com.beta/tool/origin-approval', {
          token: B.token,
          body: { origin, reason: 'mine' },
        }),
        403,
      );
      const { res } = await issueAgentPassport(ta, B.token, { name: 'beta-agent', origin });
      assertProblem(res, 400, 'body.origin');
    }
    // The certificate B gets names its own proven host only; a CSR asking for A's host is refused.
    const own = await ta.request('POST', '/v1/certificates', {
      token: B.token,
      body: { csr: makeCsr('P-256').csrPem, profile: 'server', subject: 'com.beta/tool' },
    });
    assert.equal(own.status, 201, own.text);
    assert.deepEqual(own.json.sans, ['DNS:tool.beta.com']);
    assertProblem(
      await ta.request('POST', '/v1/certificates', {
        token: B.token,
        body: {
          csr: makeCsr('P-256', { san: 'DNS:api.alpha.com' }).csrPem,
          profile: 'server',
          subject: 'com.beta/tool',
        },
      }),
      400,
      'body.csr',
    );
    const published = await ta.request('POST', '/v1/servers/com.beta/tool/manifests', {
      token: B.token,
      body: { version: '1.0.0', tools: [WEATHER_TOOL] },
    });
    assert.equal(published.status, 201);
    // Same tool, different origin: B's tool_hash differs from A's.
    const alphaTool = (await ta.request('GET', '/v1/servers/com.alpha/api/manifests/1.0.0')).json
      .manifest.tools[0];
    assert.notEqual(published.json.manifest.tools[0].tool_hash, alphaTool.tool_hash);
  });

  it('no certificate, passport or manifest of B names an impersonated host; /v0.1 shows only proven origins', async () => {
    const certs = await ta.db.sql('select publisher_id, sans from certificates');
    for (const c of certs) {
      if (c.publisher_id !== B.publisherId) continue;
      assert.ok(
        !(c.sans as string[]).some((san) => HOSTS.some((h) => san.endsWith(`:${h}`))),
        `B holds ${c.sans}`,
      );
    }
    assert.ok(
      certs.some(
        (c) =>
          c.publisher_id === A.publisherId && (c.sans as string[]).includes('DNS:api.alpha.com'),
      ),
    );
    const passports = await ta.db.sql(
      "select publisher_id, document->>'origin' as origin from passports",
    );
    for (const p of passports)
      if (p.publisher_id === B.publisherId)
        assert.ok(!IMPERSONATED.includes(p.origin as string), `B passport ${p.origin}`);
    const manifests = await ta.db.sql('select server_name, payload from manifests');
    for (const m of manifests) {
      const origin = JSON.parse(String(m.payload)).origin;
      assert.equal(
        origin,
        m.server_name === 'com.alpha/api' ? 'https://api.alpha.com' : 'https://tool.beta.com',
      );
    }
    const v01 = await ta.request('GET', '/v0.1/servers');
    const entries = v01.json.servers.map(
      (s: {
        server: { name: string };
        _meta: Record<string, { origin: string; origin_proven: boolean }>;
      }) => [s.server.name, s._meta[TRUST]!.origin, s._meta[TRUST]!.origin_proven],
    );
    assert.deepEqual(entries, [
      ['com.alpha/api', 'https://api.alpha.com', true],
      ['com.beta/tool', 'https://tool.beta.com', true],
    ]);
  });

  it('once A’s namespace is revoked, and then moved to B, every new signature for A’s server is refused with 409 naming the reason', async () => {
    const revoked = await ta.request('POST', '/v1/namespaces/com.alpha/revoke', {
      token: ta.adminToken,
      body: { reason: 'domain lapsed' },
    });
    assert.equal(revoked.status, 200, revoked.text);
    // Revoking the namespace revoked A's certificate (cessationOfOperation): renewal is refused for that too.
    assert.equal(
      (await ta.request('GET', `/v1/certificates/${certOfA}`, { token: A.token })).json.status,
      'revoked',
    );
    const expectRefusal = async (why: RegExp) => {
      const renew = await ta.request('POST', `/v1/certificates/${certOfA}/renew`, {
        token: A.token,
        body: { csr: makeCsr('P-256').csrPem },
      });
      assertProblem(renew, 409, 'path.serial');
      const issue = await ta.request('POST', '/v1/certificates', {
        token: A.token,
        body: { csr: makeCsr('P-256').csrPem, profile: 'server', subject: 'com.alpha/api' },
      });
      assertProblem(issue, 409, 'body.subject');
      const passport = (await serverPassport(ta, A.token, 'com.alpha/api')).res;
      assertProblem(passport, 409, 'body.name');
      assert.match(passport.json.detail, why);
      // An admin is refused too: the proof is the TA's, not the caller's.
      assertProblem(
        await ta.request('POST', '/v1/certificates', {
          token: ta.adminToken,
          body: { csr: makeCsr('P-256').csrPem, profile: 'server', subject: 'com.alpha/api' },
        }),
        409,
        'body.subject',
      );
      const v = await ta.request(
        'GET',
        `/v0.1/servers/${encodeURIComponent('com.alpha/api')}/versions/latest`,
      );
      assert.equal(v.json._meta[TRUST].origin_proven, false);
      assert.equal(
        (await ta.request('GET', '/v1/servers/com.alpha/api')).json.origin_verified,
        false,
      );
    };
    await expectRefusal(/namespace com\.alpha is revoked/);
    const audit = await ta.request('GET', '/v1/audit?limit=1000', { token: ta.adminToken });
    assert.ok(
      audit.json.items.some(
        (e: { action: string; subject: string }) =>
          e.action === 'namespace.revoked' && e.subject === 'namespace:com.alpha',
      ),
    );

    // Moved: B now holds com.alpha. A's server still names A's old host, which is B's to prove now.
    const claim = await ta.request('POST', '/v1/namespaces', {
      token: B.token,
      body: { namespace: 'com.alpha', url: 'https://alpha.com' },
    });
    assert.equal(claim.status, 201, claim.text);
    assert.equal(
      (await ta.request('POST', '/v1/namespaces/com.alpha/approve', { token: ta.adminToken }))
        .status,
      200,
    );
    await expectRefusal(/namespace com\.alpha now belongs to another publisher/);
    // B still cannot act on A's server.
    assertProblem(
      await ta.request('POST', '/v1/certificates', {
        token: B.token,
        body: { csr: makeCsr('P-256').csrPem, profile: 'server', subject: 'com.alpha/api' },
      }),
      400,
      'body.subject',
    );
    const key = newSubjectKey();
    const proof = await popProof(key, await challenge(ta, A.token), { aud: ta.config.taName });
    const agent = await ta.request('POST', '/v1/passports', {
      token: A.token,
      body: {
        subject_type: 'agent',
        name: 'alpha-agent',
        origin: 'https://api.alpha.com',
        public_key: key.jwk,
        proof,
      },
    });
    assertProblem(agent, 400, 'body.origin');
  });
});
