// The streaming CRL writer, checked by OpenSSL and by Python `cryptography` (independent parsers
// and signature verifiers): structure, reasons, times, serial encodings, extensions, scale.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { CrlWriter } from '../../../../src/crypto/x509/crl-writer.js';
import { toPem } from '../../../../src/crypto/x509/pem.js';
import { createTestCa, type TestCa } from '../../../support/ca.js';
import { tempFile } from '../../../support/csr.js';
import { openssl, runPython } from '../../../support/tools.js';

const THIS_UPDATE = new Date('2026-03-01T10:00:00.000Z');
const NEXT_UPDATE = new Date('2026-03-02T10:00:00.000Z');

describe('CrlWriter', () => {
  let ca: TestCa;
  before(async () => {
    ca = await createTestCa('CRL');
  });
  after(() => rmSync(ca.dir, { recursive: true, force: true }));

  const sign = (w: CrlWriter, crlNumber = 7n) =>
    w.finish({
      issuerNameDer: ca.issuing.subjectDer,
      authorityKeyIdentifier: ca.issuing.keyIdentifier,
      crlNumber,
      thisUpdate: THIS_UPDATE,
      nextUpdate: NEXT_UPDATE,
      privateKey: ca.issuing.privateKey,
      signatureAlgorithm: ca.issuing.signatureAlgorithm,
    });

  it('writes a v2 CRL that openssl verifies against the issuing CA and prints as expected', () => {
    const w = new CrlWriter();
    w.add('01', new Date('2026-02-01T01:02:03Z'), 'keyCompromise');
    w.add('00ff', new Date('2026-02-02T00:00:00Z'), 'superseded'); // leading zero octet dropped, 0x00 sign octet added back
    w.add('7fffffffffffffffffffffffffffffff', new Date('2051-01-01T00:00:00Z'), 'unspecified'); // GeneralizedTime after 2049
    w.add('abc', new Date('2026-02-03T00:00:00Z'), 'privilegeWithdrawn'); // odd digit count
    const der = sign(w, 4242n);
    const file = tempFile('crl.pem', toPem('X509 CRL', der));
    const r = openssl(['crl', '-in', file, '-noout', '-text', '-CAfile', ca.file('chain.pem')]);
    assert.equal(r.status, 0, r.output);
    assert.match(r.output, /verify OK/);
    assert.match(r.output, /Version 2 \(0x1\)/);
    assert.match(r.output, /Signature Algorithm: ecdsa-with-SHA256/);
    assert.match(r.output, /Issuer: CN = CRL Issuing CA, O = Tests/);
    assert.match(r.output, /Last Update: Mar  1 10:00:00 2026 GMT/);
    assert.match(r.output, /Next Update: Mar  2 10:00:00 2026 GMT/);
    assert.match(r.output, /X509v3 CRL Number: \n\s+4242/);
    const aki = ca.issuing.keyIdentifier.toString('hex').toUpperCase().match(/../g)!.join(':');
    assert.match(r.output, new RegExp(`Authority Key Identifier: \\n\\s+(keyid:)?${aki}`));
    assert.match(
      r.output,
      /Serial Number: 01\n\s+Revocation Date: Feb  1 01:02:03 2026 GMT\n\s+CRL entry extensions:\n\s+X509v3 CRL Reason Code: \n\s+Key Compromise/,
    );
    assert.match(r.output, /Serial Number: FF\n[\s\S]*?Superseded/);
    assert.match(
      r.output,
      /Serial Number: 7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF\n\s+Revocation Date: Jan  1 00:00:00 2051 GMT\n\s+Serial Number: 0ABC/,
    );
    assert.match(r.output, /Serial Number: 0ABC\n[\s\S]*?Privilege Withdrawn/);
  });

  it('is read the same way by Python cryptography, whose signature check passes', () => {
    const w = new CrlWriter();
    w.add(
      '5f0c3a9e0d1b4c7a8e2f6b1d3c5a7e90',
      new Date('2026-02-01T00:00:00Z'),
      'cessationOfOperation',
    );
    w.add('80', new Date('2026-02-01T00:00:00Z'), 'affiliationChanged'); // top bit set: needs the 0x00 sign octet
    const der = sign(w, 99n);
    const out = runPython(
      [
        'import sys, base64',
        'from cryptography import x509',
        'crl = x509.load_der_x509_crl(base64.b64decode(sys.stdin.read()))',
        `issuer = x509.load_pem_x509_certificate(open(${JSON.stringify(ca.file('issuing.pem'))}, "rb").read())`,
        'print("sig", crl.is_signature_valid(issuer.public_key()))',
        'print("number", crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number)',
        'print("aki", crl.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value.key_identifier.hex())',
        'print("issuer_match", crl.issuer == issuer.subject)',
        'for r in crl:',
        '    print("entry", format(r.serial_number, "x"), r.revocation_date_utc.isoformat(), r.extensions.get_extension_for_class(x509.CRLReason).value.reason.name)',
      ].join('\n'),
      der.toString('base64'),
    );
    assert.match(out, /^sig True$/m);
    assert.match(out, /^number 99$/m);
    assert.match(out, new RegExp(`^aki ${ca.issuing.keyIdentifier.toString('hex')}$`, 'm'));
    assert.match(out, /^issuer_match True$/m);
    assert.match(
      out,
      /^entry 5f0c3a9e0d1b4c7a8e2f6b1d3c5a7e90 2026-02-01T00:00:00\+00:00 cessation_of_operation$/m,
    );
    assert.match(out, /^entry 80 2026-02-01T00:00:00\+00:00 affiliation_changed$/m);
  });

  it('leaves revokedCertificates out when nothing is revoked (RFC 5280 §5.1.2.6)', () => {
    const der = sign(new CrlWriter(), 1n);
    const r = openssl([
      'crl',
      '-inform',
      'DER',
      '-in',
      tempFile('empty.crl', der),
      '-noout',
      '-text',
      '-CAfile',
      ca.file('chain.pem'),
    ]);
    assert.equal(r.status, 0, r.output);
    assert.match(r.output, /verify OK/);
    assert.match(r.output, /No Revoked Certificates\./);
  });

  it('handles 50,000 entries: openssl verifies it, Python counts every entry', () => {
    const w = new CrlWriter();
    const at = new Date('2026-02-01T00:00:00Z');
    const serials = new Set<string>();
    for (let i = 0; i < 50_000; i += 1) {
      const serial = `1${randomBytes(16).toString('hex').slice(1)}`;
      serials.add(serial);
      w.add(serial, at, 'keyCompromise');
    }
    const der = sign(w, 2n);
    assert.ok(
      der.length > 50_000 * 40 && der.length < 50_000 * 60,
      `unexpected size ${der.length}`,
    );
    const file = tempFile('big.crl', der);
    const r = openssl([
      'crl',
      '-inform',
      'DER',
      '-in',
      file,
      '-noout',
      '-CAfile',
      ca.file('chain.pem'),
    ]);
    assert.equal(r.status, 0, r.output);
    assert.match(r.output, /verify OK/);
    const out = runPython(
      'import sys\nfrom cryptography import x509\ncrl = x509.load_der_x509_crl(open(sys.stdin.read().strip(), "rb").read())\nprint(len(crl))\nprint(len({format(r.serial_number, "x") for r in crl}))',
      file,
    );
    assert.deepEqual(out.trim().split('\n'), [String(serials.size), String(serials.size)]);
  });

  it('rejects serials that are not positive hex of at most 20 octets', () => {
    const w = new CrlWriter();
    const at = new Date();
    assert.throws(() => w.add('', at, 'keyCompromise'), RangeError);
    assert.throws(() => w.add('00', at, 'keyCompromise'), /positive/);
    assert.throws(() => w.add('xyz', at, 'keyCompromise'), RangeError);
    assert.throws(() => w.add('1'.repeat(41), at, 'keyCompromise'), RangeError);
    assert.equal(w.count, 0);
  });
});
