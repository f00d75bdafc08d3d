// Issue 4: the OCSP responder, queried over a real socket by `openssl ocsp -url` (which checks
// the signature, the chain and the nonce): good, revoked with time and reason, unknown; GET
// requests; malformed requests answered with an OCSP error status, never a 500.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { issueCertificate } from '../../src/certificates/issue.js';
import { certificateFixture, type CertificateFixture } from '../support/certificates.js';
import { makeCsr, tempFile } from '../support/csr.js';
import { startTestService, type TestService } from '../support/service.js';
import { openssl, opensslAsync, runPython } from '../support/tools.js';

describe('OCSP responder', () => {
  let ta: TestService;
  let f: CertificateFixture;
  let good: string;
  let revoked: string;
  let revokedSerial: string;
  before(async () => {
    ta = await startTestService({ listen: true });
    f = await certificateFixture(ta);
    const issue = async () =>
      (
        await issueCertificate(f.ctx, f.a.principal, {
          csr: makeCsr('P-256').csrPem,
          profile: 'client',
          subject: f.passport.passportId,
        })
      ).record;
    good = tempFile('good.pem', (await issue()).pem);
    const r = await issue();
    revoked = tempFile('revoked.pem', r.pem);
    revokedSerial = r.serial;
  });
  after(async () => ta.stop());

  const query = (...args: string[]) =>
    opensslAsync([
      'ocsp',
      '-issuer',
      f.ca.issuing,
      ...args,
      '-CAfile',
      f.ca.root,
      '-url',
      `${ta.url}/v1/ocsp`,
    ]);

  it('answers good for a valid certificate: "Response verify OK", nonce checked, root alone as trust anchor', async () => {
    const r = await query('-cert', good);
    assert.equal(r.status, 0, r.output);
    assert.match(r.output, /Response verify OK/);
    assert.match(r.output, /good\.pem: good/);
    assert.doesNotMatch(r.output, /WARNING|Nonce Verify error/);
  });

  it('answers revoked with time and reason, immediately after the revocation', async () => {
    const res = await ta.request('POST', `/v1/certificates/${revokedSerial}/revoke`, {
      token: f.a.token,
      body: { reason: 'keyCompromise' },
    });
    assert.equal(res.status, 200, res.text);
    const r = await query('-cert', revoked);
    assert.equal(r.status, 0, r.output);
    assert.match(r.output, /Response verify OK/);
    assert.match(
      r.output,
      /revoked\.pem: revoked\n\s+This Update: .*\n\s+Next Update: .*\n\s+Reason: keyCompromise\n\s+Revocation Time: /,
    );
    const at = new Date(res.json.revoked_at);
    const printed = /Revocation Time: (.*GMT)/.exec(r.output)![1]!;
    assert.equal(new Date(printed).getTime(), Math.floor(at.getTime() / 1000) * 1000);
  });

  it('answers unknown for a serial it never issued, and for SHA-256 CertIDs too', async () => {
    const r = await query('-serial', '0x0123456789abcdef');
    assert.equal(r.status, 0, r.output);
    assert.match(r.output, /Response verify OK/);
    assert.match(r.output, /0x0123456789abcdef: unknown/);
    const sha256 = await query('-sha256', '-cert', good);
    assert.match(sha256.output, /Response verify OK/);
    assert.match(sha256.output, /good\.pem: good/);
  });

  it('answers several CertIDs in one request', async () => {
    const r = await query('-cert', good, '-cert', revoked, '-serial', '0x42');
    assert.match(r.output, /Response verify OK/);
    assert.match(r.output, /good\.pem: good/);
    assert.match(r.output, /revoked\.pem: revoked/);
    assert.match(r.output, /0x42: unknown/);
  });

  it('answers GET requests (RFC 6960 A.1), also when the base64 has unescaped slashes', async () => {
    const reqFile = tempFile('req.der', '');
    assert.equal(
      openssl(['ocsp', '-no_nonce', '-issuer', f.ca.issuing, '-cert', good, '-reqout', reqFile])
        .status,
      0,
    );
    const b64 = readFileSync(reqFile).toString('base64');
    const res = await fetch(`${ta.url}/v1/ocsp/${encodeURIComponent(b64)}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/ocsp-response');
    const respFile = tempFile('resp.der', Buffer.from(await res.arrayBuffer()));
    const r = openssl([
      'ocsp',
      '-respin',
      respFile,
      '-no_nonce',
      '-issuer',
      f.ca.issuing,
      '-cert',
      good,
      '-CAfile',
      f.ca.root,
    ]);
    assert.match(r.output, /Response verify OK/);
    assert.match(r.output, /good\.pem: good/);

    // Nonces make each request differ; find one whose base64 contains '/', send it unescaped.
    let withSlash: string | undefined;
    for (let i = 0; i < 50 && !withSlash; i += 1) {
      const file = tempFile('req.der', '');
      openssl(['ocsp', '-issuer', f.ca.issuing, '-cert', revoked, '-reqout', file]);
      const text = readFileSync(file).toString('base64');
      if (text.includes('/')) withSlash = text;
    }
    assert.ok(withSlash, 'no request with a slash in 50 tries');
    const slashed = await fetch(
      `${ta.url}/v1/ocsp/${withSlash.replace(/\+/g, '%2B').replace(/=/g, '%3D')}`,
    );
    const out = runPython(
      'import sys, base64\nfrom cryptography.x509 import ocsp\nr = ocsp.load_der_ocsp_response(base64.b64decode(sys.stdin.read()))\nprint(r.response_status.name, r.certificate_status.name, r.revocation_reason.name)',
      Buffer.from(await slashed.arrayBuffer()).toString('base64'),
    );
    assert.equal(out.trim(), 'SUCCESSFUL REVOKED key_compromise');
  });

  it('answers malformed requests with OCSP malformedRequest, never a 500 or a problem document', async () => {
    for (const res of [
      await fetch(`${ta.url}/v1/ocsp`, {
        method: 'POST',
        headers: { 'content-type': 'application/ocsp-request' },
        body: 'garbage',
      }),
      await fetch(`${ta.url}/v1/ocsp`, {
        method: 'POST',
        headers: { 'content-type': 'application/ocsp-request' },
      }),
      await fetch(`${ta.url}/v1/ocsp/not*base64`),
      await fetch(`${ta.url}/v1/ocsp/${Buffer.from('not DER').toString('base64')}`),
    ]) {
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/ocsp-response');
      const file = tempFile('err.der', Buffer.from(await res.arrayBuffer()));
      const r = openssl(['ocsp', '-respin', file, '-resp_text', '-noverify']);
      assert.match(r.output, /Responder Error: malformedrequest \(1\)/);
    }
    assert.doesNotMatch(ta.logs(), /"level":50/); // nothing logged as an error
  });
});
