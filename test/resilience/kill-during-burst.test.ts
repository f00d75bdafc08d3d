// Issue 8: kill -9 the service during a burst of issuances (passports, certificates), revocations
// and manifest yanks, restart it: the audit chain verifies, every write that got a 2xx is there,
// and nothing is half-written (checked in the database itself: each record has exactly its audit
// event and feed entry, and the revocation seq has no gaps). Runs on PGlite and on PostgreSQL.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { halfWritten, gaps, openDirect } from '../support/consistency.js';
import { emptyDatabase, seedEmptyPgliteDataDir, type TestDatabase } from '../support/database.js';
import {
  call,
  ConnectionLost,
  emptyAcknowledged,
  issueCertificate,
  issuePassport,
  prepareLoadSubject,
  publishAndYank,
  readFeed,
  revokeCertificate,
  revokePassport,
} from '../support/load.js';
import { freePort, spawnService, type ServiceProcess } from '../support/process.js';
import { assertCnInSans } from '../support/x509-profile.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('kill -9 during a burst of issuances', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kill9-'));
  let db: TestDatabase | undefined;
  const procs: ServiceProcess[] = [];
  after(async () => {
    for (const p of procs) await p.stop('SIGKILL');
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged issuance and revocation, nothing half-written, and a verifiable audit chain', async (t) => {
    const env: Record<string, string> = {
      PORT: String(await freePort()),
      DATA_DIR: dataDir,
      TA_ADMIN_TOKEN: randomBytes(32).toString('hex'),
      TA_KEK: randomBytes(32).toString('hex'),
      TA_NAME: 'kill9-ta.example',
    };
    if (process.env.DATABASE_URL) {
      db = await emptyDatabase();
      env.DATABASE_URL = db.url!;
    } else {
      await seedEmptyPgliteDataDir(dataDir);
    }
    const first = spawnService(env);
    procs.push(first);
    await first.ready();
    const subject = await prepareLoadSubject(first.url, env.TA_ADMIN_TOKEN!);

    const ack = emptyAcknowledged();
    const publishers: string[] = [];
    const failures: string[] = [];
    let stop = false;
    // Each worker repeats one kind of write until told to stop or the process dies under it.
    const worker = async (step: (i: number) => Promise<void>) => {
      for (let i = 0; !stop; i += 1) {
        try {
          await step(i);
        } catch (err) {
          if (err instanceof ConnectionLost) return; // killed under us: expected
          failures.push((err as Error).message);
          return;
        }
      }
    };
    const toRevoke = { passports: 0, certificates: 0 };
    const workers = [
      ...[0, 1, 2].map((w) =>
        worker(
          async (i) =>
            void ack.passports.push(await issuePassport(first.url, subject, `burst-${w}-${i % 5}`)),
        ),
      ),
      ...[0, 1].map(() =>
        worker(async () => void ack.certificates.push(await issueCertificate(first.url, subject))),
      ),
      worker(async (i) => {
        // Revokes acknowledged issuances, alternating kinds, each one once.
        const kind = i % 2 ? 'certificates' : 'passports';
        const target = ack[kind][toRevoke[kind]];
        if (target === undefined) {
          await sleep(5);
          return;
        }
        toRevoke[kind] += 1;
        if (kind === 'passports') {
          await revokePassport(first.url, subject, target);
          ack.revokedPassports.push(target);
        } else {
          await revokeCertificate(first.url, subject, target);
          ack.revokedCertificates.push(target);
        }
      }),
      worker(
        async (i) => void ack.yanked.push(await publishAndYank(first.url, subject, `1.0.${i}`)),
      ),
      worker(async (i) => {
        const r = await call(first.url, 'POST', '/v1/publishers', env.TA_ADMIN_TOKEN!, {
          name: `burst-publisher-${i}`,
        });
        if (r.status !== 201) throw new Error(`publisher → ${r.status} ${r.text}`);
        publishers.push(r.json.id);
      }),
    ];
    // Kill after a short burst, once every kind of write has been acknowledged a few times.
    const started = Date.now();
    const enough = () =>
      ack.passports.length >= 15 &&
      ack.certificates.length >= 10 &&
      ack.revokedPassports.length >= 3 &&
      ack.revokedCertificates.length >= 3 &&
      ack.yanked.length >= 2;
    while (
      (Date.now() - started < 1500 || !enough()) &&
      Date.now() - started < 30_000 &&
      failures.length === 0
    )
      await sleep(20);
    first.child.kill('SIGKILL');
    await first.exited;
    stop = true;
    await Promise.all(workers);
    assert.deepEqual(failures, [], 'every write before the kill was acknowledged');
    const counts = JSON.stringify(
      Object.fromEntries(Object.entries(ack).map(([k, v]) => [k, v.length])),
    );
    assert.ok(enough(), `burst too small: ${counts}`);
    t.diagnostic(
      `killed after ${Date.now() - started} ms of burst; acknowledged ${counts}, ${publishers.length} publishers`,
    );

    const second = spawnService(env);
    procs.push(second);
    await second.ready();
    const get = async (p: string) => {
      const r = await call(second.url, 'GET', p, env.TA_ADMIN_TOKEN!);
      assert.equal(r.status, 200, `GET ${p} → ${r.status} ${r.text}`);
      return r.json;
    };

    const verify = await get('/v1/audit/verify');
    assert.equal(verify.ok, true, JSON.stringify(verify));
    for (const id of ack.passports) {
      const p = await get(`/v1/passports/${id}`);
      if (ack.revokedPassports.includes(id))
        assert.equal(p.status, 'revoked', `passport ${id} revoked with a 2xx but ${p.status}`);
    }
    for (const serial of ack.certificates) {
      const c = await get(`/v1/certificates/${serial}`);
      if (ack.revokedCertificates.includes(serial))
        assert.equal(
          c.status,
          'revoked',
          `certificate ${serial} revoked with a 2xx but ${c.status}`,
        );
    }
    for (const id of publishers) await get(`/v1/publishers/${id}`);

    // The restarted service keeps numbering where the crashed one stopped.
    const notRevoked = <T>(all: T[], revoked: T[]) =>
      all.filter((x) => !revoked.includes(x)).slice(-2);
    for (const id of notRevoked(ack.passports, ack.revokedPassports)) {
      const r = await call(second.url, 'POST', `/v1/passports/${id}/revoke`, subject.token, {
        reason: 'superseded',
      });
      assert.equal(r.status, 200, r.text);
      ack.revokedPassports.push(id);
    }
    for (const serial of notRevoked(ack.certificates, ack.revokedCertificates)) {
      await revokeCertificate(second.url, subject, serial);
      ack.revokedCertificates.push(serial);
    }
    ack.yanked.push(await publishAndYank(second.url, subject, '2.0.0'));

    // The revocation feed lists every acknowledged revocation, numbered 1, 2, 3, … without gaps.
    const feed = await readFeed(second.url);
    assert.deepEqual(
      gaps(
        'feed seq',
        feed.map((e) => e.seq),
      ),
      [],
    );
    const listed = new Set(feed.map((e) => `${e.kind}:${e.subject}`));
    for (const id of ack.revokedPassports)
      assert.ok(listed.has(`passport:${id}`), `passport ${id} missing from the feed`);
    for (const serial of ack.revokedCertificates)
      assert.ok(listed.has(`certificate:${serial}`), `certificate ${serial} missing from the feed`);
    for (const digest of ack.yanked)
      assert.ok(listed.has(`manifest:${digest}`), `manifest ${digest} missing from the feed`);

    // No half-written record, read from the database itself (PGlite: once the process is gone).
    assert.equal(await second.stop(), 0, second.output());
    const direct = await openDirect({ databaseUrl: env.DATABASE_URL, dataDir });
    try {
      assert.deepEqual(await halfWritten(direct.sql), []);
      const [row] = await direct.sql(
        `select (select count(*) from passports)::int as p, (select count(*) from certificates)::int as c`,
      );
      assert.ok(
        Number(row!.p) >= ack.passports.length && Number(row!.c) >= ack.certificates.length,
      );
      assertCnInSans(
        (await direct.sql('select pem from certificates')).map((r) => String(r.pem)),
        'certificates issued during the burst',
      );
    } finally {
      await direct.close();
    }
  });
});
