// Issue 4: a real mutual-TLS handshake with Node's tls module using what the TA issued: a server
// certificate for `localhost` and a client certificate for a passport, both chaining to the root
// from /v1/trust/ca.pem. A client certificate from another CA is refused, and so is a revoked
// one once the server loads the current CRLs (issuing CA's and root's).
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { readFileSync, rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { issueCertificate } from '../../src/certificates/issue.js';
import { randomSerialHex } from '../../src/crypto/serial.js';
import { parseCsr } from '../../src/crypto/x509/csr.js';
import { issueLeafCertificate } from '../../src/crypto/x509/leaf-certificate.js';
import { createTestCa, type TestCa } from '../support/ca.js';
import { certificateFixture, type CertificateFixture } from '../support/certificates.js';
import { makeCsr } from '../support/csr.js';
import { startTestService, type TestService } from '../support/service.js';
import { assertCnInSans } from '../support/x509-profile.js';

interface Outcome {
  /** The client read the server's greeting: both sides accepted each other. */
  ok: boolean;
  /** The client certificate's SAN as the server saw it, or the server's reason for refusing it. */
  serverSaw: string | undefined;
}

/**
 * One handshake against a throwaway server that requires client certificates. With `enforce`
 * the server refuses bad ones itself (rejectUnauthorized); without, it accepts the handshake and
 * reports OpenSSL's verdict (authorizationError), because Node surfaces a refused client only as
 * a reset, without the reason.
 */
async function handshake(
  server: tls.TlsOptions,
  client: tls.ConnectionOptions,
  enforce = true,
): Promise<Outcome> {
  let serverSaw: string | undefined;
  const s = tls.createServer(
    { ...server, requestCert: true, rejectUnauthorized: enforce },
    (socket) => {
      if (!socket.authorized) {
        serverSaw = `refused: ${String(socket.authorizationError)}`;
        socket.destroy();
        return;
      }
      serverSaw = socket.getPeerCertificate().subjectaltname;
      socket.end('hello');
    },
  );
  s.on('tlsClientError', (err: NodeJS.ErrnoException) => {
    serverSaw ??= `refused: ${err.code ?? err.message}`;
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  const ok = await new Promise<boolean>((resolve) => {
    let data = '';
    const c = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ...client });
    c.on('data', (d) => (data += d));
    c.on('error', () => resolve(false));
    c.on('close', () => resolve(data === 'hello'));
  });
  await new Promise((r) => setTimeout(r, 50)); // let the server record its side
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return { ok, serverSaw };
}

describe('mutual TLS with issued certificates', () => {
  let ta: TestService;
  let f: CertificateFixture;
  let other: TestCa;
  let root: string;
  let serverOptions: tls.TlsOptions;
  let client: { key: string; cert: string; serial: string };

  before(async () => {
    ta = await startTestService();
    f = await certificateFixture(ta, 'localhost');
    other = await createTestCa('Other');
    root = readFileSync(f.ca.root, 'utf8');
    const issuingPem = readFileSync(f.ca.issuing, 'utf8');

    const serverCsr = makeCsr('P-256', { san: 'DNS:localhost' });
    const server = await issueCertificate(f.ctx, f.a.principal, {
      csr: serverCsr.csrPem,
      profile: 'server',
      subject: f.serverName,
    });
    serverOptions = { key: serverCsr.keyPem, cert: `${server.record.pem}${issuingPem}`, ca: root };

    const clientCsr = makeCsr('P-256', { keyFile: f.passport.keyFile });
    const issued = await issueCertificate(f.ctx, f.a.principal, {
      csr: clientCsr.csrPem,
      profile: 'client',
    });
    client = {
      key: clientCsr.keyPem,
      cert: `${issued.record.pem}${issuingPem}`,
      serial: issued.record.serial,
    };
  });
  after(async () => {
    await ta.stop();
    rmSync(other.dir, { recursive: true, force: true });
  });

  it('server and client certificates from the TA chain are accepted both ways', async () => {
    const out = await handshake(serverOptions, { key: client.key, cert: client.cert, ca: root });
    assert.equal(out.ok, true, out.serverSaw);
    assert.equal(out.serverSaw, `URI:urn:mcps:passport:${f.passport.passportId}`);
  });

  it('the client refuses the server when it does not trust the TA root', async () => {
    const out = await handshake(serverOptions, {
      key: client.key,
      cert: client.cert,
      ca: other.rootPem,
    });
    assert.equal(out.ok, false);
  });

  it('a client certificate from another CA is refused', async () => {
    const csr = makeCsr('P-256');
    const now = Date.now();
    const foreign = await issueLeafCertificate({
      profile: 'client',
      serialHex: randomSerialHex(),
      spkiDer: parseCsr(csr.csrPem).spkiDer,
      commonName: `urn:mcps:passport:${f.passport.passportId}`,
      sans: { uri: [`urn:mcps:passport:${f.passport.passportId}`] },
      notBefore: new Date(now - 60_000),
      notAfter: new Date(now + 86_400_000),
      issuer: other.issuing,
      crlUrl: 'http://other.test/crl',
      ocspUrl: 'http://other.test/ocsp',
    });
    assertCnInSans([foreign.pem], 'the foreign CA’s client certificate');
    const foreignClient = {
      key: csr.keyPem,
      cert: `${foreign.pem}${other.issuing.certificatePem}`,
      ca: root,
    };
    assert.equal((await handshake(serverOptions, foreignClient)).ok, false);
    const why = await handshake(serverOptions, foreignClient, false);
    assert.equal(why.ok, false);
    assert.match(
      why.serverSaw ?? '',
      /^refused: (UNABLE_TO_GET_ISSUER_CERT_LOCALLY|SELF_SIGNED_CERT_IN_CHAIN)/,
    );
  });

  it('a revoked client certificate is refused once the server loads the current CRL', async () => {
    const res = await ta.request('POST', `/v1/certificates/${client.serial}/revoke`, {
      token: f.a.token,
      body: { reason: 'keyCompromise' },
    });
    assert.equal(res.status, 200, res.text);
    await ta.certificates.crl.idle();
    // Node's `crl` option checks CRLs for the whole chain (CRL_CHECK_ALL): it needs the root's too.
    const crl = [
      (await ta.request('GET', '/v1/crl.pem')).text,
      (await ta.request('GET', '/v1/crl/root.pem')).text,
    ];
    const revokedClient = { key: client.key, cert: client.cert, ca: root };
    assert.equal((await handshake({ ...serverOptions, crl }, revokedClient)).ok, false);
    const why = await handshake({ ...serverOptions, crl }, revokedClient, false);
    assert.equal(why.ok, false);
    assert.equal(why.serverSaw, 'refused: CERT_REVOKED');
    // Without the CRL the same certificate still passes: the CRL is what refuses it.
    assert.equal((await handshake(serverOptions, revokedClient)).ok, true);

    // The same CRL does not shut out a client certificate that is not on it.
    const fresh = makeCsr('P-384');
    const other = await issueCertificate(f.ctx, f.a.principal, {
      csr: fresh.csrPem,
      profile: 'client',
      subject: f.passport.passportId,
    });
    const issuingPem = readFileSync(f.ca.issuing, 'utf8');
    const ok = await handshake(
      { ...serverOptions, crl },
      { key: fresh.keyPem, cert: `${other.record.pem}${issuingPem}`, ca: root },
    );
    assert.equal(ok.ok, true, ok.serverSaw);
  });
});
