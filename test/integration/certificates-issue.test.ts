// Issue 4: issuing certificates from CSRs. Registry servers and passports are not wired into
// this build, so issuance runs through the domain operation with an in-memory subject policy
// (test/support/certificates.ts); what it issues is then checked by openssl as a real client
// would, and the HTTP route is checked for validation and for storing nothing on bad input.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { issueCertificate, renewCertificate } from '../../src/certificates/issue.js';
import { ConflictError, ForbiddenError, InvalidRequestError } from '../../src/errors.js';
import { certificateFixture, countRows, type CertificateFixture } from '../support/certificates.js';
import { makeCsr, tempFile } from '../support/csr.js';
import { fromPem, toPem } from '../../src/crypto/x509/pem.js';
import { assertProblem } from '../support/problem.js';
import { adminApprovedServer } from '../support/registry.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';
import { openssl } from '../support/tools.js';

function text(pem: string): string {
  const r = openssl(['x509', '-noout', '-text', '-in', tempFile('cert.pem', pem)]);
  assert.equal(r.status, 0, r.output);
  return r.output;
}

function rejectsField(field: string, message: RegExp) {
  return (err: unknown) =>
    err instanceof InvalidRequestError &&
    err.issues.some((i) => i.field === field) &&
    message.test(err.message);
}

