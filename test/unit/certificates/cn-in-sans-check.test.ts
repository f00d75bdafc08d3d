// The openssl check that startTestService's stop() runs over every certificate a test issued
// (test/support/x509-profile.ts) can fail: certificates made by openssl itself, with a CN that is
// not a SAN, with no SAN, and ones that follow the rule.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { tempFile } from '../../support/csr.js';
import { openssl } from '../../support/tools.js';
import { assertCnInSans, opensslNames } from '../../support/x509-profile.js';

function selfSigned(subject: string, san?: string): string {
  const out = tempFile('cert.pem', '');
  const args = [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    tempFile('k.pem', ''),
    '-subj',
    subject,
    '-days',
    '1',
    '-out',
    out,
  ];
  if (san) args.push('-addext', `subjectAltName=${san}`);
  const r = openssl(args);
  assert.equal(r.status, 0, r.output);
  return readFileSync(out, 'utf8');
}

describe('the CN ∈ SANs check over issued certificates', () => {
  it('passes certificates whose CN is a DNS, IP or URI SAN, or that have no CN', () => {
    const names = assertCnInSans(
      [
        selfSigned('/OU=com.example\\/weather/CN=weather.example.com', 'DNS:weather.example.com'),
        selfSigned('/CN=2001:db8::1', 'IP:2001:db8:0:0:0:0:0:1'),
        selfSigned('/CN=urn:mcps:passport:asp_00', 'URI:urn:mcps:passport:asp_00'),
        selfSigned('/OU=com.example\\/long', 'DNS:long.example.com'),
      ],
      'test',
    );
    assert.deepEqual(
      names.map((n) => n.commonNames),
      [['weather.example.com'], ['2001:db8::1'], ['urn:mcps:passport:asp_00'], []],
    );
    assert.deepEqual(names[1]!.sans, ['IP Address:2001:DB8:0:0:0:0:0:1']);
  });

  it('fails a certificate whose CN is the registry name, not a SAN, and one without SANs', () => {
    const good = selfSigned('/CN=weather.example.com', 'DNS:weather.example.com');
    assert.throws(
      () =>
        assertCnInSans(
          [good, selfSigned('/CN=com.example\\/weather', 'DNS:weather.example.com')],
          'test',
        ),
      /test: 1 of 2 certificates break "CN ∈ SANs": \[subject CN=com\.example\\?\/weather \| SAN DNS:weather\.example\.com\]/,
    );
    assert.throws(
      () => assertCnInSans([selfSigned('/CN=asp_00', 'URI:urn:mcps:passport:asp_00')], 'test'),
      /1 of 1/,
    );
    assert.throws(() => assertCnInSans([selfSigned('/CN=weather.example.com')], 'test'), /1 of 1/);
    assert.deepEqual(opensslNames([]), []);
  });
});
