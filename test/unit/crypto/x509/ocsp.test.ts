// OCSP request parsing and response building, against requests made by `openssl ocsp` and
// responses checked by `openssl ocsp -respin` and Python `cryptography` (signature verified).
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { randomSerialHex } from '../../../../src/crypto/serial.js';
import { issuerHashes } from '../../../../src/crypto/x509/issuing-ca.js';
import { issueLeafCertificate } from '../../../../src/crypto/x509/leaf-certificate.js';
import {
  encodeOcspRequest,
  OcspMalformedError,
  parseOcspRequest,
} from '../../../../src/crypto/x509/ocsp-request.js';
import {
  buildOcspResponse,
  ocspErrorResponse,
  type OcspCertStatus,
} from '../../../../src/crypto/x509/ocsp-response.js';
import { parseCsr } from '../../../../src/crypto/x509/csr.js';
import { createTestCa, type TestCa } from '../../../support/ca.js';
import { makeCsr, tempFile } from '../../../support/csr.js';
import { openssl, runPython } from '../../../support/tools.js';
import { assertCnInSans } from '../../../support/x509-profile.js';

describe('OCSP encoding', () => {
  let ca: TestCa;
  let leafFile: string;
  let serial: string;
  before(async () => {
    ca = await createTestCa('OCSP');
    serial = randomSerialHex();
    const now = Date.now();
    const leaf = await issueLeafCertificate({
      profile: 'client',
      serialHex: serial,
      spkiDer: parseCsr(makeCsr('P-256').csrPem).spkiDer,
      commonName: 'urn:mcps:passport:asp_0123456789abcdef0123456789abcdef',
      sans: { uri: ['urn:mcps:passport:asp_0123456789abcdef0123456789abcdef'] },
      notBefore: new Date(now - 60_000),
      notAfter: new Date(now + 86_400_000),
      issuer: ca.issuing,
      crlUrl: 'http://ta.test/v1/crl',
      ocspUrl: 'http://ta.test/v1/ocsp',
    });
    assertCnInSans([leaf.pem], 'the OCSP test leaf');
    leafFile = tempFile('leaf.pem', leaf.pem);
  });
  after(() => rmSync(ca.dir, { recursive: true, force: true }));

  /** An OCSP request written by openssl for our leaf. */
  function opensslRequest(extra: string[] = []): { der: Buffer; file: string } {
    const file = tempFile('req.der', '');
    const r = openssl([
      'ocsp',
      ...extra,
      '-issuer',
      ca.file('issuing.pem'),
      '-cert',
      leafFile,
      '-reqout',
      file,
    ]);
    assert.equal(r.status, 0, r.output);
    return { der: readFileSync(file), file };
  }

  function respond(der: Buffer, status: OcspCertStatus): Buffer {
    const parsed = parseOcspRequest(der);
    const producedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    return buildOcspResponse({
      answers: parsed.requests.map((r) => ({ certIdDer: r.certIdDer, certStatus: status })),
      nonce: parsed.nonce,
      producedAt,
      nextUpdate: new Date(producedAt.getTime() + 3_600_000),
      signer: ca.issuing,
      certificates: [ca.issuing.certificateDer],
    });
  }

  /**
   * Verifies a response with `openssl ocsp -respin` and prints the leaf's status. openssl then
   * builds its own request from -cert (it ignores -reqin when -cert is given), so its nonce check
   * is off here; the nonce echo is checked with Python and end-to-end in the integration tests.
   */
  function opensslCheck(response: Buffer, digest: string[] = []): string {
    const args = [
      'ocsp',
      '-respin',
      tempFile('resp.der', response),
      '-no_nonce',
      ...digest,
      '-issuer',
      ca.file('issuing.pem'),
      '-cert',
      leafFile,
    ];
    return openssl([...args, '-CAfile', ca.file('chain.pem')]).output;
  }

  function pythonNonce(response: Buffer): string {
    return runPython(
      'import sys, base64\nfrom cryptography import x509\nfrom cryptography.x509 import ocsp\nr = ocsp.load_der_ocsp_response(base64.b64decode(sys.stdin.read()))\nprint(r.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce.hex())',
      response.toString('base64'),
    ).trim();
  }

  it('encodes the one-certificate GET request byte for byte as `openssl ocsp -no_nonce` does, also for a serial needing a sign octet', () => {
    const target = {
      issuerNameDer: ca.issuing.subjectDer,
      issuerKeyBits: ca.issuing.publicKeyBits,
    };
    assert.deepEqual(
      encodeOcspRequest({ ...target, serialHex: serial }),
      opensslRequest(['-no_nonce']).der,
    );
    for (const high of ['80ff00112233445566778899aabbccdd', '0a']) {
      const file = tempFile('req.der', '');
      const r = openssl([
        'ocsp',
        '-no_nonce',
        '-issuer',
        ca.file('issuing.pem'),
        '-serial',
        `0x${high}`,
        '-reqout',
        file,
      ]);
      assert.equal(r.status, 0, r.output);
      assert.deepEqual(encodeOcspRequest({ ...target, serialHex: high }), readFileSync(file), high);
    }
  });

  it("parses openssl's SHA-1 request: our issuer's hashes, the leaf's serial, a nonce", () => {
    const parsed = parseOcspRequest(opensslRequest().der);
    assert.equal(parsed.requests.length, 1);
    const [r] = parsed.requests;
    const ours = issuerHashes(ca.issuing, 'sha1');
    assert.equal(r!.hash, 'sha1');
    assert.ok(r!.issuerNameHash.equals(ours.nameHash));
    assert.ok(r!.issuerKeyHash.equals(ours.keyHash));
    assert.equal(r!.serialHex, serial);
    assert.ok(parsed.nonce && parsed.nonce.length > 0);
  });

  it('parses SHA-256 CertIDs and requests without a nonce', () => {
    const parsed = parseOcspRequest(opensslRequest(['-sha256', '-no_nonce']).der);
    assert.equal(parsed.requests[0]!.hash, 'sha256');
    assert.ok(parsed.requests[0]!.issuerKeyHash.equals(issuerHashes(ca.issuing, 'sha256').keyHash));
    assert.equal(parsed.nonce, undefined);
  });

  it('a good answer verifies in openssl, and echoes the nonce (Python reads it back)', () => {
    const req = opensslRequest();
    const response = respond(req.der, { status: 'good' });
    const out = opensslCheck(response);
    assert.match(out, /Response verify OK/);
    assert.match(out, /: good/);
    const sent = parseOcspRequest(req.der).nonce!;
    assert.equal(sent[0], 0x04); // openssl wraps the nonce in an OCTET STRING (RFC 8954)
    assert.equal(pythonNonce(response), sent.subarray(2).toString('hex'));
  });

  it('a revoked answer carries time and reason (openssl and Python agree; signature verifies in Python)', () => {
    const req = opensslRequest(['-sha256']);
    const response = respond(req.der, {
      status: 'revoked',
      revokedAt: new Date('2026-01-02T03:04:05Z'),
      reason: 'keyCompromise',
    });
    const out = opensslCheck(response, ['-sha256']);
    assert.match(out, /Response verify OK/);
    assert.match(
      out,
      /: revoked\n\s+This Update: .*\n\s+Next Update: .*\n\s+Reason: keyCompromise\n\s+Revocation Time: Jan  2 03:04:05 2026 GMT/,
    );
    const py = runPython(
      [
        'import sys, base64',
        'from cryptography import x509',
        'from cryptography.x509 import ocsp',
        'from cryptography.hazmat.primitives.asymmetric import ec',
        'r = ocsp.load_der_ocsp_response(base64.b64decode(sys.stdin.read()))',
        `issuer = x509.load_pem_x509_certificate(open(${JSON.stringify(ca.file('issuing.pem'))}, "rb").read())`,
        'issuer.public_key().verify(r.signature, r.tbs_response_bytes, ec.ECDSA(r.signature_hash_algorithm))',
        'print(r.response_status.name, r.certificate_status.name, r.revocation_reason.name, r.revocation_time_utc.isoformat())',
        'print(format(r.serial_number, "x"), r.hash_algorithm.name, r.responder_key_hash.hex())',
      ].join('\n'),
      response.toString('base64'),
    );
    const keyHash = runPython(
      `from cryptography import x509\nfrom cryptography.x509 import SubjectKeyIdentifier\nc = x509.load_pem_x509_certificate(open(${JSON.stringify(ca.file('issuing.pem'))}, "rb").read())\nprint(SubjectKeyIdentifier.from_public_key(c.public_key()).digest.hex())`,
      '',
    ).trim();
    assert.equal(
      py.trim(),
      `SUCCESSFUL REVOKED key_compromise 2026-01-02T03:04:05+00:00\n${serial.replace(/^0+/, '')} sha256 ${keyHash}`,
    );
  });

  it('an unknown answer verifies too', () => {
    const req = opensslRequest();
    const out = opensslCheck(respond(req.der, { status: 'unknown' }));
    assert.match(out, /Response verify OK/);
    assert.match(out, /: unknown/);
  });

  it('malformed requests throw OcspMalformedError; the error response is a bare status', () => {
    for (const bad of [
      Buffer.alloc(0),
      Buffer.from('garbage'),
      Buffer.from('3000', 'hex'),
      Buffer.concat([opensslRequest().der, Buffer.from([0])]),
    ]) {
      assert.throws(() => parseOcspRequest(bad), OcspMalformedError);
    }
    const py = runPython(
      'import sys, base64\nfrom cryptography.x509 import ocsp\nprint(ocsp.load_der_ocsp_response(base64.b64decode(sys.stdin.read())).response_status.name)',
      ocspErrorResponse('malformedRequest').toString('base64'),
    );
    assert.equal(py.trim(), 'MALFORMED_REQUEST');
  });
});
