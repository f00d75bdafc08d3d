// Admin UI certificate pages (issue 6): certificates issued through the API for a real registry
// server and a real passport; the list with search, filters and pages; "find" by serial; the
// certificate page (fields, PEM, CRL and OCSP links — the OCSP link answered and checked by
// OpenSSL); the dashboard's certificate and CRL figures; revoke with an RFC 5280 reason after a
// confirmation step, through the API's domain function: audited as admin:<username>, in the feed,
// and then revoked for GET /v1/certificates/{serial}, OCSP and the CRL.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AdminClient, createAdmin, csrfOf } from '../support/admin.js';
import { caFiles, makeCsr, tempFile } from '../support/csr.js';
import { issueAgentPassport } from '../support/passports.js';
import { registeredServer, verifiedNamespace } from '../support/registry.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';
import { openssl } from '../support/tools.js';

const SERVER = 'com.example/weather';
const HOST = 'weather.example.com';

interface Issued {
  serial: string;
  pem: string;
  file: string;
}

interface Event {
  actor: string;
  action: string;
  subject: string;
  data: Record<string, unknown>;
}

const rowsOf = (html: string) =>
  [...html.matchAll(/<tr id="cert-([0-9a-f]+)">/g)].map((m) => m[1]!);
const unescape = (s: string) => s.replace(/&amp;/g, '&');

