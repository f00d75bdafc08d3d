// Delegated OCSP responders: the certificate profile (RFC 6960 §4.2.2.2, read back by openssl and
// @peculiar/x509), and rotation — one responder per CA, replaced once half its validity has
// passed, the old one answering until the new one is ready.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { CaGeneration } from '../../../src/certificates/authority.js';
import { createOcspResponders } from '../../../src/certificates/ocsp-responders.js';
import { fixedClock } from '../../../src/clock.js';
import {
  createOcspResponder,
  OCSP_NOCHECK_OID,
} from '../../../src/crypto/x509/ocsp-responder-certificate.js';
import { toPem } from '../../../src/crypto/x509/pem.js';
import { x509 } from '../../../src/crypto/x509/setup.js';
import { createTestCa, type TestCa } from '../../support/ca.js';
import { tempFile } from '../../support/csr.js';
import { openssl } from '../../support/tools.js';

const DAY = 86_400_000;

describe('delegated OCSP responders', () => {
  let ca: TestCa;
  before(async () => {
    ca = await createTestCa('Responder');
  });
  after(() => rmSync(ca.dir, { recursive: true, force: true }));

  it('issues a responder certificate with OCSPSigning, ocsp-nocheck, digitalSignature and a short validity, chaining to the root', async () => {
    const now = new Date();
    const r = await createOcspResponder({ issuer: ca.issuing, now, validityMs: 7 * DAY });
    const file = tempFile('responder.pem', toPem('CERTIFICATE', r.certificateDer));
    const text = openssl(['x509', '-in', file, '-noout', '-text']).output;
    assert.match(text, /X509v3 Extended Key Usage: \n\s+OCSP Signing\n/);
    assert.match(text, /OCSP No Check: \n/);
    assert.match(text, /X509v3 Key Usage: critical\n\s+Digital Signature\n/);
    assert.match(text, /X509v3 Basic Constraints: critical\n\s+CA:FALSE/);
    assert.match(text, /Subject: CN = Responder Issuing CA OCSP Responder, O = Tests/);
    const verify = openssl([
      'verify',
      '-x509_strict',
      '-purpose',
      'ocsphelper',
      '-CAfile',
      ca.file('root.pem'),
      '-untrusted',
      ca.file('issuing.pem'),
      file,
    ]);
    assert.equal(verify.status, 0, verify.output);

    const parsed = new x509.X509Certificate(new Uint8Array(r.certificateDer));
    assert.equal(parsed.getExtension(OCSP_NOCHECK_OID)?.critical, false);
    assert.equal(
      parsed.notAfter.getTime() - parsed.notBefore.getTime(),
      r.notAfter.getTime() - r.notBefore.getTime(),
    );
    assert.ok(r.notAfter.getTime() - now.getTime() <= 7 * DAY);
    assert.equal(
      await parsed.verify({ publicKey: ca.issuing.certificate.publicKey, signatureOnly: true }),
      true,
    );
    // The key hash used as responderID is that of the certified key.
    assert.deepEqual(Buffer.from(parsed.publicKey.rawData).subarray(-65), r.publicKeyBits);
  });

  it('gives the responder key a root-anchored twin: same key and extensions, issued by the root, its subject the same name in another string type, named as responderID byName', async () => {
    const r = await createOcspResponder({
      issuer: ca.issuing,
      anchor: ca.root,
      now: new Date(),
      validityMs: 7 * DAY,
    });
    assert.ok(r.twinCertificateDer);
    assert.deepEqual(
      r.certificates,
      [r.certificateDer, r.twinCertificateDer],
      'the delegate first, for clients that take the first certificate',
    );
    const delegate = new x509.X509Certificate(new Uint8Array(r.certificateDer));
    const twin = new x509.X509Certificate(new Uint8Array(r.twinCertificateDer));
    assert.deepEqual(Buffer.from(twin.publicKey.rawData), Buffer.from(delegate.publicKey.rawData));
    assert.equal(
      await twin.verify({ publicKey: ca.root.certificate.publicKey, signatureOnly: true }),
      true,
    );
    const file = tempFile('twin.pem', toPem('CERTIFICATE', r.twinCertificateDer));
    const verify = openssl([
      'verify',
      '-x509_strict',
      '-purpose',
      'ocsphelper',
      '-CAfile',
      ca.file('root.pem'),
      file,
    ]);
    assert.equal(verify.status, 0, verify.output);
    // Same text, different bytes: UTF8String in the delegate, PrintableString in the twin.
    assert.equal(twin.subject, delegate.subject);
    const delegateName = Buffer.from(delegate.subjectName.toArrayBuffer());
    const twinName = Buffer.from(twin.subjectName.toArrayBuffer());
    assert.notDeepEqual(twinName, delegateName);
    assert.ok(delegateName.includes(Buffer.from([0x0c])) && twinName.includes(Buffer.from([0x13])));
    assert.equal(
      openssl(['x509', '-in', file, '-noout', '-subject', '-nameopt', 'RFC2253']).output.trim(),
      'subject=O=Tests,CN=Responder Issuing CA OCSP Responder',
    );
    assert.deepEqual(
      r.responderIdDer,
      Buffer.concat([Buffer.from([0xa1, twinName.length]), twinName]),
    );
    // The root's own responder needs no twin and names itself by key hash.
    const own = await createOcspResponder({
      issuer: ca.root,
      anchor: ca.root,
      now: new Date(),
      validityMs: 7 * DAY,
    });
    assert.equal(own.twinCertificateDer, undefined);
    assert.equal(own.responderIdDer[0], 0xa2);
  });

  it('never outlives its CA', async () => {
    const r = await createOcspResponder({
      issuer: ca.issuing,
      now: new Date(ca.issuing.notAfter.getTime() - DAY),
      validityMs: 7 * DAY,
    });
    assert.equal(r.notAfter.getTime(), ca.issuing.notAfter.getTime());
  });

  it('keeps one responder per CA, replaces it past half its validity, and refuses unknown CAs', async () => {
    const clock = fixedClock(new Date());
    const generation: CaGeneration = {
      kid: 'gen-1',
      role: 'issuing',
      status: 'retiring',
      ca: ca.issuing,
    };
    const root: CaGeneration = { kid: 'root', role: 'root', status: 'active', ca: ca.root };
    const byKid = (kid: string) =>
      kid === 'gen-1' ? generation : kid === 'root' ? root : undefined;
    const responders = createOcspResponders({
      authority: { byKid, rootKid: 'root' },
      clock,
      validityMs: 7 * DAY,
    });
    const [a, b] = await Promise.all([
      responders.signerFor('gen-1'),
      responders.signerFor('gen-1'),
    ]);
    assert.equal(a, b, 'concurrent first requests share one responder');
    assert.equal(await responders.signerFor('gen-1'), a);

    clock.advance(4 * DAY); // past half of 7 days: still answers with the old one, renews behind
    assert.equal(await responders.signerFor('gen-1'), a);
    let renewed = a;
    for (let i = 0; i < 200 && renewed === a; i++) {
      await new Promise((r) => setTimeout(r, 25)); // the replacement is made in the background
      renewed = await responders.signerFor('gen-1');
    }
    assert.notEqual(renewed, a);
    assert.ok(renewed.notAfter > a.notAfter);
    assert.notDeepEqual(
      renewed.publicKeyBits,
      a.publicKeyBits,
      'a fresh key, not only a fresh certificate',
    );

    clock.advance(30 * DAY); // expired: waits for a new one
    const fresh = await responders.signerFor('gen-1');
    assert.ok(fresh.notAfter.getTime() > clock.now().getTime());
    await assert.rejects(responders.signerFor('other'), /no CA other/);
  });
});
