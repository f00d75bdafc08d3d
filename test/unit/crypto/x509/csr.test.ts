// CSR checks: signature verified with the CSR's own key, keys allow-listed (P-256, P-384,
// RSA ≥ 3072), SANs read by OID, anything else refused with a reason. CSRs are made by openssl.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { CsrRejectedError, parseCsr } from '../../../../src/crypto/x509/csr.js';
import { fromPem, toPem } from '../../../../src/crypto/x509/pem.js';
import { makeCsr } from '../../../support/csr.js';

function rejects(pem: string, reason: RegExp): void {
  assert.throws(
    () => parseCsr(pem),
    (err: unknown) => err instanceof CsrRejectedError && reason.test(err.message),
  );
}

describe('parseCsr', () => {
  it('accepts a P-256 CSR and reads its DNS, IP and URI SANs', () => {
    const { csrPem } = makeCsr('P-256', {
      san: 'DNS:Weather.Example.com,IP:192.0.2.7,IP:2001:db8::1,URI:urn:mcps:passport:asp_00',
    });
    const csr = parseCsr(csrPem);
    assert.equal(csr.keyType, 'P-256');
    assert.equal(csr.keyBits, 256);
    assert.deepEqual(csr.sans.dns, ['weather.example.com']);
    assert.equal(csr.sans.ip[0], '192.0.2.7');
    assert.equal(csr.sans.ip.length, 2);
    assert.deepEqual(csr.sans.uri, ['urn:mcps:passport:asp_00']);
    assert.equal(csr.publicKey.asymmetricKeyType, 'ec');
  });

  it('accepts P-384 and RSA-3072 keys', () => {
    assert.equal(parseCsr(makeCsr('P-384').csrPem).keyType, 'P-384');
    const rsa = parseCsr(makeCsr('rsa3072').csrPem);
    assert.equal(rsa.keyType, 'RSA');
    assert.equal(rsa.keyBits, 3072);
  });

  it('refuses P-521, Ed25519 and RSA-2048 keys, naming the key', () => {
    rejects(makeCsr('P-521').csrPem, /curve secp521r1 is not allowed/);
    rejects(makeCsr('ed25519').csrPem, /key type ed25519 is not allowed/);
    rejects(makeCsr('rsa2048').csrPem, /RSA key of 2048 bits is too short/);
  });

  it('refuses an EC key with explicit curve parameters, even when they are those of P-256', () => {
    const { csrPem } = makeCsr('P-256-explicit');
    const text = spawnSync('openssl', ['req', '-noout', '-text'], {
      input: csrPem,
      encoding: 'utf8',
    }).stdout;
    assert.match(text, /Field Type: prime-field/, 'openssl wrote explicit parameters');
    rejects(
      csrPem,
      /explicit curve parameters; only the named curves P-256 \(prime256v1\) and P-384 \(secp384r1\) are allowed/,
    );
  });

  it('refuses RSA altogether when RSA is not allowed', () => {
    assert.throws(
      () => parseCsr(makeCsr('rsa3072').csrPem, { allowRsa: false }),
      /key type rsa is not allowed/,
    );
  });

  it('refuses a CSR whose signature does not verify', () => {
    const der = fromPem(makeCsr('P-256').csrPem, ['CERTIFICATE REQUEST'])!;
    der[der.length - 1] = der[der.length - 1]! ^ 0x01; // last octet of the ECDSA signature's s
    rejects(toPem('CERTIFICATE REQUEST', der), /signature does not verify/);
  });

  it('refuses a SHA-1 signature', () => {
    rejects(
      makeCsr('P-256', { digest: 'sha1' }).csrPem,
      /signature algorithm 1\.2\.840\.10045\.4\.1 is not allowed/,
    );
  });

  it('refuses garbage, other PEM labels, truncated and trailing bytes', () => {
    rejects('hello', /is not a PEM "CERTIFICATE REQUEST"/);
    rejects(
      toPem('CERTIFICATE', Buffer.from('3003020101', 'hex')),
      /is not a PEM "CERTIFICATE REQUEST"/,
    );
    rejects(
      toPem('CERTIFICATE REQUEST', Buffer.from('not asn.1 at all')),
      /is not a DER-encoded PKCS#10 request/,
    );
    const der = fromPem(makeCsr('P-256').csrPem, ['CERTIFICATE REQUEST'])!;
    rejects(toPem('CERTIFICATE REQUEST', der.subarray(0, der.length - 10)), /DER-encoded/);
    rejects(toPem('CERTIFICATE REQUEST', Buffer.concat([der, Buffer.from([0])])), /DER-encoded/);
    rejects(toPem('CERTIFICATE REQUEST', Buffer.from('300a020101300502030102', 'hex')), /PKCS#10/);
  });

  it('refuses SAN types other than DNS, IP and URI', () => {
    rejects(makeCsr('P-256', { san: 'email:ops@example.com' }).csrPem, /type email/);
  });

  it('refuses oversized input before parsing it', () => {
    rejects(
      `-----BEGIN CERTIFICATE REQUEST-----\n${'A'.repeat(20_000)}\n-----END CERTIFICATE REQUEST-----\n`,
      /larger than/,
    );
  });
});