describe('admin certificate pages', () => {
  let ta: TestService;
  let b: AdminClient;
  let A: { publisherId: string; token: string };
  let ca: { root: string; issuing: string };
  let server: Issued;
  let client: Issued & { passportId: string };

  async function issue(body: Record<string, unknown>): Promise<Issued> {
    const res = await ta.request('POST', '/v1/certificates', { token: A.token, body });
    assert.equal(res.status, 201, res.text);
    return {
      serial: res.json.serial,
      pem: res.json.certificate,
      file: tempFile('leaf.pem', res.json.certificate),
    };
  }
  const issueServer = () =>
    issue({
      csr: makeCsr('P-256', { san: `DNS:${HOST}` }).csrPem,
      profile: 'server',
      subject: SERVER,
    });

  const revocationEvents = async (serial: string): Promise<Event[]> =>
    (
      (await ta.request('GET', '/v1/audit?limit=1000', { token: ta.adminToken })).json
        .items as Event[]
    ).filter((e) => e.subject === `certificate:${serial}` && e.action === 'certificate.revoked');

  /** Follows the certificate page's OCSP link and has OpenSSL check the answer: `good`, `revoked`… */
  async function ocspViaPageLink(c: Issued): Promise<string> {
    const page = await b.get(`/admin/certificates/${c.serial}`);
    const link = unescape(
      /<a href="(\/v1\/ocsp\/[^"]+)">OCSP response for this certificate<\/a>/.exec(page.text)![1]!,
    );
    const res = await ta.app.request(link);
    assert.equal(res.headers.get('content-type'), 'application/ocsp-response');
    const respFile = tempFile('resp.der', Buffer.from(await res.arrayBuffer()));
    const r = openssl([
      'ocsp',
      '-respin',
      respFile,
      '-no_nonce',
      '-issuer',
      ca.issuing,
      '-cert',
      c.file,
      '-CAfile',
      ca.root,
    ]);
    assert.match(r.output, /Response verify OK/);
    return r.output;
  }

  /** The CRL Number of GET /v1/crl.pem, read by OpenSSL, and whether it lists `serial`. */
  function crlOf(pem: string, serial: string): { number: number; lists: boolean } {
    const t = openssl(['crl', '-in', tempFile('crl.pem', pem), '-noout', '-text']);
    return {
      number: Number(/X509v3 CRL Number: \n\s+(\d+)/.exec(t.output)![1]),
      lists: t.output.includes(`Serial Number: ${serial.toUpperCase()}`),
    };
  }

  before(async () => {
    ta = await startTestService();
    await createAdmin(ta, 'alice');
    b = new AdminClient(ta);
    assert.equal((await b.signIn('alice')).status, 303);
    A = await createPublisherWithToken(ta, 'Weather Inc');
    await verifiedNamespace(ta, A.token, 'com.example');
    await registeredServer(ta, A.token, SERVER, `https://${HOST}`);
    ca = caFiles((await ta.request('GET', '/v1/trust/ca.pem')).text);
    server = await issueServer();
    const { res: p, key } = await issueAgentPassport(ta, A.token, { name: 'mtls-agent' });
    assert.equal(p.status, 201, p.text);
    const keyFile = tempFile(
      'agent-key.pem',
      key.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
    );
    const passportId = p.json.passport.passport_id as string;
    client = {
      ...(await issue({
        csr: makeCsr('P-256', { keyFile }).csrPem,
        profile: 'client',
        subject: passportId,
      })),
      passportId,
    };
  });
  after(async () => ta.stop());

  it('lists certificates newest first, searches by serial, subject or passport id, and filters', async () => {
    const list = await b.get('/admin/certificates');
    assert.equal(list.status, 200);
    assert.deepEqual(rowsOf(list.text), [client.serial, server.serial]);
    assert.match(
      list.text,
      /<nav [^>]*>.*<a href="\/admin\/certificates"[^>]*>Certificates<\/a>.*<\/nav>/,
      'in the navigation',
    );
    const colons = server.serial.slice(0, 8).toUpperCase().match(/../g)!.join(':');
    assert.deepEqual(
      rowsOf((await b.get(`/admin/certificates?search=${encodeURIComponent(colons)}`)).text),
      [server.serial],
    );
    assert.deepEqual(rowsOf((await b.get('/admin/certificates?search=Weather')).text), [
      server.serial,
    ]);
    assert.deepEqual(
      rowsOf((await b.get(`/admin/certificates?search=${client.passportId}`)).text),
      [client.serial],
    );
    assert.deepEqual(rowsOf((await b.get('/admin/certificates?profile=client')).text), [
      client.serial,
    ]);
    assert.deepEqual(
      rowsOf((await b.get('/admin/certificates?status=valid&profile=server')).text),
      [server.serial],
    );
    assert.deepEqual(rowsOf((await b.get(`/admin/certificates?publisher=${A.publisherId}`)).text), [
      client.serial,
      server.serial,
    ]);
    const none = await b.get('/admin/certificates?status=revoked');
    assert.deepEqual(rowsOf(none.text), []);
    assert.match(none.text, /No certificates match\./);
    for (const bad of ['status=bogus', 'profile=ca', 'publisher=pub_nope', 'cursor=garbage']) {
      assert.equal((await b.get(`/admin/certificates?${bad}`)).status, 400, bad);
    }
  });

  it('shows a certificate: fields, subject page, SANs, issuer, PEM, CRL and a working OCSP link', async () => {
    const page = await b.get(`/admin/certificates/${server.serial}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /<h1[^>]*>Certificate [0-9a-f]+<\/h1>/);
    assert.match(
      page.text,
      /<dt>Status<\/dt><dd><span class="badge badge-good" data-status="valid">/,
    );
    assert.match(
      page.text,
      /<dt>Subject<\/dt><dd>server <a href="\/admin\/servers\/com\.example\/weather">com\.example\/weather<\/a>/,
    );
    assert.match(
      page.text,
      new RegExp(
        `<dt>Subject alternative names</dt><dd><ul class="inline"><li><code>DNS:${HOST}</code>`,
      ),
    );
    assert.match(page.text, /<dt>Key type<\/dt><dd>P-256<\/dd>/);
    assert.match(
      page.text,
      new RegExp(
        `<dt>Issuer key id \\(kid\\)</dt><dd><a href="/admin/keys#key-${ta.keyring.issuing.kid}">`,
      ),
    );
    assert.match(page.text, /<dt>Revoked<\/dt><dd>—<\/dd>/);
    assert.ok(
      page.text.includes(`<pre class="pem">${server.pem.trim()}</pre>`),
      'the PEM as issued',
    );
    assert.match(page.text, /<a href="\/v1\/crl">\/v1\/crl<\/a>/);
    assert.match(page.text, new RegExp(`href="/admin/certificates/${server.serial}/revoke"`));
    assert.match(await ocspViaPageLink(server), /leaf\.pem: good/);

    const clientPage = await b.get(`/admin/certificates/${client.serial}`);
    assert.match(
      clientPage.text,
      new RegExp(`<dt>Subject</dt><dd>passport <a href="/admin/passports/${client.passportId}">`),
    );
    assert.match(
      clientPage.text,
      new RegExp(`<code>URI:urn:mcps:passport:${client.passportId}</code>`),
    );
    assert.equal(
      (await b.get(`/admin/certificates/${server.serial.toUpperCase()}`)).status,
      200,
      'any hex form of the serial',
    );
    assert.equal((await b.get(`/admin/certificates/${'7'.repeat(32)}`)).status, 404);
    assert.equal((await b.get('/admin/certificates/not-a-serial')).status, 404);
  });

  it('"find" opens a certificate by its serial, as hex or as OpenSSL prints it', async () => {
    assert.equal(
      (await b.get(`/admin/find?q=${server.serial}`)).location,
      `/admin/certificates/${server.serial}`,
    );
    const printed = server.serial.toUpperCase().match(/../g)!.join(':');
    assert.equal(
      (await b.get(`/admin/find?q=${encodeURIComponent(printed)}`)).location,
      `/admin/certificates/${server.serial}`,
    );
    assert.equal(
      (await b.get(`/admin/find?q=0x${client.serial}`)).location,
      `/admin/certificates/${client.serial}`,
    );
    assert.equal((await b.get(`/admin/find?q=${'7'.repeat(32)}`)).status, 404);
    const word = await b.get('/admin/find?q=cafe');
    assert.equal(
      word.location,
      null,
      'short hex words are searched as text, not opened as serials',
    );
    assert.match(word.text, /Find “cafe”/);
  });

  it('the dashboard shows valid certificates, the CRL number and next update in their slots', async () => {
    const page = await b.get('/admin');
    const crl = crlOf((await ta.request('GET', '/v1/crl.pem')).text, server.serial);
    const nextUpdate = (await ta.persistence.stores.crls.latestInfo(ta.keyring.issuing.kid))!
      .nextUpdate;
    assert.match(
      page.text,
      /<span class="stat-value">2<\/span> <span class="stat-label"><a href="\/admin\/certificates\?status=valid">Valid certificates<\/a>/,
    );
    assert.match(
      page.text,
      new RegExp(
        `<span class="stat-value">${crl.number}</span> <span class="stat-label"><a href="/v1/crl.pem">CRL number</a>`,
      ),
    );
    assert.match(
      page.text,
      new RegExp(
        `<span class="stat-value"><time datetime="${nextUpdate.toISOString()}">[^<]+ UTC</time></span> <span class="stat-label">CRL next update</span>`,
      ),
    );
    const figures = [...page.text.matchAll(/<span class="stat-label">(?:<a [^>]*>)?([^<]+)</g)].map(
      (m) => m[1],
    );
    const at = (label: string) => figures.indexOf(label);
    assert.ok(
      at('Active passports') < at('Valid certificates') &&
        at('Valid certificates') < at('Publishers'),
      figures.join(', '),
    );
    assert.ok(
      at('Revocations (24 h)') < at('CRL number') && at('CRL number') === at('CRL next update') - 1,
      figures.join(', '),
    );
  });

  it('revokes after a confirmation step; audited as admin:alice, in the feed; API, OCSP and CRL say revoked', async () => {
    const path = `/admin/certificates/${client.serial}/revoke`;
    const crlBefore = crlOf((await ta.request('GET', '/v1/crl.pem')).text, client.serial);
    const ask = await b.get(path);
    assert.equal(ask.status, 200);
    assert.match(ask.text, /<label for="reason">Reason \(RFC 5280\)<\/label>/);
    assert.match(ask.text, /<option value="keyCompromise">keyCompromise — /);
    assert.doesNotMatch(ask.text, /value="cACompromise"/, 'only the TA sets cACompromise');
    const status = async () =>
      (await ta.request('GET', `/v1/certificates/${client.serial}`, { token: A.token })).json;
    assert.equal((await status()).status, 'valid', 'asking revokes nothing');
    assert.deepEqual(await revocationEvents(client.serial), []);

    const csrf = csrfOf(ask.text);
    for (const reason of ['', 'bogus', 'cACompromise']) {
      const refused = await b.request('POST', path, { _csrf: csrf, reason });
      assert.equal(refused.status, 400, reason);
      assert.match(refused.text, /id="reason-error"/);
      assert.match(
        refused.text,
        /<button type="submit" class="danger">Revoke certificate<\/button>/,
      );
    }
    assert.equal(
      (await b.request('POST', path, { reason: 'keyCompromise' })).status,
      403,
      'no CSRF token',
    );
    assert.equal((await status()).status, 'valid');
    assert.match(await ocspViaPageLink(client), /leaf\.pem: good/);

    const done = await b.request('POST', path, { _csrf: csrf, reason: 'keyCompromise' });
    assert.equal(done.status, 303);
    assert.equal(done.location, `/admin/certificates/${client.serial}`);
    const page = await b.get(done.location!); // first: the notice is shown once
    assert.match(
      page.text,
      new RegExp(`Certificate ${client.serial} revoked \\(keyCompromise\\)\\.`),
    );
    assert.match(
      page.text,
      /<dt>Status<\/dt><dd><span class="badge badge-bad" data-status="revoked">/,
    );
    assert.match(
      page.text,
      /<dt>Revoked<\/dt><dd><time [^>]+>[^<]+<\/time> — reason <strong>keyCompromise<\/strong>/,
    );
    assert.doesNotMatch(page.text, /Revoke…/);
    const api = await status();
    assert.equal(api.status, 'revoked');
    assert.equal(api.revocation_reason, 'keyCompromise');
    assert.match(
      await ocspViaPageLink(client),
      /leaf\.pem: revoked\n(?:.*\n)*?\s+Reason: keyCompromise\n\s+Revocation Time: /,
    );
    const events = await revocationEvents(client.serial);
    assert.equal(events.length, 1);
    assert.equal(events[0]!.actor, 'admin:alice');
    assert.equal(events[0]!.data.reason, 'keyCompromise');
    const feed = (await ta.request('GET', '/v1/revocations?since=0')).json.revocations as Array<{
      kind: string;
      subject: string;
      reason: string;
    }>;
    assert.equal(
      feed.find((e) => e.kind === 'certificate' && e.subject === client.serial)?.reason,
      'keyCompromise',
    );

    await ta.certificates.crl.idle();
    const crlAfter = crlOf((await ta.request('GET', '/v1/crl.pem')).text, client.serial);
    assert.equal(crlBefore.lists, false);
    assert.equal(crlAfter.lists, true);
    assert.ok(crlAfter.number > crlBefore.number);
    assert.match(
      (await b.get('/admin')).text,
      new RegExp(
        `<span class="stat-value">${crlAfter.number}</span> <span class="stat-label"><a href="/v1/crl.pem">CRL number</a>`,
      ),
    );
    assert.deepEqual(rowsOf((await b.get('/admin/certificates?status=revoked')).text), [
      client.serial,
    ]);

    const again = await b.request('POST', path, { _csrf: csrf, reason: 'superseded' });
    assert.equal(again.status, 303);
    assert.match((await b.get(again.location!)).text, /was already revoked \(keyCompromise\)\./);
    assert.equal((await revocationEvents(client.serial)).length, 1, 'no second audit event');
  });

  it('pages through a long list with a cursor', async () => {
    for (let i = 0; i < 24; i += 1) await issueServer();
    const first = await b.get('/admin/certificates');
    assert.equal(rowsOf(first.text).length, 25);
    const next = unescape(
      /href="(\/admin\/certificates\?cursor=[^"]+)" rel="next"/.exec(first.text)![1]!,
    );
    const second = await b.get(next);
    assert.equal(rowsOf(second.text).length, 1);
    assert.equal(new Set([...rowsOf(first.text), ...rowsOf(second.text)]).size, 26);
    assert.deepEqual(rowsOf(second.text), [server.serial], 'the oldest comes last');
    assert.match(second.text, /End of list/);
  });
});
