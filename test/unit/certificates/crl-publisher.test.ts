// The CRL publisher's scheduling, against in-memory stores: refreshes run off the caller's tick,
// bursts coalesce, failures are reported and retried, fresh CRLs are not regenerated, reads are
// cached by CRL number, and stop() ends everything.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { CaGeneration, CertificateAuthority } from '../../../src/certificates/authority.js';
import { caUrls } from '../../../src/crypto/x509/ca-urls.js';
import { createCrlPublisher } from '../../../src/certificates/crl-publisher.js';
import type { StoredCrl } from '../../../src/certificates/store.js';
import { fixedClock } from '../../../src/clock.js';
import type { Persistence, TxStores } from '../../../src/stores.js';
import { createTestCa, type TestCa } from '../../support/ca.js';

interface Fake {
  persistence: Persistence;
  crls: StoredCrl[];
  /** Number of reads of a CRL's bytes. */
  loads: number;
  /** Make the next `n` transactions fail. */
  failNext(n: number): void;
}

function fakePersistence(clock = fixedClock(new Date('2026-05-01T00:00:00Z'))): Fake {
  const crls: StoredCrl[] = [];
  let next = 0;
  let failures = 0;
  const fake: Fake = {
    crls,
    loads: 0,
    persistence: undefined as never,
    failNext: (n) => (failures = n),
  };
  const stores = {
    locks: { acquire: async () => {} },
    certificates: { listRevoked: async () => [] },
    keys: { listAll: async () => [] },
    crls: {
      nextNumber: async () => (next += 1),
      insert: async (c: StoredCrl) => void crls.push(c),
      latestInfo: async (kid: string) => crls.filter((c) => c.issuerKid === kid).at(-1),
      findByNumber: async (n: number) => {
        fake.loads += 1;
        return crls.find((c) => c.crlNumber === n);
      },
      prune: async () => {},
    },
  } as unknown as TxStores;
  fake.persistence = {
    stores,
    clock,
    transact: async (fn) => {
      if (failures > 0) {
        failures -= 1;
        throw new Error('database unavailable');
      }
      return fn(stores);
    },
  };
  return fake;
}

