// The CSR fast path (a DER walk + crypto.verify) against the full pkijs/@peculiar/x509 parser:
// on every request the fast path accepts, both return the same key, key type and SANs; every
// request the full parser refuses is one the fast path does not accept (it falls through, so
// the refusal and its reason come from the full parser — parseCsr is checked for those too).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as pkijs from 'pkijs';
import { parseCsrFast } from '../../../../src/crypto/x509/csr-fast.js';
import { CsrRejectedError, parseCsr, parseCsrFull } from '../../../../src/crypto/x509/csr.js';
import { fromPem, toPem } from '../../../../src/crypto/x509/pem.js';
import { makeCsr, type KeyAlg } from '../../../support/csr.js';

const derOf = (pem: string) => fromPem(pem, ['CERTIFICATE REQUEST'])!;

function summary(p: { spkiDer: Buffer; sans: unknown }) {
  return { spki: p.spkiDer.toString('hex'), sans: p.sans };
}

describe('parseCsrFast', () => {
  const accepted: [string, KeyAlg, { san?: string; digest?: string }][] = [
    ['P-256, DNS SAN', 'P-256', { san: 'DNS:Weather.Example.com' }],
    [
      'P-256, DNS + IPv4 + URI',
      'P-256',
      { san: 'DNS:a.example.com,IP:192.0.2.7,URI:urn:mcps:passport:asp_00' },
    ],
    ['P-256, no SAN', 'P-256', {}],
    ['P-256, SHA-384 signature', 'P-256', { san: 'DNS:a.example.com', digest: 'sha384' }],
    ['P-384', 'P-384', { san: 'DNS:b.example.com' }],
    ['RSA-3072 (NULL parameters)', 'rsa3072', { san: 'DNS:c.example.com' }],
  ];
  for (const [name, alg, o] of accepted) {
    it(`${name}: accepted, same result as the full parser and pkijs`, () => {
      const { csrPem } = makeCsr(alg, o);
      const der = derOf(csrPem);
      const fast = parseCsrFast(der);
      assert.ok(fast, 'fast path takes it');
      const full = parseCsrFull(der);
      assert.deepEqual(summary(fast), summary(full));
      const viaParseCsr = parseCsr(csrPem);
      assert.deepEqual(summary(viaParseCsr), summary(full));
      assert.deepEqual([viaParseCsr.keyType, viaParseCsr.keyBits], [full.keyType, full.keyBits]);
      const pk = pkijs.CertificationRequest.fromBER(new Uint8Array(der));
      assert.equal(
        fast.spkiDer.toString('hex'),
        Buffer.from(pk.subjectPublicKeyInfo.toSchema().toBER()).toString('hex'),
      );
      assert.equal(fast.signatureOid, pk.signatureAlgorithm.algorithmId);
      // The key object (imported from the point as a JWK for EC keys) is the requested key.
      assert.equal(
        (fast.publicKey.export({ type: 'spki', format: 'der' }) as Buffer).toString('hex'),
        fast.spkiDer.toString('hex'),
      );
      assert.equal(
        fast.publicKey.asymmetricKeyDetails?.namedCurve,
        full.publicKey.asymmetricKeyDetails?.namedCurve,
      );
    });
  }

  it('IPv6 SANs fall through to the full parser, which reads them', () => {
    const { csrPem } = makeCsr('P-256', { san: 'DNS:a.example.com,IP:2001:db8::1' });
    assert.equal(parseCsrFast(derOf(csrPem)), undefined);
    assert.equal(parseCsr(csrPem).sans.ip[0], parseCsrFull(derOf(csrPem)).sans.ip[0]);
  });

  const refused: [string, () => Buffer, RegExp][] = [
    [
      'explicit curve parameters',
      () => derOf(makeCsr('P-256-explicit').csrPem),
      /explicit curve parameters/,
    ],
    [
      'bad signature',
      () => {
        const der = derOf(makeCsr('P-256').csrPem);
        der[der.length - 1] = der[der.length - 1]! ^ 0x01;
        return der;
      },
      /signature does not verify/,
    ],
    [
      'SHA-1 signature',
      () => derOf(makeCsr('P-256', { digest: 'sha1' }).csrPem),
      /signature algorithm 1\.2\.840\.10045\.4\.1 is not allowed/,
    ],
    [
      'e-mail SAN',
      () => derOf(makeCsr('P-256', { san: 'email:ops@example.com' }).csrPem),
      /type email/,
    ],
    [
      'trailing byte',
      () => Buffer.concat([derOf(makeCsr('P-256').csrPem), Buffer.from([0])]),
      /DER-encoded/,
    ],
    ['truncated', () => derOf(makeCsr('P-256').csrPem).subarray(0, 100), /DER-encoded/],
  ];
  for (const [name, make, reason] of refused) {
    it(`${name}: not accepted by the fast path; parseCsr refuses it with the full parser's reason`, () => {
      const der = make();
      assert.equal(parseCsrFast(der), undefined);
      assert.throws(
        () => parseCsr(toPem('CERTIFICATE REQUEST', der)),
        (err: unknown) => err instanceof CsrRejectedError && reason.test(err.message),
      );
    });
  }

  it('refuses keys outside the allow-list after the fast path, with the same reasons', () => {
    for (const [alg, reason] of [
      ['P-521', /curve secp521r1 is not allowed/],
      ['ed25519', /key type ed25519 is not allowed/],
      ['rsa2048', /RSA key of 2048 bits is too short/],
    ] as const) {
      const { csrPem } = makeCsr(alg);
      assert.throws(
        () => parseCsr(csrPem),
        (err: unknown) => err instanceof CsrRejectedError && reason.test(err.message),
        alg,
      );
      assert.throws(
        () => parseCsrFull(derOf(csrPem)),
        (err: unknown) => err instanceof CsrRejectedError && reason.test(err.message),
        alg,
      );
    }
  });

  it('never throws on mutated requests: each byte flipped is either refused or parsed the same as by the full parser', () => {
    const der = derOf(makeCsr('P-256', { san: 'DNS:a.example.com,IP:192.0.2.7' }).csrPem);
    for (let i = 0; i < der.length; i += 1) {
      const m = Buffer.from(der);
      m[i] = m[i]! ^ 0x41;
      const fast = parseCsrFast(m);
      if (!fast) continue;
      assert.deepEqual(summary(fast), summary(parseCsrFull(m)), `byte ${i}`);
    }
  });
});
