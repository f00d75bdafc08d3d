// The subject rules of the two profiles: which SANs a certificate carries and which SANs a CSR
// may ask for; serial input forms.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalSerial } from '../../../src/certificates/certificate.js';
import { resolveSubject } from '../../../src/certificates/subject-policy.js';
import { parseCsr } from '../../../src/crypto/x509/csr.js';
import { ConflictError, InvalidRequestError } from '../../../src/errors.js';
import type { Stores } from '../../../src/stores.js';
import { ADMIN, memorySubjects, publisherPrincipal } from '../../support/certificates.js';
import { makeCsr } from '../../support/csr.js';

const stores = {} as Stores; // the in-memory subjects never touch storage
const PUB = 'pub_00000000000000000000000000000001';

/** A server whose origin host the TA holds a proof for (or, with `unproven`, holds none). */
function subjectsWith(originHost: string, unproven: string | null = null) {
  const subjects = memorySubjects();
  subjects.servers.push({ name: 'com.example/api', publisherId: PUB, originHost, unproven });
  return subjects;
}

describe('subject policy', () => {
  it('a DNS origin host becomes the only SAN, lower-cased, without a trailing dot', async () => {
    const csr = parseCsr(makeCsr('P-256', { san: 'DNS:API.Example.com' }).csrPem);
    const r = await resolveSubject(
      subjectsWith('API.example.COM.'),
      stores,
      publisherPrincipal(PUB),
      'server',
      'com.example/api',
      csr,
    );
    assert.deepEqual(r.sans, { dns: ['api.example.com'] });
    assert.deepEqual(r.sanStrings, ['DNS:api.example.com']);
    assert.equal(
      r.commonName,
      'api.example.com',
      'CN is the SAN (CA/B Forum BR), not the registry name',
    );
    assert.equal(r.organizationalUnit, 'com.example/api');
  });

  it('IPv6 origins match however the CSR spells the address', async () => {
    const csr = parseCsr(makeCsr('P-256', { san: 'IP:2001:0db8:0:0:0:0:0:0001' }).csrPem);
    const r = await resolveSubject(
      subjectsWith('[2001:db8::1]'),
      stores,
      publisherPrincipal(PUB),
      'server',
      'com.example/api',
      csr,
    );
    assert.deepEqual(r.sans, { ip: ['2001:db8::1'] });
    assert.equal(r.commonName, '2001:db8::1');
  });

  it('a CSR without SANs gets the subject’s names; an admin may name any publisher’s server', async () => {
    const r = await resolveSubject(
      subjectsWith('api.example.com'),
      stores,
      ADMIN,
      'server',
      'com.example/api',
      parseCsr(makeCsr('P-256').csrPem),
    );
    assert.equal(r.publisherId, PUB);
    assert.deepEqual(r.sans, { dns: ['api.example.com'] });
  });

  it('a server CSR may not ask for URIs, other hosts, or be made for another publisher', async () => {
    const s = subjectsWith('api.example.com');
    const ask = (san: string, principal = publisherPrincipal(PUB)) =>
      resolveSubject(
        s,
        stores,
        principal,
        'server',
        'com.example/api',
        parseCsr(makeCsr('P-256', { san }).csrPem),
      );
    await assert.rejects(
      ask('URI:https://api.example.com'),
      (e: unknown) => e instanceof InvalidRequestError && e.issues[0]!.field === 'body.csr',
    );
    await assert.rejects(
      ask('DNS:www.example.com'),
      /DNS:www\.example\.com, which server com\.example\/api does not own/,
    );
    await assert.rejects(
      ask('DNS:api.example.com', publisherPrincipal('pub_other')),
      /unknown subject/,
    );
    await assert.rejects(
      resolveSubject(
        s,
        stores,
        publisherPrincipal(PUB),
        'server',
        undefined,
        parseCsr(makeCsr('P-256').csrPem),
      ),
      (e: unknown) => e instanceof InvalidRequestError && e.issues[0]!.field === 'body.subject',
    );
  });

  it('a server whose origin lost its proof gets no certificate: 409 naming the reason, for anyone', async () => {
    const s = subjectsWith(
      'api.example.com',
      'api.example.com lies within namespace com.example, which another publisher verified',
    );
    for (const principal of [publisherPrincipal(PUB), ADMIN]) {
      await assert.rejects(
        resolveSubject(
          s,
          stores,
          principal,
          'server',
          'com.example/api',
          parseCsr(makeCsr('P-256').csrPem),
        ),
        (e: unknown) =>
          e instanceof ConflictError &&
          e.issues[0]!.field === 'body.subject' &&
          /another publisher verified/.test(e.message),
      );
    }
  });

  it('a client certificate without a subject reference needs a P-256 CSR key', async () => {
    await assert.rejects(
      resolveSubject(
        memorySubjects(),
        stores,
        publisherPrincipal(PUB),
        'client',
        undefined,
        parseCsr(makeCsr('P-384').csrPem),
      ),
      /required unless the CSR carries the passport's own P-256 key/,
    );
  });

  it('serials are accepted in any case, with colons or leading zeros, and stored canonically', () => {
    assert.equal(canonicalSerial('0A:BC:01'), '0abc01');
    assert.equal(canonicalSerial('000abc01'), '0abc01');
    assert.equal(canonicalSerial('ABC'), '0abc');
    for (const bad of ['', '0', '00', 'xyz', 'ab:cd:', '1'.repeat(41)]) {
      assert.throws(
        () => canonicalSerial(bad),
        (e: unknown) => e instanceof InvalidRequestError && e.issues[0]!.field === 'path.serial',
        bad,
      );
    }
  });
});