describe('CRL publisher', () => {
  let ca: TestCa;
  let authority: CertificateAuthority;
  before(async () => {
    ca = await createTestCa('Publisher');
    const issuing: CaGeneration = {
      kid: 'issuing-kid',
      role: 'issuing',
      status: 'active',
      ca: ca.issuing,
    };
    const root: CaGeneration = { kid: 'root-kid', role: 'root', status: 'active', ca: ca.issuing };
    authority = {
      issuing: ca.issuing,
      issuingKid: 'issuing-kid',
      root: ca.issuing,
      rootKid: 'root-kid',
      chainPem: ca.chainPem,
      generations: () => [issuing],
      byKid: (kid) => [issuing, root].find((g) => g.kid === kid),
      urls: caUrls('http://t'),
      ocspSigner: async () => assert.fail('no OCSP in these tests'),
      crlUrl: 'http://t/v1/crl/issuing-kid',
      rootCrlUrl: 'http://t/v1/crl/root-kid',
      ocspUrl: 'http://t/v1/ocsp',
      publicUrl: 'http://t',
      defaultValidityDays: 7,
      crlValidityMs: 24 * 3_600_000,
      ocspValidityMs: 3_600_000,
    };
  });
  after(() => rmSync(ca.dir, { recursive: true, force: true }));

  it('publishes both CRLs at start-up, and not again while they are fresh', async () => {
    const f = fakePersistence();
    const p = createCrlPublisher({ persistence: f.persistence, authority, onError: assert.fail });
    await p.ensurePublished();
    await p.ensurePublished();
    assert.deepEqual(
      f.crls.map((c) => c.issuerKid),
      ['issuing-kid', 'root-kid'],
    );
  });

  it('a refresh runs after the caller returns, and a burst of refreshes coalesces', async () => {
    const f = fakePersistence();
    const p = createCrlPublisher({ persistence: f.persistence, authority, onError: assert.fail });
    for (let i = 0; i < 20; i += 1) p.requestRefresh();
    assert.equal(f.crls.length, 0, 'published inside the caller');
    await p.idle();
    const issuing = f.crls.filter((c) => c.issuerKid === 'issuing-kid');
    assert.ok(
      issuing.length >= 1 && issuing.length <= 2,
      `${issuing.length} publications for one burst`,
    );
    p.requestRefresh();
    await p.idle();
    assert.equal(f.crls.filter((c) => c.issuerKid === 'issuing-kid').length, issuing.length + 1);
    await p.stop();
  });

  it('a failed publication is reported and retried', async () => {
    const f = fakePersistence();
    const errors: unknown[] = [];
    const p = createCrlPublisher({
      persistence: f.persistence,
      authority,
      onError: (e) => errors.push(e),
      retryAfterMs: 20,
    });
    f.failNext(1);
    p.requestRefresh();
    await p.idle();
    assert.equal(errors.length, 1);
    assert.equal(f.crls.length, 0);
    await new Promise((r) => setTimeout(r, 60));
    await p.idle();
    assert.equal(f.crls.filter((c) => c.issuerKid === 'issuing-kid').length, 1);
    await p.stop();
  });

  it('current() serves the newest CRL, reading its bytes once per CRL number', async () => {
    const f = fakePersistence();
    const p = createCrlPublisher({ persistence: f.persistence, authority, onError: assert.fail });
    await p.ensurePublished();
    const first = await p.current();
    await p.current();
    assert.equal(f.loads, 1);
    p.requestRefresh();
    await p.idle();
    const second = await p.current();
    assert.ok(second.crlNumber > first.crlNumber);
    assert.equal(f.loads, 2);
    assert.equal((await p.current('root')).issuerKid, 'root-kid');
    assert.equal((await p.current('root-kid')).issuerKid, 'root-kid');
    assert.equal((await p.current('issuing-kid')).crlNumber, second.crlNumber);
    await assert.rejects(p.current('some-other-kid'), /no CA some-other-kid/);
    await p.stop();
  });

  it('current() without any CRL is 503, and after stop() nothing more is published', async () => {
    const f = fakePersistence();
    const p = createCrlPublisher({ persistence: f.persistence, authority, onError: assert.fail });
    await assert.rejects(p.current(), /no CRL has been published yet/);
    await p.stop();
    p.requestRefresh();
    await p.idle();
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(f.crls.length, 0);
  });

  it('keeps publishing the CRL of a retired generation until its CA certificate has expired, and refreshes only the asked CA', async () => {
    const clock = fixedClock(new Date('2026-05-01T00:00:00Z'));
    const f = fakePersistence(clock);
    const old: CaGeneration = {
      kid: 'old-kid',
      role: 'issuing',
      status: 'retired',
      ca: ca.issuing,
    };
    const withOld: CertificateAuthority = {
      ...authority,
      generations: () => [old, authority.generations()[0]!],
      byKid: (kid) => (kid === 'old-kid' ? old : authority.byKid(kid)),
    };
    const p = createCrlPublisher({
      persistence: f.persistence,
      authority: withOld,
      onError: assert.fail,
    });
    await p.ensurePublished();
    assert.deepEqual(
      f.crls.map((c) => c.issuerKid),
      ['old-kid', 'issuing-kid', 'root-kid'],
    );
    p.requestRefresh('old-kid');
    await p.idle();
    assert.deepEqual(f.crls.map((c) => c.issuerKid).slice(3), ['old-kid']);
    assert.equal((await p.current('old-kid')).crlNumber, f.crls.at(-1)!.crlNumber);
    // One CRL period after the CA certificate expired (both generations here share the test CA
    // certificate), only the root publishes.
    clock.set(new Date(ca.issuing.notAfter.getTime() + 25 * 3_600_000));
    const before = f.crls.length;
    await p.ensurePublished();
    assert.deepEqual(
      f.crls.slice(before).map((c) => c.issuerKid),
      ['root-kid'],
    );
    await p.stop();
  });

  it('a CRL past half its validity is replaced by the periodic check', async () => {
    const clock = fixedClock(new Date('2026-05-01T00:00:00Z'));
    const f = fakePersistence(clock);
    const p = createCrlPublisher({
      persistence: f.persistence,
      authority,
      onError: assert.fail,
      checkEveryMs: 10,
    });
    await p.ensurePublished();
    p.start();
    await new Promise((r) => setTimeout(r, 40));
    await p.idle();
    assert.equal(f.crls.length, 2, 'a fresh CRL was replaced');
    clock.advance(13 * 3_600_000); // 11 h left of 24 h
    await new Promise((r) => setTimeout(r, 40));
    await p.idle();
    assert.deepEqual(f.crls.map((c) => c.issuerKid).slice(2), ['issuing-kid', 'root-kid']);
    await p.stop();
  });
});
