// Certificates end to end through the HTTP API, with the subjects of the real registry and
// passports (no test doubles): a registered server gets a server certificate for its origin host,
// an agent passport gets a client certificate for its own key, OpenSSL accepts both, a real mTLS
// handshake works, and a revocation shuts the client out once the server loads the CRLs.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { caFiles, makeCsr, tempFile } from '../support/csr.js';
import { issueAgentPassport } from '../support/passports.js';
import { assertProblem } from '../support/problem.js';
import { registeredServer, verifiedNamespace } from '../support/registry.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';
import { opensslAsync } from '../support/tools.js';

const SERVER = 'com.example/weather';
const HOST = 'weather.example.com';

async function handshake(server: tls.TlsOptions, client: tls.ConnectionOptions): Promise<boolean> {
  const s = tls.createServer({ ...server, requestCert: true, rejectUnauthorized: true }, (socket) =>
    socket.end('hello'),
  );
  s.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  const ok = await new Promise<boolean>((resolve) => {
    let data = '';
    const c = tls.connect({ host: '127.0.0.1', port, servername: HOST, ...client });
    c.on('data', (d) => (data += d));
    c.on('error', () => resolve(false));
    c.on('close', () => resolve(data === 'hello'));
  });
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return ok;
}

describe('certificates through the HTTP API with registry and passport subjects', () => {
  let ta: TestService;
  let A: { publisherId: string; token: string };
  let B: { publisherId: string; token: string };
  let ca: { root: string; issuing: string; chain: string };
  let issuingPem: string;
  let server: { key: string; cert: string; serial: string };
  let client: { key: string; cert: string; serial: string; passportId: string };

  before(async () => {
    ta = await startTestService({ listen: true });
    A = await createPublisherWithToken(ta, 'Weather Inc');
    B = await createPublisherWithToken(ta, 'Other Inc');
    await verifiedNamespace(ta, A.token, 'com.example');
    await registeredServer(ta, A.token, SERVER, `https://${HOST}`);
    const caPem = (await ta.request('GET', '/v1/trust/ca.pem')).text;
    ca = caFiles(caPem);
    issuingPem = caPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)![1]!;
  });
  after(async () => ta.stop());

  it('a registered server gets a certificate for its origin host that openssl accepts as sslserver', async () => {
    const csr = makeCsr('P-256', { san: `DNS:${HOST}` });
    const res = await ta.request('POST', '/v1/certificates', {
      token: A.token,
      body: { csr: csr.csrPem, profile: 'server', subject: SERVER },
    });
    assert.equal(res.status, 201, res.text);
    server = {
      key: csr.keyPem,
      cert: `${res.json.certificate}${issuingPem}\n`,
      serial: res.json.serial,
    };
    const leaf = tempFile('server.pem', res.json.certificate);
    const v = await opensslAsync([
      'verify',
      '-x509_strict',
      '-purpose',
      'sslserver',
      '-verify_hostname',
      HOST,
      '-CAfile',
      ca.root,
      '-untrusted',
      ca.issuing,
      leaf,
    ]);
    assert.equal(v.status, 0, v.output);
    const wrongHost = await opensslAsync([
      'verify',
      '-purpose',
      'sslserver',
      '-verify_hostname',
      'evil.example.com',
      '-CAfile',
      ca.root,
      '-untrusted',
      ca.issuing,
      leaf,
    ]);
    assert.notEqual(wrongHost.status, 0);
  });

  it('a SAN outside the server origin, or another publisher asking, is refused and nothing is stored', async () => {
    const foreignSan = makeCsr('P-256', { san: 'DNS:bank.example.org' });
    assertProblem(
      await ta.request('POST', '/v1/certificates', {
        token: A.token,
        body: { csr: foreignSan.csrPem, profile: 'server', subject: SERVER },
      }),
      400,
    );
    const byB = makeCsr('P-256', { san: `DNS:${HOST}` });
    const res = await ta.request('POST', '/v1/certificates', {
      token: B.token,
      body: { csr: byB.csrPem, profile: 'server', subject: SERVER },
    });
    assert.ok(res.status === 400 || res.status === 403, res.text);
    const rows = await ta.db.sql('select count(*)::int as n from certificates');
    assert.equal(rows[0]!.n, 1);
  });

  it("an agent passport's key gets a client certificate naming the passport, accepted as sslclient", async () => {
    const { res: p, key } = await issueAgentPassport(ta, A.token, { name: 'mtls-agent' });
    assert.equal(p.status, 201, p.text);
    const keyFile = tempFile(
      'agent-key.pem',
      key.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
    );
    const csr = makeCsr('P-256', { keyFile });
    const res = await ta.request('POST', '/v1/certificates', {
      token: A.token,
      body: { csr: csr.csrPem, profile: 'client', subject: p.json.passport.passport_id },
    });
    assert.equal(res.status, 201, res.text);
    client = {
      key: csr.keyPem,
      cert: `${res.json.certificate}${issuingPem}\n`,
      serial: res.json.serial,
      passportId: p.json.passport.passport_id,
    };
    const leaf = tempFile('client.pem', res.json.certificate);
    const v = await opensslAsync([
      'verify',
      '-x509_strict',
      '-purpose',
      'sslclient',
      '-CAfile',
      ca.root,
      '-untrusted',
      ca.issuing,
      leaf,
    ]);
    assert.equal(v.status, 0, v.output);
    const text = await opensslAsync(['x509', '-in', leaf, '-noout', '-text']);
    assert.match(text.output, new RegExp(`URI:urn:mcps:passport:${client.passportId}`));
    const shown = await ta.request('GET', `/v1/certificates/${client.serial}`, { token: A.token });
    assert.equal(shown.json.passport_id, client.passportId);
  });

  it('a CSR with a key other than the passport key is refused for that passport', async () => {
    const other = makeCsr('P-256');
    const res = await ta.request('POST', '/v1/certificates', {
      token: B.token,
      body: { csr: other.csrPem, profile: 'client', subject: client.passportId },
    });
    assert.ok(res.status >= 400 && res.status < 500, res.text);
  });

  it('a real mutual-TLS handshake succeeds, and fails for the revoked client once the CRLs are loaded', async () => {
    const root = (await ta.request('GET', '/v1/trust/ca.pem')).text;
    const serverOptions = { key: server.key, cert: server.cert, ca: root };
    assert.equal(
      await handshake(serverOptions, { key: client.key, cert: client.cert, ca: root }),
      true,
    );

    const revoked = await ta.request('POST', `/v1/certificates/${client.serial}/revoke`, {
      token: A.token,
      body: { reason: 'keyCompromise' },
    });
    assert.equal(revoked.status, 200, revoked.text);
    await ta.certificates.crl.idle();
    const crl = [
      (await ta.request('GET', '/v1/crl.pem')).text,
      (await ta.request('GET', '/v1/crl/root.pem')).text,
    ];
    assert.equal(
      await handshake({ ...serverOptions, crl }, { key: client.key, cert: client.cert, ca: root }),
      false,
    );
    const status = await ta.request('GET', `/v1/certificates/${client.serial}`, { token: A.token });
    assert.equal(status.json.status, 'revoked');
  });

  it('certificate revocations are in the signed revocation feed', async () => {
    const feed = await ta.request('GET', '/v1/revocations?since=0');
    assert.equal(feed.status, 200);
    const entry = feed.json.revocations.find(
      (e: { kind: string; subject: string }) =>
        e.kind === 'certificate' && e.subject === client.serial,
    );
    assert.ok(entry, JSON.stringify(feed.json.revocations));
    assert.equal(entry.reason, 'keyCompromise');
  });

  it('revoking a compromised issuing intermediate revokes every certificate it issued', async () => {
    const admin = (method: string, path: string, body?: unknown) =>
      ta.request(method, path, { token: ta.adminToken, body });
    const oldKid = ta.keyring.issuing.kid;
    const prepared = await admin('POST', '/v1/authority/keys', { purpose: 'issuing-ca' });
    assert.equal(
      (await admin('POST', `/v1/authority/keys/${prepared.json.kid}/activate`)).status,
      200,
    );
    // New certificates come from the new intermediate at once.
    const csr = makeCsr('P-256', { san: `DNS:${HOST}` });
    const fresh = await ta.request('POST', '/v1/certificates', {
      token: A.token,
      body: { csr: csr.csrPem, profile: 'server', subject: SERVER },
    });
    assert.equal(fresh.status, 201, fresh.text);
    assert.equal(fresh.json.issuer_kid ?? prepared.json.kid, prepared.json.kid);

    const revoked = await admin('POST', `/v1/authority/keys/${oldKid}/revoke`, {
      reason: 'keyCompromise',
    });
    assert.equal(revoked.status, 200, revoked.text);
    const old = await ta.request('GET', `/v1/certificates/${server.serial}`, { token: A.token });
    assert.equal(old.json.status, 'revoked');
    assert.equal(old.json.revocation_reason, 'cACompromise');
    const stillGood = await ta.request('GET', `/v1/certificates/${fresh.json.serial}`, {
      token: A.token,
    });
    assert.equal(stillGood.json.status, 'valid');
    const feed = (await ta.request('GET', '/v1/revocations?since=0')).json.revocations as Array<{
      kind: string;
      subject: string;
    }>;
    assert.ok(feed.some((e) => e.kind === 'key' && e.subject === oldKid));
    assert.ok(feed.some((e) => e.kind === 'certificate' && e.subject === server.serial));
    assert.equal((await admin('GET', '/v1/audit/verify')).json.ok, true);
  });
});
