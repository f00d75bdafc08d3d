// Issue 11, acceptance 4: a verified namespace revoked by an admin (or released by its publisher)
// no longer proves its servers' origins. Certificate issuance and renewal (and server passport
// issuance and manifest publication) for those servers get 409 naming the reason, the case is in the audit log, and
// their certificates and server passports are revoked with cessationOfOperation in the same
// transaction — visible in GET /v1/certificates/{serial}, the CRL (read by openssl), /api/verify
// and /v1/revocations. Other publishers cannot release or revoke it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { caFiles, makeCsr, tempFile } from '../support/csr.js';
import {
  challenge,
  issueAgentPassport,
  newSubjectKey,
  popProof,
  type SubjectKeyPair,
} from '../support/passports.js';
import { assertProblem } from '../support/problem.js';
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
import { openssl } from '../support/tools.js';

type Event = {
  seq: number;
  action: string;
  subject: string;
  actor: string;
  data: Record<string, any>;
};

describe('withdrawing a verified namespace', () => {
  let ta: TestService;
  let A: { publisherId: string; token: string };
  let B: { publisherId: string; token: string };
  let ca: { root: string; issuing: string; chain: string };

  before(async () => {
    ta = await startTestService();
    A = await createPublisherWithToken(ta, 'Alpha Corp');
    B = await createPublisherWithToken(ta, 'Beta Corp');
    ca = caFiles((await ta.request('GET', '/v1/trust/ca.pem')).text);
  });
  after(async () => ta.stop());

  const audit = async (): Promise<Event[]> =>
    (await ta.request('GET', '/v1/audit?limit=1000', { token: ta.adminToken })).json.items;
  const certificate = (serial: string) =>
    ta.request('GET', `/v1/certificates/${serial}`, { token: A.token });

  async function serverCertificate(token: string, server: string, host: string): Promise<string> {
    const csr = makeCsr('P-256', { san: `DNS:${host}` });
    const r = await ta.request('POST', '/v1/certificates', {
      token,
      body: { csr: csr.csrPem, profile: 'server', subject: server },
    });
    assert.equal(r.status, 201, r.text);
    return r.json.serial;
  }

  async function serverPassport(
    token: string,
    server: string,
  ): Promise<{ id: string; key: SubjectKeyPair }> {
    const key = newSubjectKey();
    const proof = await popProof(key, await challenge(ta, token), { aud: ta.config.taName });
    const r = await ta.request('POST', '/v1/passports', {
      token,
      body: { subject_type: 'server', name: server, public_key: key.jwk, proof },
    });
    assert.equal(r.status, 201, r.text);
    return { id: r.json.passport_id, key };
  }

  /** A client certificate for the passport's own key. */
  async function clientCertificate(
    token: string,
    passport: { id: string; key: SubjectKeyPair },
  ): Promise<string> {
    const keyFile = tempFile(
      'passport-key.pem',
      passport.key.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
    );
    const csr = makeCsr('P-256', { keyFile });
    const r = await ta.request('POST', '/v1/certificates', {
      token,
      body: { csr: csr.csrPem, profile: 'client', subject: passport.id },
    });
    assert.equal(r.status, 201, r.text);
    return r.json.serial;
  }

  async function crlText(): Promise<string> {
    await ta.certificates.crl.idle();
    const res = await ta.request('GET', '/v1/crl.pem');
    assert.equal(res.status, 200);
    const t = openssl([
      'crl',
      '-in',
      tempFile('crl.pem', res.text),
      '-noout',
      '-text',
      '-CAfile',
      ca.chain,
    ]);
    assert.equal(t.status, 0, t.output);
    return t.output;
  }

  it("an admin revokes a namespace: its servers' certificates and passports are revoked with cessationOfOperation everywhere, nothing else", async () => {
    await verifiedNamespace(ta, A.token, 'com.alpha');
    await verifiedNamespace(ta, A.token, 'com.alpha.eu');
    await verifiedNamespace(ta, B.token, 'com.beta');
    await registeredServer(ta, A.token, 'com.alpha/api', 'https://api.alpha.com');
    // Registered under another namespace, but its origin is proven only by com.alpha.
    await registeredServer(ta, A.token, 'com.alpha.eu/mirror', 'https://mirror.alpha.com');
    // Proven by com.alpha.eu itself: unaffected.
    await registeredServer(ta, A.token, 'com.alpha.eu/local', 'https://local.eu.alpha.com');
    await registeredServer(ta, B.token, 'com.beta/api', 'https://api.beta.com');

    const apiCerts = [
      await serverCertificate(A.token, 'com.alpha/api', 'api.alpha.com'),
      await serverCertificate(A.token, 'com.alpha/api', 'api.alpha.com'),
    ];
    const mirrorCert = await serverCertificate(A.token, 'com.alpha.eu/mirror', 'mirror.alpha.com');
    const localCert = await serverCertificate(A.token, 'com.alpha.eu/local', 'local.eu.alpha.com');
    const betaCert = await serverCertificate(B.token, 'com.beta/api', 'api.beta.com');
    const apiPassport = await serverPassport(A.token, 'com.alpha/api');
    const apiClientCert = await clientCertificate(A.token, apiPassport);
    const localPassport = await serverPassport(A.token, 'com.alpha.eu/local');
    const agent = await issueAgentPassport(ta, A.token, { name: 'alpha-agent' });
    assert.equal(agent.res.status, 201, agent.res.text);
    const agentCert = await clientCertificate(A.token, {
      id: agent.res.json.passport_id,
      key: agent.key,
    });
    const feedBefore = (await ta.request('GET', '/v1/revocations')).json.next_since as number;

    const r = await ta.request('POST', '/v1/namespaces/com.alpha/revoke', {
      token: ta.adminToken,
      body: { reason: 'domain changed hands' },
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'revoked');
    assert.equal(r.json.reason, 'domain changed hands');
    assert.deepEqual(r.json.servers.sort(), ['com.alpha.eu/mirror', 'com.alpha/api']);
    assert.deepEqual(r.json.revoked_passports, [apiPassport.id]);
    const revokedSerials = [...apiCerts, mirrorCert, apiClientCert].sort();
    assert.deepEqual([...r.json.revoked_certificates].sort(), revokedSerials);

    for (const serial of revokedSerials) {
      const c = await certificate(serial);
      assert.equal(c.json.status, 'revoked', serial);
      assert.equal(c.json.revocation_reason, 'cessationOfOperation');
    }
    for (const serial of [localCert, agentCert])
      assert.equal((await certificate(serial)).json.status, 'valid', serial);
    assert.equal(
      (await ta.request('GET', `/v1/certificates/${betaCert}`, { token: B.token })).json.status,
      'valid',
    );

    const status = await ta.request('GET', `/api/verify/${apiPassport.id}`);
    assert.equal(status.json.status, 'REVOKED');
    assert.equal(status.json.revocation_reason, 'cessationOfOperation');
    assert.equal((await ta.request('GET', `/api/verify/${localPassport.id}`)).json.status, 'VALID');
    assert.equal(
      (await ta.request('GET', `/api/verify/${agent.res.json.passport_id}`)).json.status,
      'VALID',
    );

    const feed = (await ta.request('GET', `/v1/revocations?since=${feedBefore}`)).json
      .revocations as Array<{ kind: string; subject: string; reason: string }>;
    assert.deepEqual(
      feed.map((e) => `${e.kind}:${e.subject}:${e.reason}`).sort(),
      [
        `passport:${apiPassport.id}:cessationOfOperation`,
        ...revokedSerials.map((s) => `certificate:${s}:cessationOfOperation`),
      ].sort(),
    );

    const crl = await crlText();
    for (const serial of revokedSerials) {
      assert.match(
        crl,
        new RegExp(
          `Serial Number: ${serial.toUpperCase()}\\n\\s+Revocation Date: .*\\n\\s+CRL entry extensions:\\n\\s+X509v3 CRL Reason Code: \\n\\s+Cessation Of Operation`,
        ),
      );
    }
    for (const serial of [localCert, agentCert, betaCert])
      assert.doesNotMatch(crl, new RegExp(`Serial Number: ${serial.toUpperCase()}`));

    const events = await audit();
    const revokedEvent = events.find(
      (e) => e.action === 'namespace.revoked' && e.subject === 'namespace:com.alpha',
    );
    assert.equal(revokedEvent?.actor.startsWith('token:'), true);
    assert.equal(revokedEvent?.data.reason, 'domain changed hands');
    assert.equal(revokedEvent?.data.publisher_id, A.publisherId);
    for (const serial of revokedSerials) {
      const e = events.find(
        (x) => x.action === 'certificate.revoked' && x.subject === `certificate:${serial}`,
      );
      assert.equal(e?.data.reason, 'cessationOfOperation', serial);
      assert.equal(e?.data.cause, 'namespace:com.alpha revoked');
    }
    assert.equal(
      events.find(
        (x) => x.action === 'passport.revoked' && x.subject === `passport:${apiPassport.id}`,
      )?.data.cause,
      'namespace:com.alpha revoked',
    );
    // Cascaded revocations precede the namespace event in the same transaction: no gap, one chain.
    assert.equal(
      (await ta.request('GET', '/v1/audit/verify', { token: ta.adminToken })).json.ok,
      true,
    );
  });

  it('after the revocation, issuance and renewal for its servers get 409 naming the reason, and nothing is stored', async () => {
    const before = await ta.db.sql('select count(*)::int as n from certificates');
    const issue = await ta.request('POST', '/v1/certificates', {
      token: A.token,
      body: {
        csr: makeCsr('P-256', { san: 'DNS:api.alpha.com' }).csrPem,
        profile: 'server',
        subject: 'com.alpha/api',
      },
    });
    assertProblem(issue, 409);
    assert.match(issue.json.detail, /namespace com\.alpha is revoked: domain changed hands/);
    const byAdmin = await ta.request('POST', '/v1/certificates', {
      token: ta.adminToken,
      body: {
        csr: makeCsr('P-256', { san: 'DNS:api.alpha.com' }).csrPem,
        profile: 'server',
        subject: 'com.alpha/api',
      },
    });
    assertProblem(byAdmin, 409);

    const [revoked] = (await ta.db.sql(
      `select serial from certificates where subject = 'com.alpha/api' and profile = 'server' order by serial limit 1`,
    )) as Array<{ serial: string }>;
    const renew = (serial: string) =>
      ta.request('POST', `/v1/certificates/${serial}/renew`, {
        token: A.token,
        body: { csr: makeCsr('P-256').csrPem },
      });
    assertProblem(await renew(revoked!.serial), 409);
    // Renewal re-checks the namespace itself, not only the old certificate: with the old row
    // un-revoked behind the TA's back, the renewal is still refused, naming the namespace.
    await ta.db.sql(
      `update certificates set revoked_at = null, revocation_reason = null where serial = '${revoked!.serial}'`,
    );
    const again = await renew(revoked!.serial);
    assertProblem(again, 409);
    assert.match(again.json.detail, /namespace com\.alpha is revoked: domain changed hands/);
    // The mirror server, whose origin only com.alpha proved, is refused too.
    const mirror = await ta.request('POST', '/v1/certificates', {
      token: A.token,
      body: {
        csr: makeCsr('P-256', { san: 'DNS:mirror.alpha.com' }).csrPem,
        profile: 'server',
        subject: 'com.alpha.eu/mirror',
      },
    });
    assertProblem(mirror, 409);
    assert.match(
      mirror.json.detail,
      /origin host mirror\.alpha\.com lies within namespace com\.alpha, which is revoked: domain changed hands/,
    );
    assert.deepEqual(await ta.db.sql('select count(*)::int as n from certificates'), before);

    // A new server passport is refused the same way (the old one was revoked with the namespace).
    const key = newSubjectKey();
    const passport = await ta.request('POST', '/v1/passports', {
      token: A.token,
      body: {
        subject_type: 'server',
        name: 'com.alpha/api',
        public_key: key.jwk,
        proof: await popProof(key, await challenge(ta, A.token), { aud: ta.config.taName }),
      },
    });
    assertProblem(passport, 409);
    assert.match(passport.json.detail, /namespace com\.alpha is revoked: domain changed hands/);

    const publish = await ta.request('POST', manifestsPath('com.alpha/api'), {
      token: A.token,
      body: { version: '1.0.0', tools: [READ_FILE_TOOL] },
    });
    assertProblem(publish, 409);
    assert.match(publish.json.detail, /domain changed hands/);

    // The case is in the audit log: the revocation the 409 names, with what it revoked.
    const e = (await audit()).find(
      (x) => x.action === 'namespace.revoked' && x.subject === 'namespace:com.alpha',
    );
    assert.ok(e?.data.servers.includes('com.alpha/api'));
    assert.ok(e?.data.revoked_certificates.includes(revoked!.serial));
  });

  it('a revoked namespace: its publisher may not claim it again, another may; revoking again changes nothing', async () => {
    const again = await ta.request('POST', '/v1/namespaces/com.alpha/revoke', {
      token: ta.adminToken,
      body: { reason: 'twice' },
    });
    assert.equal(again.status, 200);
    assert.equal(again.json.reason, 'domain changed hands');
    assert.deepEqual(again.json.revoked_certificates, []);
    const byA = await ta.request('POST', '/v1/namespaces', {
      token: A.token,
      body: { namespace: 'com.alpha', url: 'https://alpha.com' },
    });
    assertProblem(byA, 403);
    assert.match(byA.json.detail, /revoked from this publisher by an admin: domain changed hands/);
    const byB = await ta.request('POST', '/v1/namespaces', {
      token: B.token,
      body: { namespace: 'com.alpha', url: 'https://alpha.com' },
    });
    assert.equal(byB.status, 201, byB.text);
    assert.equal(byB.json.publisher_id, B.publisherId);
  });

  it('its publisher releases a verified namespace: the same revocations, audited; anyone may claim it afterwards', async () => {
    await verifiedNamespace(ta, A.token, 'org.gamma');
    await registeredServer(ta, A.token, 'org.gamma/tool', 'https://tool.gamma.org');
    const cert = await serverCertificate(A.token, 'org.gamma/tool', 'tool.gamma.org');
    const passport = await serverPassport(A.token, 'org.gamma/tool');

    assertProblem(
      await ta.request('POST', '/v1/namespaces/org.gamma/release', { token: B.token }),
      403,
    );
    assertProblem(
      await ta.request('POST', '/v1/namespaces/org.gamma/revoke', {
        token: B.token,
        body: { reason: 'mine now' },
      }),
      403,
    );
    assertProblem(
      await ta.request('POST', '/v1/namespaces/org.gamma/revoke', {
        token: A.token,
        body: { reason: 'self' },
      }),
      403,
    );
    assertProblem(
      await ta.request('POST', '/v1/namespaces/org.nowhere/release', { token: B.token }),
      404,
    );
    assert.equal((await certificate(cert)).json.status, 'valid', 'refused attempts change nothing');

    const r = await ta.request('POST', '/v1/namespaces/org.gamma/release', { token: A.token });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'released');
    assert.deepEqual(r.json.revoked_certificates, [cert]);
    assert.deepEqual(r.json.revoked_passports, [passport.id]);
    assert.equal((await certificate(cert)).json.revocation_reason, 'cessationOfOperation');
    assert.equal(
      (await ta.request('GET', `/api/verify/${passport.id}`)).json.revocation_reason,
      'cessationOfOperation',
    );
    assert.match(
      await crlText(),
      new RegExp(
        `Serial Number: ${cert.toUpperCase()}\\n[^\\n]*\\n[^\\n]*\\n[^\\n]*\\n\\s+Cessation Of Operation`,
      ),
    );
    const e = (await audit()).find(
      (x) => x.action === 'namespace.released' && x.subject === 'namespace:org.gamma',
    );
    assert.equal(e?.data.publisher_id, A.publisherId);

    const issue = await ta.request('POST', '/v1/certificates', {
      token: A.token,
      body: {
        csr: makeCsr('P-256', { san: 'DNS:tool.gamma.org' }).csrPem,
        profile: 'server',
        subject: 'org.gamma/tool',
      },
    });
    assertProblem(issue, 409);
    assert.match(issue.json.detail, /namespace org\.gamma is released/);
    assert.equal(
      (await ta.request('POST', '/v1/namespaces/org.gamma/release', { token: A.token })).status,
      200,
      'releasing again changes nothing',
    );
    assert.equal(
      (
        await ta.request('POST', '/v1/namespaces', {
          token: B.token,
          body: { namespace: 'org.gamma', url: 'https://gamma.org' },
        })
      ).status,
      201,
    );
  });

  it('issuances racing a revocation: each either commits first and is revoked, or is refused with 409', async () => {
    await verifiedNamespace(ta, A.token, 'net.race');
    await registeredServer(ta, A.token, 'net.race/api', 'https://api.race.net');
    const issue = () =>
      ta.request('POST', '/v1/certificates', {
        token: A.token,
        body: {
          csr: makeCsr('P-256', { san: 'DNS:api.race.net' }).csrPem,
          profile: 'server',
          subject: 'net.race/api',
        },
      });
    const early = Array.from({ length: 4 }, issue);
    const revoke = ta.request('POST', '/v1/namespaces/net.race/revoke', {
      token: ta.adminToken,
      body: { reason: 'race' },
    });
    const late = Array.from({ length: 4 }, issue);
    const results = await Promise.all([...early, ...late]);
    assert.equal((await revoke).status, 200);
    for (const r of results)
      assert.ok(r.status === 201 || r.status === 409, `${r.status} ${r.text}`);
    const rows = (await ta.db.sql(
      `select serial, revocation_reason from certificates where subject = 'net.race/api'`,
    )) as Array<{ serial: string; revocation_reason: string | null }>;
    assert.equal(rows.length, results.filter((r) => r.status === 201).length);
    for (const row of rows) assert.equal(row.revocation_reason, 'cessationOfOperation', row.serial);
  });

  it('only a verified namespace is released or revoked; a pending claim is rejected instead; a reason is required', async () => {
    const claim = await ta.request('POST', '/v1/namespaces', {
      token: A.token,
      body: { namespace: 'io.delta', url: 'https://delta.io' },
    });
    assert.equal(claim.status, 201);
    assertProblem(
      await ta.request('POST', '/v1/namespaces/io.delta/release', { token: A.token }),
      409,
    );
    assertProblem(
      await ta.request('POST', '/v1/namespaces/io.delta/revoke', {
        token: ta.adminToken,
        body: { reason: 'x' },
      }),
      409,
    );
    assertProblem(
      await ta.request('POST', '/v1/namespaces/io.delta/revoke', {
        token: ta.adminToken,
        body: { reason: '' },
      }),
      400,
      'body.reason',
    );
    assertProblem(
      await ta.request('POST', '/v1/namespaces/io.delta/revoke', {
        token: ta.adminToken,
        body: {},
      }),
      400,
      'body.reason',
    );
    await ta.request('POST', '/v1/namespaces/io.delta/approve', { token: ta.adminToken });
    const reject = await ta.request('POST', '/v1/namespaces/io.delta/reject', {
      token: ta.adminToken,
      body: { reason: 'x' },
    });
    assertProblem(reject, 409);
    assert.match(reject.json.detail, /revoke it instead/);
  });
});