describe('certificate issuance', () => {
  let ta: TestService;
  let f: CertificateFixture;
  before(async () => {
    ta = await startTestService();
    f = await certificateFixture(ta);
  });
  after(async () => ta.stop());

  const verify = (pem: string, ...args: string[]) =>
    openssl([
      'verify',
      '-x509_strict',
      ...args,
      '-CAfile',
      f.ca.root,
      '-untrusted',
      f.ca.issuing,
      tempFile('leaf.pem', pem),
    ]);

  it('a server certificate passes openssl verify -x509_strict -purpose sslserver -verify_hostname', async () => {
    const csr = makeCsr('P-256', { san: `DNS:${f.serverHost}` });
    const issued = await issueCertificate(f.ctx, f.a.principal, {
      csr: csr.csrPem,
      profile: 'server',
      subject: f.serverName,
    });
    const ok = verify(issued.record.pem, '-purpose', 'sslserver', '-verify_hostname', f.serverHost);
    assert.equal(ok.status, 0, ok.output);
    assert.match(ok.output, /: OK/);
    // …and the same check fails where it should:
    assert.notEqual(
      verify(issued.record.pem, '-purpose', 'sslserver', '-verify_hostname', 'evil.test').status,
      0,
    );
    assert.notEqual(verify(issued.record.pem, '-purpose', 'sslclient').status, 0);
  });

  it('server profile: EKU serverAuth, critical KU digitalSignature and CA:FALSE, SKI, AKI = issuing SKI, CRL DP and OCSP from the public URL', async () => {
    const issued = await issueCertificate(f.ctx, f.a.principal, {
      csr: makeCsr('P-384').csrPem,
      profile: 'server',
      subject: f.serverName,
    });
    const t = text(issued.record.pem);
    const issuing = openssl(['x509', '-noout', '-text', '-in', f.ca.issuing]).output;
    assert.match(t, /Extended Key Usage: \n\s+TLS Web Server Authentication\n/);
    assert.match(t, /Key Usage: critical\n\s+Digital Signature\n/);
    assert.match(t, /Basic Constraints: critical\n\s+CA:FALSE/);
    assert.match(
      t,
      new RegExp(`Subject Alternative Name: \\n\\s+DNS:${f.serverHost.replace(/\./g, '\\.')}\\n`),
    );
    assert.match(t, /Subject Key Identifier/);
    const ski = /Subject Key Identifier: \n\s+([0-9A-F:]+)/.exec(issuing)![1]!;
    assert.match(t, new RegExp(`Authority Key Identifier: \\n\\s+(keyid:)?${ski}`));
    // The issuing CA's own CRL (per CA generation, issue 12) and its certificate for AIA caIssuers.
    assert.match(t, new RegExp(`URI:${ta.config.publicUrl}/v1/crl/${ta.keyring.issuing.kid}\\n`));
    assert.match(
      t,
      new RegExp(
        `CA Issuers - URI:${ta.config.publicUrl}/v1/trust/ca/${ta.keyring.issuing.kid}\\.cer\\n`,
      ),
    );
    assert.match(t, new RegExp(`OCSP - URI:${ta.config.publicUrl}/v1/ocsp\\n`));
    assert.match(t, /NIST CURVE: P-384/);
    assert.equal(issued.record.keyType, 'P-384');
    assert.match(
      issued.chainPem,
      /^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----/,
    );
  });

  it('serials are 127-bit CSPRNG values, positive and minimally encoded; default validity is 7 days', async () => {
    const issued = await issueCertificate(f.ctx, f.a.principal, {
      csr: makeCsr('P-256').csrPem,
      profile: 'server',
      subject: f.serverName,
    });
    const { serial, notBefore, notAfter } = issued.record;
    assert.match(serial, /^[0-9a-f]{32}$/);
    assert.ok(parseInt(serial.slice(0, 2), 16) >= 1 && parseInt(serial.slice(0, 2), 16) < 0x80);
    const printed = openssl([
      'x509',
      '-noout',
      '-serial',
      '-in',
      tempFile('c.pem', issued.record.pem),
    ]).output.trim();
    assert.equal(printed, `serial=${serial.toUpperCase()}`);
    const days = (notAfter.getTime() - ta.persistence.clock.now().getTime()) / 86_400_000;
    assert.ok(days > 6.99 && days <= 7, `validity ${days} days`);
    assert.ok(notBefore < ta.persistence.clock.now());
  });

  it('RSA-3072 keys are accepted; validity may be asked for up to 90 days', async () => {
    const issued = await issueCertificate(f.ctx, f.a.principal, {
      csr: makeCsr('rsa3072').csrPem,
      profile: 'server',
      subject: f.serverName,
      validityDays: 90,
    });
    assert.equal(issued.record.keyType, 'RSA-3072');
    const ok = verify(issued.record.pem, '-purpose', 'sslserver', '-verify_hostname', f.serverHost);
    assert.equal(ok.status, 0, ok.output);
    const days = (issued.record.notAfter.getTime() - Date.now()) / 86_400_000;
    assert.ok(days > 89.9 && days <= 90);
    await assert.rejects(
      issueCertificate(f.ctx, f.a.principal, {
        csr: makeCsr('P-256').csrPem,
        profile: 'server',
        subject: f.serverName,
        validityDays: 91,
      }),
      rejectsField('body.validity_days', /1 to 90/),
    );
  });

  it('a client certificate for a passport the caller owns passes -purpose sslclient and names the passport by SAN URI', async () => {
    const issued = await issueCertificate(f.ctx, f.a.principal, {
      csr: makeCsr('P-384').csrPem,
      profile: 'client',
      subject: f.passport.passportId,
    });
    const ok = verify(issued.record.pem, '-purpose', 'sslclient');
    assert.equal(ok.status, 0, ok.output);
    assert.notEqual(verify(issued.record.pem, '-purpose', 'sslserver').status, 0);
    const t = text(issued.record.pem);
    assert.match(t, /Extended Key Usage: \n\s+TLS Web Client Authentication\n/);
    assert.match(
      t,
      new RegExp(
        `Subject Alternative Name: \\n\\s+URI:urn:mcps:passport:${f.passport.passportId}\\n`,
      ),
    );
    assert.equal(issued.record.passportId, f.passport.passportId);
  });

  it("a client CSR carrying the passport's own key needs no subject reference", async () => {
    const csr = makeCsr('P-256', {
      keyFile: f.passport.keyFile,
      san: `URI:urn:mcps:passport:${f.passport.passportId}`,
    });
    const issued = await issueCertificate(f.ctx, f.a.principal, {
      csr: csr.csrPem,
      profile: 'client',
    });
    assert.equal(issued.record.subject, f.passport.passportId);
    await assert.rejects(
      issueCertificate(f.ctx, f.a.principal, { csr: makeCsr('P-256').csrPem, profile: 'client' }),
      rejectsField('body.subject', /unknown subject: no passport with the CSR's public key/),
    );
  });

  it('SANs the subject does not own, unknown subjects and foreign subjects are refused and store nothing', async () => {
    const before = [await countRows(ta, 'certificates'), await countRows(ta, 'audit_events')];
    const csr = (san: string) => makeCsr('P-256', { san }).csrPem;
    await assert.rejects(
      issueCertificate(f.ctx, f.a.principal, {
        csr: csr(`DNS:${f.serverHost},DNS:evil.test`),
        profile: 'server',
        subject: f.serverName,
      }),
      rejectsField('body.csr', /DNS:evil\.test, which server com\.acme\/weather does not own/),
    );
    await assert.rejects(
      issueCertificate(f.ctx, f.a.principal, {
        csr: csr('URI:urn:mcps:passport:asp_ffffffffffffffffffffffffffffffff'),
        profile: 'client',
        subject: f.passport.passportId,
      }),
      rejectsField('body.csr', /URI:urn:mcps:passport:asp_f+, which passport/),
    );
    await assert.rejects(
      issueCertificate(f.ctx, f.a.principal, {
        csr: csr('IP:192.0.2.1'),
        profile: 'server',
        subject: f.serverName,
      }),
      rejectsField('body.csr', /IP:192\.0\.2\.1/),
    );
    await assert.rejects(
      issueCertificate(f.ctx, f.a.principal, {
        csr: csr(`DNS:${f.serverHost}`),
        profile: 'server',
        subject: 'com.acme/unknown',
      }),
      rejectsField('body.subject', /unknown subject/),
    );
    // Publisher B may not get a certificate for publisher A's server or passport.
    await assert.rejects(
      issueCertificate(f.ctx, f.b.principal, {
        csr: csr(`DNS:${f.serverHost}`),
        profile: 'server',
        subject: f.serverName,
      }),
      rejectsField('body.subject', /unknown subject/),
    );
    await assert.rejects(
      issueCertificate(f.ctx, f.b.principal, {
        csr: makeCsr('P-256').csrPem,
        profile: 'client',
        subject: f.passport.passportId,
      }),
      rejectsField('body.subject', /unknown subject/),
    );
    assert.deepEqual(
      [await countRows(ta, 'certificates'), await countRows(ta, 'audit_events')],
      before,
    );
  });

  it('a passport that is not active gets no certificate (409 naming body.subject)', async () => {
    const revoked = {
      ...f.subjects.passports[0]!,
      passportId: 'asp_dddddddddddddddddddddddddddddddd',
      status: 'revoked' as const,
    };
    f.subjects.passports.push(revoked);
    await assert.rejects(
      issueCertificate(f.ctx, f.a.principal, {
        csr: makeCsr('P-256').csrPem,
        profile: 'client',
        subject: revoked.passportId,
      }),
      (err: unknown) =>
        err instanceof ConflictError &&
        err.issues[0]?.field === 'body.subject' &&
        /revoked/.test(err.message),
    );
  });

  it('an IP origin host gets an IP SAN that openssl verifies with -verify_ip', async () => {
    // An IP literal is provable only by an admin's approval of it for the server (audited).
    await adminApprovedServer(ta, 'com.acme/local', 'https://127.0.0.1');
    const issued = await issueCertificate(f.ctx, f.a.principal, {
      csr: makeCsr('P-256', { san: 'IP:127.0.0.1' }).csrPem,
      profile: 'server',
      subject: 'com.acme/local',
    });
    assert.deepEqual(issued.record.sans, ['IP:127.0.0.1']);
    const ok = verify(issued.record.pem, '-purpose', 'sslserver', '-verify_ip', '127.0.0.1');
    assert.equal(ok.status, 0, ok.output);
  });

  it('POST /v1/certificates refuses bad CSRs with 400 naming body.csr, storing nothing', async () => {
    const before = [await countRows(ta, 'certificates'), await countRows(ta, 'audit_events')];
    const badSignature = (() => {
      const der = fromPem(makeCsr('P-256').csrPem, ['CERTIFICATE REQUEST'])!;
      der[der.length - 1] = der[der.length - 1]! ^ 0x01;
      return toPem('CERTIFICATE REQUEST', der);
    })();
    const cases: [string, string, RegExp][] = [
      ['garbage', 'this is not a CSR', /not a PEM/],
      ['bad signature', badSignature, /signature does not verify/],
      ['P-521', makeCsr('P-521').csrPem, /secp521r1 is not allowed/],
      ['Ed25519', makeCsr('ed25519').csrPem, /ed25519 is not allowed/],
      ['RSA-2048', makeCsr('rsa2048').csrPem, /2048 bits is too short/],
      [
        'P-256 with explicit curve parameters',
        makeCsr('P-256-explicit').csrPem,
        /explicit curve parameters/,
      ],
    ];
    for (const [name, csr, message] of cases) {
      const res = await ta.request('POST', '/v1/certificates', {
        token: f.a.token,
        body: { csr, profile: 'server', subject: f.serverName },
      });
      assertProblem(res, 400, 'body.csr');
      assert.match(res.json.detail, message, name);
    }
    assert.deepEqual(
      [await countRows(ta, 'certificates'), await countRows(ta, 'audit_events')],
      before,
    );
  });

  it('POST /v1/certificates: a server that is not registered in the registry gets 400 "unknown subject"', async () => {
    const res = await ta.request('POST', '/v1/certificates', {
      token: f.a.token,
      body: { csr: makeCsr('P-256').csrPem, profile: 'server', subject: 'com.acme/unregistered' },
    });
    assertProblem(res, 400, 'body.subject');
    assert.match(res.json.detail, /unknown subject/);
  });

  it('POST /v1/certificates validates its body and its caller', async () => {
    const csr = makeCsr('P-256').csrPem;
    assertProblem(
      await ta.request('POST', '/v1/certificates', {
        token: f.a.token,
        body: { csr, profile: 'mail' },
      }),
      400,
      'body.profile',
    );
    assertProblem(
      await ta.request('POST', '/v1/certificates', {
        token: f.a.token,
        body: { profile: 'server' },
      }),
      400,
      'body.csr',
    );
    assertProblem(
      await ta.request('POST', '/v1/certificates', {
        token: f.a.token,
        body: { csr, profile: 'server', validity_days: 91 },
      }),
      400,
      'body.validity_days',
    );
    assertProblem(
      await ta.request('POST', '/v1/certificates', {
        token: f.a.token,
        body: { csr, profile: 'server', validity_days: 0 },
      }),
      400,
      'body.validity_days',
    );
    assertProblem(
      await ta.request('POST', '/v1/certificates', { body: { csr, profile: 'server' } }),
      401,
    );
    const auditor = await createPublisherWithToken(ta, 'Auditors', 'auditor');
    assertProblem(
      await ta.request('POST', '/v1/certificates', {
        token: auditor.token,
        body: { csr, profile: 'server' },
      }),
      403,
    );
  });

  it('GET /v1/certificates/{serial} shows status and links to the passport; only the owner and admins read it', async () => {
    const issued = await issueCertificate(f.ctx, f.a.principal, {
      csr: makeCsr('P-256').csrPem,
      profile: 'client',
      subject: f.passport.passportId,
    });
    const serial = issued.record.serial;
    const res = await ta.request('GET', `/v1/certificates/${serial.toUpperCase()}`, {
      token: f.a.token,
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.serial, serial);
    assert.equal(res.json.status, 'valid');
    assert.equal(res.json.profile, 'client');
    assert.equal(res.json.passport_id, f.passport.passportId);
    assert.equal(
      res.json.links.passport,
      `${ta.config.publicUrl}/v1/passports/${f.passport.passportId}`,
    );
    assert.equal(res.json.links.ocsp, `${ta.config.publicUrl}/v1/ocsp`);
    assert.equal(res.json.certificate, issued.record.pem);
    assert.equal(
      (await ta.request('GET', `/v1/certificates/${serial}`, { token: ta.adminToken })).status,
      200,
    );
    assertProblem(await ta.request('GET', `/v1/certificates/${serial}`, { token: f.b.token }), 403);
    assertProblem(await ta.request('GET', `/v1/certificates/${serial}`), 401);
    assertProblem(
      await ta.request('GET', '/v1/certificates/0123456789abcdef', { token: ta.adminToken }),
      404,
    );
    assertProblem(
      await ta.request('GET', '/v1/certificates/not-hex', { token: ta.adminToken }),
      400,
      'path.serial',
    );
  });

  it('the subject CN is one of the SANs (CA/B Forum BR): the origin host or the passport URN; the registry name is the OU', async () => {
    const longHost = `${'a'.repeat(40)}.${'b'.repeat(30)}.acme.com`;
    await adminApprovedServer(ta, 'com.acme/ipv6', 'https://[2001:db8::7]');
    await ta.request('POST', '/v1/servers', {
      token: f.a.token,
      body: { name: 'com.acme/long', origin: `https://${longHost}`, description: 'long host' },
    });
    const issue = async (profile: 'server' | 'client', subject: string) =>
      (
        await issueCertificate(f.ctx, f.a.principal, {
          csr: makeCsr('P-256').csrPem,
          profile,
          subject,
        })
      ).record.pem;
    const names = (pem: string) => {
      const r = openssl([
        'x509',
        '-noout',
        '-subject',
        '-ext',
        'subjectAltName',
        '-nameopt',
        'RFC2253',
        '-in',
        tempFile('leaf.pem', pem),
      ]);
      assert.equal(r.status, 0, r.output);
      return r.output.trim().replace(/\s*\n\s*/g, ' ');
    };
    assert.equal(
      names(await issue('server', f.serverName)),
      `subject=CN=${f.serverHost},OU=com.acme/weather X509v3 Subject Alternative Name: DNS:${f.serverHost}`,
    );
    assert.equal(
      names(await issue('server', 'com.acme/ipv6')),
      'subject=CN=2001:db8::7,OU=com.acme/ipv6 X509v3 Subject Alternative Name: IP Address:2001:DB8:0:0:0:0:0:7',
    );
    const client = `urn:mcps:passport:${f.passport.passportId}`;
    assert.equal(
      names(await issue('client', f.passport.passportId)),
      `subject=CN=${client} X509v3 Subject Alternative Name: URI:${client}`,
    );
    // a host over 64 characters (ub-common-name) cannot be the CN: no CN, the OU remains, SAN not critical
    const long = await issue('server', 'com.acme/long');
    assert.equal(
      names(long),
      `subject=OU=com.acme/long X509v3 Subject Alternative Name: DNS:${longHost}`,
    );
    assert.doesNotMatch(text(long), /Subject Alternative Name: critical/);
  });

  it('renewal issues a new certificate for the same subject; the old one stays valid', async () => {
    const first = await issueCertificate(f.ctx, f.a.principal, {
      csr: makeCsr('P-256').csrPem,
      profile: 'server',
      subject: f.serverName,
    });
    const renewed = await renewCertificate(f.ctx, f.a.principal, first.record.serial, {
      csr: makeCsr('P-256').csrPem,
    });
    assert.notEqual(renewed.record.serial, first.record.serial);
    assert.equal(renewed.record.renewedFrom, first.record.serial);
    assert.equal(renewed.record.subject, first.record.subject);
    assert.equal(renewed.record.profile, 'server');
    const old = await ta.request('GET', `/v1/certificates/${first.record.serial}`, {
      token: f.a.token,
    });
    assert.equal(old.json.status, 'valid');
    const audit = await ta.request('GET', '/v1/audit?limit=200', { token: ta.adminToken });
    assert.ok(
      audit.json.items.some(
        (e: { action: string; subject: string }) =>
          e.action === 'certificate.renewed' &&
          e.subject === `certificate:${renewed.record.serial}`,
      ),
    );
    await assert.rejects(
      renewCertificate(f.ctx, f.b.principal, first.record.serial, { csr: makeCsr('P-256').csrPem }),
      ForbiddenError,
    );
  });

  it('every issuance is in the audit log, and the chain still verifies', async () => {
    const audit = await ta.request('GET', '/v1/audit?limit=200', { token: ta.adminToken });
    const issuedEvents = audit.json.items.filter(
      (e: { action: string }) => e.action === 'certificate.issued',
    );
    assert.equal(issuedEvents.length + 1, await countRows(ta, 'certificates')); // + the renewal
    const check = await ta.request('GET', '/v1/audit/verify', { token: ta.adminToken });
    assert.equal(check.json.ok, true);
  });
});
