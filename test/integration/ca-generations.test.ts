// Issue 12, CA generations: after an issuing-CA rotation, certificates of the old intermediate
// keep their own CRL (at the URL in their CRL distribution point) and OCSP answers signed for
// their own CA; the root CRL lists a revoked intermediate. Checked by OpenSSL against the TA
// listening on a real port — `verify -crl_check_all -crl_download` follows the CRL distribution
// points at every depth — with the root as the only trust anchor.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { issueCertificate } from '../../src/certificates/issue.js';
import { certificateFixture, type CertificateFixture } from '../support/certificates.js';
import { makeCsr, tempFile } from '../support/csr.js';
import { httpRequest, startListeningTestService } from '../support/listening.js';
import type { TestService } from '../support/service.js';
import { openssl, opensslAsync } from '../support/tools.js';

/** A leaf of the test, as files for openssl. */
interface Leaf {
  serial: string;
  file: string;
}

describe('CA generations: CRL and OCSP per issuing CA, root CRL', () => {
  let ta: TestService;
  let f: CertificateFixture;
  let rootFile: string;
  let oldKid: string;
  let newKid: string;
  /** The old intermediate, downloaded from the leaves' AIA caIssuers URL. */
  let oldCaFile: string;
  let revokedBefore: Leaf;
  let revokedAfter: Leaf;
  let unrevoked: Leaf;
  let ofNewCa: Leaf;
  const admin = (method: string, path: string, body?: unknown) =>
    httpRequest(`${ta.url}${path}`, { method, token: ta.adminToken, body });
  const get = (path: string) => httpRequest(`${ta.url}${path}`);

  const issue = async (): Promise<Leaf> => {
    const { record } = await issueCertificate(f.ctx, f.a.principal, {
      csr: makeCsr('P-256').csrPem,
      profile: 'client',
      subject: f.passport.passportId,
    });
    return { serial: record.serial, file: tempFile(`${record.serial}.pem`, record.pem) };
  };
  const revoke = async (serial: string, reason = 'keyCompromise') => {
    const r = await httpRequest(`${ta.url}/v1/certificates/${serial}/revoke`, {
      method: 'POST',
      token: f.a.token,
      body: { reason },
    });
    assert.equal(r.status, 200, r.text);
  };
  /** A DER certificate fetched over HTTP, as a PEM file. */
  const fetchCer = async (url: string, name: string): Promise<string> => {
    const res = await httpRequest(url);
    assert.equal(res.status, 200, url);
    assert.equal(res.headers['content-type'], 'application/pkix-cert');
    const der = tempFile(`${name}.cer`, res.body);
    const pem = tempFile(`${name}.pem`, '');
    assert.equal(openssl(['x509', '-inform', 'DER', '-in', der, '-out', pem]).status, 0);
    return pem;
  };
  const verify = (leaf: Leaf, untrusted: string, extra: string[] = []) =>
    opensslAsync([
      'verify',
      '-x509_strict',
      '-crl_check_all',
      '-crl_download',
      '-CAfile',
      rootFile,
      '-untrusted',
      untrusted,
      ...extra,
      leaf.file,
    ]);

  before(async () => {
    ta = await startListeningTestService();
    f = await certificateFixture(ta);
    rootFile = f.ca.root;
    oldKid = ta.keyring.issuing.kid;
    revokedBefore = await issue();
    revokedAfter = await issue();
    unrevoked = await issue();
    await revoke(revokedBefore.serial);

    const prepared = await admin('POST', '/v1/authority/keys', { purpose: 'issuing-ca' });
    assert.equal(prepared.status, 201, prepared.text);
    newKid = prepared.json.kid;
    assert.equal((await admin('POST', `/v1/authority/keys/${newKid}/activate`)).status, 200);
    assert.equal(ta.keyring.issuing.kid, newKid);

    await revoke(revokedAfter.serial, 'superseded');
    ofNewCa = await issue();
    await ta.certificates.crl.idle();
  });
  after(async () => ta.stop());

  it("writes the issuing CA's own CRL URL and AIA (OCSP + caIssuers) into each leaf, and the root's into the intermediate", async () => {
    const text = openssl(['x509', '-in', unrevoked.file, '-noout', '-text']).output;
    assert.match(text, new RegExp(`URI:${ta.url}/v1/crl/${oldKid}\\n`));
    assert.match(text, new RegExp(`OCSP - URI:${ta.url}/v1/ocsp`));
    assert.match(text, new RegExp(`CA Issuers - URI:${ta.url}/v1/trust/ca/${oldKid}\\.cer`));
    assert.match(
      openssl(['x509', '-in', ofNewCa.file, '-noout', '-text']).output,
      new RegExp(`URI:${ta.url}/v1/crl/${newKid}\\n`),
    );

    oldCaFile = await fetchCer(`${ta.url}/v1/trust/ca/${oldKid}.cer`, 'old-ca');
    const ca = openssl(['x509', '-in', oldCaFile, '-noout', '-text']).output;
    assert.match(ca, new RegExp(`URI:${ta.url}/v1/crl/${ta.keyring.root.kid}\\n`));
    assert.match(
      ca,
      new RegExp(`CA Issuers - URI:${ta.url}/v1/trust/ca/${ta.keyring.root.kid}\\.cer`),
    );
    // The root certificate is served at its kid too, byte for byte the one in ca.pem.
    const root = await fetchCer(`${ta.url}/v1/trust/ca/${ta.keyring.root.kid}.cer`, 'root');
    assert.equal(readFileSync(root, 'utf8').trim(), readFileSync(rootFile, 'utf8').trim());
    assert.equal((await get(`/v1/trust/ca/${'B'.repeat(43)}.cer`)).status, 404);
    assert.equal((await get('/v1/trust/ca/not-a-kid.cer')).status, 400);
  });

  it('openssl verify -crl_check_all -crl_download: both revoked certificates of the old CA are revoked, the third is OK', async () => {
    const before = await verify(revokedBefore, oldCaFile);
    assert.notEqual(before.status, 0);
    assert.match(before.output, /error 23 at 0 depth lookup: certificate revoked/);
    const afterRotation = await verify(revokedAfter, oldCaFile);
    assert.notEqual(afterRotation.status, 0);
    assert.match(afterRotation.output, /error 23 at 0 depth lookup: certificate revoked/);
    const ok = await verify(unrevoked, oldCaFile);
    assert.equal(ok.status, 0, ok.output);
    assert.match(ok.output, /: OK\n/);
    // And a certificate of the new generation, through the new intermediate.
    const newCaFile = await fetchCer(`${ta.url}/v1/trust/ca/${newKid}.cer`, 'new-ca');
    const fresh = await verify(ofNewCa, newCaFile);
    assert.equal(fresh.status, 0, fresh.output);
  });

  it("each generation's CRL lists its own revocations: the old one both, /v1/crl (the new active one) neither", async () => {
    const res = await get(`/v1/crl/${oldKid}`);
    assert.equal(res.headers['content-type'], 'application/pkix-crl');
    const der = tempFile('old.crl', res.body);
    const oldText = openssl([
      'crl',
      '-inform',
      'DER',
      '-in',
      der,
      '-noout',
      '-text',
      '-CAfile',
      oldCaFile,
    ]).output;
    assert.match(oldText, /verify OK/);
    assert.match(oldText, new RegExp(`Issuer: CN = test-ta\\.example Issuing CA`));
    for (const s of [revokedBefore.serial, revokedAfter.serial])
      assert.match(oldText, new RegExp(`Serial Number: ${s.toUpperCase()}`));
    // A second implementation reads the same entries: @peculiar/x509.
    const { x509 } = await import('../../src/crypto/x509/setup.js');
    const parsed = new x509.X509Crl(readFileSync(der));
    assert.deepEqual(
      new Set(parsed.entries.map((e) => e.serialNumber.toLowerCase())),
      new Set([revokedBefore.serial, revokedAfter.serial]),
    );
    assert.equal(
      await parsed.verify({
        publicKey: new x509.X509Certificate(readFileSync(oldCaFile, 'utf8')).publicKey,
      }),
      true,
    );
    assert.doesNotMatch(oldText, new RegExp(unrevoked.serial.toUpperCase()));
    assert.match(oldText, /Superseded/);
    const active = (await get('/v1/crl.pem')).text;
    assert.equal(active, (await get(`/v1/crl/${newKid}.pem`)).text);
    assert.match(
      openssl(['crl', '-noout', '-text', '-in', tempFile('new.crl.pem', active)]).output,
      /No Revoked Certificates/,
    );
    // Unknown kids are 404, malformed ones 400.
    assert.equal((await get(`/v1/crl/${'C'.repeat(43)}`)).status, 404);
    assert.equal((await get('/v1/crl/not-a-kid')).status, 400);
  });

  it("openssl ocsp: each answer is signed by a delegated responder of the certificate's own CA and verifies against the root alone", async () => {
    for (const [leaf, issuerFile, expected] of [
      [revokedBefore, () => oldCaFile, /: revoked/],
      [revokedAfter, () => oldCaFile, /: revoked/],
      [unrevoked, () => oldCaFile, /: good/],
    ] as const) {
      const respFile = tempFile('resp.der', '');
      const asked = await opensslAsync([
        'ocsp',
        '-issuer',
        issuerFile(),
        '-cert',
        leaf.file,
        '-url',
        `${ta.url}/v1/ocsp`,
        '-respout',
        respFile,
        '-CAfile',
        rootFile,
        '-verify_other',
        issuerFile(),
      ]);
      assert.match(asked.output, expected, asked.output);
      // Offline, without -issuer (which openssl would otherwise trust as a fallback): the chain
      // responder → intermediate → root must build from the root alone plus the untrusted intermediate.
      const strict = openssl([
        'ocsp',
        '-respin',
        respFile,
        '-no_nonce',
        '-CAfile',
        rootFile,
        '-verify_other',
        issuerFile(),
        '-resp_text',
      ]);
      assert.match(strict.output, /Response verify OK/, strict.output);
      assert.match(strict.output, /OCSP Signing/);
      assert.match(strict.output, /OCSP No Check/);
      assert.match(strict.output, /Subject: CN=test-ta\.example Issuing CA OCSP Responder/);
      assert.match(strict.output, /Issuer: CN=test-ta\.example Issuing CA/);
    }
  });

  it('a revoked issuing CA is on the root CRL, and OpenSSL refuses its leaves with "certificate revoked" at depth 1, the CRL signed by the revoked key not repeating them', async () => {
    // The leaf CRL of the old CA as it stands before the CA is revoked: it does not list `unrevoked`.
    const leafCrlBefore = tempFile('old-leaf-crl.pem', (await get(`/v1/crl/${oldKid}.pem`)).text);
    const r = await admin('POST', `/v1/authority/keys/${oldKid}/revoke`, {
      reason: 'keyCompromise',
    });
    assert.equal(r.status, 200, r.text);
    await ta.certificates.crl.idle();

    const rootCrl = tempFile('root-crl.pem', (await get('/v1/crl/root.pem')).text);
    assert.equal(
      (await get(`/v1/crl/${ta.keyring.root.kid}.pem`)).text,
      readFileSync(rootCrl, 'utf8'),
    );
    const rootText = openssl(['crl', '-noout', '-text', '-in', rootCrl]).output;
    const caSerial = openssl(['x509', '-in', oldCaFile, '-noout', '-serial'])
      .output.trim()
      .replace(/^serial=/, '');
    assert.match(rootText, new RegExp(`Serial Number: ${caSerial}`));
    assert.match(rootText, /CA Compromise/);
    assert.equal(
      openssl(['crl', '-in', rootCrl, '-noout', '-CAfile', rootFile]).output.includes('verify OK'),
      true,
    );

    // With the CRLs the TA serves now: the leaf CRL of the revoked CA (signed by the revoked key)
    // does not repeat the leaves revoked with it, the root CRL refuses the chain at depth 1 — for
    // a leaf revoked with its CA and for one revoked on its own before.
    const current = await verify(unrevoked, oldCaFile);
    assert.notEqual(current.status, 0);
    assert.match(current.output, /error 23 at 1 depth lookup: certificate revoked/);
    const leafCrlNow = openssl([
      'crl',
      '-noout',
      '-text',
      '-in',
      tempFile('old-leaf-crl-now.pem', (await get(`/v1/crl/${oldKid}.pem`)).text),
    ]).output;
    assert.doesNotMatch(
      leafCrlNow,
      new RegExp(
        `Serial Number: ${openssl(['x509', '-in', unrevoked.file, '-noout', '-serial'])
          .output.trim()
          .replace(/^serial=/, '')}`,
      ),
    );
    // A leaf CRL replayed from before the revocation changes nothing.
    const depth1 = openssl([
      'verify',
      '-crl_check_all',
      '-CAfile',
      rootFile,
      '-untrusted',
      oldCaFile,
      '-CRLfile',
      leafCrlBefore,
      '-CRLfile',
      rootCrl,
      unrevoked.file,
    ]);
    assert.notEqual(depth1.status, 0);
    assert.match(depth1.output, /error 23 at 1 depth lookup: certificate revoked/);
    // Every other view gives the leaf as revoked with its CA.
    const serial = openssl(['x509', '-in', unrevoked.file, '-noout', '-serial'])
      .output.trim()
      .replace(/^serial=/, '')
      .toLowerCase();
    const api = await admin('GET', `/v1/certificates/${serial}`);
    assert.match(api.text, /"status":"revoked"/);
    assert.match(api.text, /cACompromise/);
    // OCSP for the intermediate itself, answered for the root by the root's delegated responder.
    const respFile = tempFile('ca-resp.der', '');
    const asked = await opensslAsync([
      'ocsp',
      '-issuer',
      rootFile,
      '-cert',
      oldCaFile,
      '-url',
      `${ta.url}/v1/ocsp`,
      '-respout',
      respFile,
      '-CAfile',
      rootFile,
    ]);
    assert.match(asked.output, /Response verify OK/);
    assert.match(asked.output, /: revoked\n[\s\S]*Reason: cACompromise/);
    // The new generation is unaffected.
    const fresh = await verify(
      ofNewCa,
      await fetchCer(`${ta.url}/v1/trust/ca/${newKid}.cer`, 'new-ca-2'),
    );
    assert.equal(fresh.status, 0, fresh.output);
  });

  it('OCSP about a certificate this TA did not issue is `unauthorized`; our CA with an unknown serial is `unknown`', async () => {
    const other = await import('../support/ca.js').then((m) => m.createTestCa('Foreign'));
    const foreign = await opensslAsync([
      'ocsp',
      '-issuer',
      other.file('issuing.pem'),
      '-serial',
      '0x1234',
      '-url',
      `${ta.url}/v1/ocsp`,
      '-CAfile',
      rootFile,
    ]);
    assert.match(foreign.output, /Responder Error: unauthorized \(6\)/);
    const unknown = await opensslAsync([
      'ocsp',
      '-issuer',
      oldCaFile,
      '-serial',
      '0x1234',
      '-url',
      `${ta.url}/v1/ocsp`,
      '-CAfile',
      rootFile,
      '-verify_other',
      oldCaFile,
    ]);
    assert.match(unknown.output, /Response verify OK/);
    assert.match(unknown.output, /0x1234: unknown/);
  });
});
