// The DER-template leaf builder against the @peculiar/x509 object model: for every profile and
// the input variations the service produces (DNS/IP/URI SANs, OU, empty or over-long CN, times
// after 2049, serial encodings, P-256/P-384/RSA subject keys, with and without caIssuers) the
// TBSCertificate bytes are equal; the signature verifies with node:crypto and the whole
// certificate passes `openssl verify` against the chain.
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import * as pkijs from 'pkijs';
import {
  issueLeafCertificate,
  issueLeafCertificateWithLibrary,
  type IssueLeafOptions,
} from '../../../../src/crypto/x509/leaf-certificate.js';
import { buildLeafFromTemplate, ipOctets } from '../../../../src/crypto/x509/leaf-template.js';
import { createTestCa, type TestCa } from '../../../support/ca.js';
import { openssl } from '../../../support/tools.js';

const der = (k: KeyObject) => k.export({ format: 'der', type: 'spki' });

function tbsOf(der: Uint8Array): Buffer {
  return Buffer.from(pkijs.Certificate.fromBER(new Uint8Array(der)).tbsView);
}

describe('leaf certificates from the DER template', () => {
  let ca: TestCa;
  let keys: Record<string, Buffer>;
  before(async () => {
    ca = await createTestCa('Template');
    keys = {
      p256: der(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey),
      p384: der(generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey),
      rsa3072: der(generateKeyPairSync('rsa', { modulusLength: 3072 }).publicKey),
    };
  });
  after(() => rmSync(ca.dir, { recursive: true, force: true }));

  const notBefore = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
  const base = (): IssueLeafOptions => ({
    profile: 'server',
    serialHex: '5f0c3a9e0d1b4c7a8e2f6b1d3c5a7e90',
    spkiDer: keys.p256!,
    commonName: 'tools.example.com',
    organizationalUnit: 'com.example/tools',
    sans: { dns: ['tools.example.com'] },
    notBefore,
    notAfter: new Date(notBefore.getTime() + 7 * 86_400_000),
    issuer: ca.issuing,
    crlUrl: 'https://ta.example.com/v1/crl/issuing-2026',
    ocspUrl: 'https://ta.example.com/v1/ocsp',
    caIssuersUrl: 'https://ta.example.com/v1/trust/issuing-2026.cer',
  });

  const cases: [string, () => IssueLeafOptions][] = [
    ['server: DNS SAN, CN and OU', base],
    [
      'server: IPv4 and IPv6 SANs, CN an IP',
      () => ({
        ...base(),
        commonName: '192.0.2.7',
        organizationalUnit: undefined,
        sans: { ip: ['192.0.2.7', '2001:db8::1', '::1', 'fe80:0:0:0:0:0:0:ab'] },
      }),
    ],
    [
      'server: several DNS names, P-384 key',
      () => ({
        ...base(),
        spkiDer: keys.p384!,
        sans: { dns: ['tools.example.com', 'api.example.com'] },
      }),
    ],
    [
      'server: RSA-3072 key, no caIssuers',
      () => ({ ...base(), spkiDer: keys.rsa3072!, caIssuersUrl: undefined }),
    ],
    [
      'client: URI SAN (UTF8String CN)',
      () => ({
        ...base(),
        profile: 'client',
        commonName: 'urn:mcps:passport:asp_0123456789abcdef',
        organizationalUnit: undefined,
        sans: { uri: ['urn:mcps:passport:asp_0123456789abcdef'] },
      }),
    ],
    [
      'client: OU and URI, no caIssuers',
      () => ({
        ...base(),
        profile: 'client',
        commonName: 'urn:mcps:passport:asp_x',
        organizationalUnit: 'agent_name with_underscores',
        sans: { uri: ['urn:mcps:passport:asp_x'] },
        caIssuersUrl: undefined,
      }),
    ],
    [
      'empty subject: SAN critical',
      () => ({ ...base(), commonName: '', organizationalUnit: undefined }),
    ],
    [
      'CN over 64 characters left out, OU over 64 left out',
      () => {
        const long = `${'a'.repeat(60)}.example.com`;
        return {
          ...base(),
          commonName: long,
          organizationalUnit: 'o'.repeat(65),
          sans: { dns: [long] },
        };
      },
    ],
    [
      'notAfter after 2049: GeneralizedTime',
      () => ({ ...base(), notAfter: new Date('2051-06-01T00:00:00.000Z'), issuer: ca.issuing }),
    ],
    [
      'serial with the top bit set and an odd digit count',
      () => ({ ...base(), serialHex: 'ff01020304' }),
    ],
    ['serial with an odd digit count', () => ({ ...base(), serialHex: 'abc' })],
  ];

  for (const [name, make] of cases) {
    it(`${name}: the same TBSCertificate as @peculiar/x509, signature valid, openssl verify OK`, async () => {
      const o = make();
      const fast = buildLeafFromTemplate(o);
      assert.ok(fast, 'the template handles this input');
      const reference = await issueLeafCertificateWithLibrary(o);
      assert.equal(fast.tbs.toString('hex'), tbsOf(reference.der).toString('hex'));
      assert.equal(
        tbsOf(fast.der).toString('hex'),
        fast.tbs.toString('hex'),
        'the certificate wraps that TBS',
      );
      const cert = pkijs.Certificate.fromBER(new Uint8Array(fast.der));
      const issuerKey = createPublicKey({
        key: Buffer.from(ca.issuing.certificate.publicKey.rawData),
        format: 'der',
        type: 'spki',
      });
      assert.ok(
        verify(
          'sha256',
          fast.tbs,
          issuerKey,
          Buffer.from(cert.signatureValue.valueBlock.valueHexView),
        ),
        'signature verifies',
      );
      const served = await issueLeafCertificate(o);
      assert.equal(
        tbsOf(served.der).toString('hex'),
        fast.tbs.toString('hex'),
        'issueLeafCertificate uses the template',
      );
      const file = ca.file(`leaf-${cases.findIndex((c) => c[0] === name)}.pem`);
      writeFileSync(file, served.pem);
      const r = openssl([
        'verify',
        '-CAfile',
        ca.file('root.pem'),
        '-untrusted',
        ca.file('issuing.pem'),
        file,
      ]);
      assert.equal(r.status, 0, r.output);
      assert.match(r.output, /: OK/);
    });
  }

  it('falls back to the library for input the template does not model (non-ASCII OU)', async () => {
    const o = { ...base(), organizationalUnit: 'outils météo' };
    assert.equal(buildLeafFromTemplate(o), undefined);
    const leaf = await issueLeafCertificate(o);
    assert.equal(
      tbsOf(leaf.der).toString('hex'),
      tbsOf((await issueLeafCertificateWithLibrary(o)).der).toString('hex'),
    );
  });

  it('still refuses a CN that is not a SAN and an empty SAN list', async () => {
    await assert.rejects(
      issueLeafCertificate({ ...base(), commonName: 'other.example.com' }),
      /not one of the subjectAltNames/,
    );
    await assert.rejects(
      issueLeafCertificate({ ...base(), commonName: '', sans: {} }),
      /at least one subjectAltName/,
    );
  });

  it('parses IP addresses to octets and refuses malformed ones', () => {
    assert.equal(ipOctets('192.0.2.7')?.toString('hex'), 'c0000207');
    assert.equal(ipOctets('2001:db8::1')?.toString('hex'), '20010db8000000000000000000000001');
    assert.equal(ipOctets('::')?.toString('hex'), '0'.repeat(32));
    for (const bad of [
      '256.0.0.1',
      '1.2.3',
      '1::2::3',
      '1:2:3:4:5:6:7:8:9',
      '12345::',
      'x::1',
      '1:2:3:4:5:6:7:8::',
    ])
      assert.equal(ipOctets(bad), undefined, bad);
  });
});
