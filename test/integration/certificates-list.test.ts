// Listing certificates (the admin UI's list, through the domain function on a real database):
// newest first with keyset pages that survive equal issue times, status derived at the clock's
// now (revocation wins over expiry), profile and publisher filters, search by serial prefix in
// any printed form, subject or passport id, and who may list whose certificates.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CertificateRecord } from '../../src/certificates/certificate.js';
import { issueCertificate } from '../../src/certificates/issue.js';
import {
  countValidCertificates,
  listCertificates,
  serialPrefixOf,
  type ListCertificatesOptions,
} from '../../src/certificates/list.js';
import { revokeCertificate } from '../../src/certificates/revoke.js';
import { fixedClock } from '../../src/clock.js';
import { ForbiddenError, InvalidRequestError } from '../../src/errors.js';
import type { Principal } from '../../src/auth/principal.js';
import { ADMIN, certificateFixture, type CertificateFixture } from '../support/certificates.js';
import { makeCsr } from '../support/csr.js';
import { registeredServer, verifiedNamespace } from '../support/registry.js';
import { startTestService, type TestService } from '../support/service.js';

const DAY = 86_400_000;
const OTHER_SERVER = 'org.other/tools';

describe('listing certificates', () => {
  const clock = fixedClock(new Date());
  let ta: TestService;
  let f: CertificateFixture;
  /** Issued in this order; [0] and [1] share their issue time, [4] belongs to publisher B. */
  const issued: CertificateRecord[] = [];
  let shortLived: CertificateRecord;

  const list = (principal: Principal, o: Partial<ListCertificatesOptions> = {}) =>
    listCertificates(ta.persistence, principal, { limit: 100, ...o });
  const serials = async (principal: Principal, o: Partial<ListCertificatesOptions> = {}) =>
    (await list(principal, o)).items.map((c) => c.serial);
  /** Newest first: later issue time first, then the higher serial. */
  const newestFirst = (cs: CertificateRecord[]) =>
    [...cs]
      .sort(
        (x, y) => y.createdAt.getTime() - x.createdAt.getTime() || (y.serial > x.serial ? 1 : -1),
      )
      .map((c) => c.serial);

  before(async () => {
    ta = await startTestService({ clock });
    f = await certificateFixture(ta);
    await verifiedNamespace(ta, f.b.token, 'org.other');
    await registeredServer(ta, f.b.token, OTHER_SERVER, 'https://tools.other.org');
    const issue = async (
      principal: Principal,
      profile: 'server' | 'client',
      subject: string,
      validityDays?: number,
    ) =>
      (
        await issueCertificate(f.ctx, principal, {
          csr: makeCsr('P-256').csrPem,
          profile,
          subject,
          validityDays,
        })
      ).record;
    issued.push(await issue(f.a.principal, 'server', f.serverName));
    issued.push(await issue(f.a.principal, 'client', f.passport.passportId));
    clock.advance(1000);
    issued.push(await issue(f.a.principal, 'client', f.passport.passportId));
    clock.advance(1000);
    issued.push(await issue(f.a.principal, 'server', f.serverName));
    clock.advance(1000);
    issued.push(await issue(f.b.principal, 'server', OTHER_SERVER));
    clock.advance(1000);
    shortLived = await issue(f.a.principal, 'client', f.passport.passportId, 1);
    issued.push(shortLived);
  });
  after(async () => ta.stop());

  it('lists every certificate newest first (issue time, then serial) for an admin', async () => {
    assert.deepEqual(await serials(ADMIN), newestFirst(issued));
    assert.equal((await serials(ADMIN))[0], shortLived.serial);
  });

  it('pages with a keyset position, also across certificates issued at the same instant', async () => {
    const seen: string[] = [];
    let afterPos: ListCertificatesOptions['after'];
    for (let pages = 0; pages < 10; pages += 1) {
      const page = await list(ADMIN, { limit: 1, after: afterPos });
      seen.push(...page.items.map((c) => c.serial));
      if (!page.next) break;
      afterPos = page.next;
    }
    assert.deepEqual(seen, newestFirst(issued));
    const two = await list(ADMIN, { limit: 3 });
    assert.equal(two.items.length, 3);
    assert.deepEqual(two.next, {
      createdAt: two.items[2]!.createdAt,
      serial: two.items[2]!.serial,
    });
    assert.equal(
      (await list(ADMIN, { limit: issued.length })).next,
      null,
      'no next position on the last page',
    );
  });

  it('filters by profile and by publisher', async () => {
    assert.deepEqual(
      await serials(ADMIN, { profile: 'server' }),
      newestFirst(issued.filter((c) => c.profile === 'server')),
    );
    assert.deepEqual(
      await serials(ADMIN, { profile: 'client' }),
      newestFirst(issued.filter((c) => c.profile === 'client')),
    );
    assert.deepEqual(await serials(ADMIN, { publisherId: f.b.publisherId }), [issued[4]!.serial]);
    assert.deepEqual(await serials(ADMIN, { publisherId: f.b.publisherId, profile: 'client' }), []);
  });

  it('searches by serial prefix as OpenSSL prints it, by subject (any case) and by passport id', async () => {
    const target = issued[3]!;
    const colons = target.serial.slice(0, 8).toUpperCase().match(/../g)!.join(':');
    assert.deepEqual(await serials(ADMIN, { search: target.serial.slice(0, 10) }), [target.serial]);
    assert.deepEqual(await serials(ADMIN, { search: colons }), [target.serial]);
    assert.deepEqual(
      await serials(ADMIN, { search: `00:${colons}` }),
      [target.serial],
      'a DER sign octet is not part of the serial',
    );
    assert.deepEqual(
      await serials(ADMIN, { search: 'ACME/Weather' }),
      newestFirst(issued.filter((c) => c.subject === f.serverName)),
    );
    const clients = newestFirst(issued.filter((c) => c.passportId === f.passport.passportId));
    assert.deepEqual(await serials(ADMIN, { search: f.passport.passportId }), clients);
    assert.deepEqual(await serials(ADMIN, { search: f.passport.passportId.slice(0, 12) }), clients);
    assert.deepEqual(await serials(ADMIN, { search: 'no-such-subject' }), []);
    assert.deepEqual(await serials(ADMIN, { search: '%' }), [], 'LIKE wildcards are literal');
  });

  it('a publisher lists only its own certificates, and may not name another publisher', async () => {
    assert.deepEqual(await serials(f.b.principal), [issued[4]!.serial]);
    assert.deepEqual(
      await serials(f.a.principal),
      newestFirst(issued.filter((c) => c.publisherId === f.a.publisherId)),
    );
    await assert.rejects(list(f.a.principal, { publisherId: f.b.publisherId }), ForbiddenError);
  });

  it('refuses a page size outside 1–500 and a search over 200 characters, naming the field', async () => {
    for (const limit of [0, 501, 1.5]) {
      await assert.rejects(
        list(ADMIN, { limit }),
        (err: unknown) =>
          err instanceof InvalidRequestError && err.issues[0]?.field === 'query.limit',
      );
    }
    await assert.rejects(
      list(ADMIN, { search: 'x'.repeat(201) }),
      (err: unknown) =>
        err instanceof InvalidRequestError && err.issues[0]?.field === 'query.search',
    );
  });

  it('derives the status at now: revoked wins over expired; the valid count follows', async () => {
    assert.equal(await countValidCertificates(ta.persistence), issued.length);
    const revoked = issued[1]!;
    await revokeCertificate(f.ctx, f.a.principal, revoked.serial, 'keyCompromise');
    assert.deepEqual(await serials(ADMIN, { status: 'revoked' }), [revoked.serial]);
    assert.equal(await countValidCertificates(ta.persistence), issued.length - 1);
    assert.deepEqual(await serials(ADMIN, { status: 'expired' }), []);

    clock.advance(2 * DAY); // past the one-day certificate's notAfter, within the others' 7 days
    assert.deepEqual(await serials(ADMIN, { status: 'expired' }), [shortLived.serial]);
    assert.deepEqual(
      await serials(ADMIN, { status: 'valid' }),
      newestFirst(issued.filter((c) => c !== revoked && c !== shortLived)),
    );
    assert.equal(await countValidCertificates(ta.persistence), issued.length - 2);

    clock.advance(30 * DAY); // everything has expired; the revoked one stays revoked
    assert.deepEqual(await serials(ADMIN, { status: 'revoked' }), [revoked.serial]);
    assert.equal((await serials(ADMIN, { status: 'expired' })).length, issued.length - 1);
    assert.equal(await countValidCertificates(ta.persistence), 0);
  });

  it('reads a search text as a canonical serial prefix only when it is hex', () => {
    assert.equal(serialPrefixOf('5F0C3A'), '5f0c3a');
    assert.equal(serialPrefixOf('5f:0c:3a'), '5f0c3a');
    assert.equal(serialPrefixOf('00:8f:0c'), '8f0c');
    assert.equal(serialPrefixOf('0a1b'), '0a1b', 'the pad of an odd-length serial stays');
    assert.equal(serialPrefixOf('00'), undefined);
    assert.equal(serialPrefixOf('com.acme/weather'), undefined);
    assert.equal(serialPrefixOf('a'.repeat(41)), undefined);
  });
});
