// Issue 4 on PostgreSQL (run with DATABASE_URL; on PGlite the same test runs but cannot show
// races): two app instances share one database. 500 concurrent issuances get 500 distinct
// serials; concurrent revocations through both instances publish CRLs whose numbers strictly
// increase in commit order and never list fewer revocations, ending with one listing them all.
// One certificate revoked through both instances at once is revoked once (a race answered 500).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { issueCertificate } from '../../src/certificates/issue.js';
import { parseCsr } from '../../src/crypto/x509/csr.js';
import {
  certificateFixture,
  countRows,
  withSubjects,
  type CertificateFixture,
} from '../support/certificates.js';
import { makeCsr, tempFile } from '../support/csr.js';
import { freshDatabase, type TestDatabase } from '../support/database.js';
import { startTestService, type TestService } from '../support/service.js';
import { runPython } from '../support/tools.js';

describe('certificates across two app instances', () => {
  let db: TestDatabase;
  let one: TestService;
  let two: TestService;
  let f: CertificateFixture;
  before(async () => {
    db = await freshDatabase();
    one = await startTestService({ db });
    // The second instance: its own connection pool, same KEK and bootstrap token, same database.
    const handle = await db.openAnother();
    two = await startTestService({
      db: { ...db, handle, drop: async () => {} },
      env: { TA_KEK: one.kek.toString('hex'), TA_ADMIN_TOKEN: one.adminToken },
    });
    f = await certificateFixture(one);
    // Records every CRL as it is stored, in insertion order (inserts run under the publication lock).
    await db.sql(
      `create table test_crl_log (id bigserial primary key, crl_number bigint, issuer_kid text, entries int)`,
    );
    await db.sql(`create function test_log_crl() returns trigger language plpgsql as $$
      begin insert into test_crl_log (crl_number, issuer_kid, entries) values (new.crl_number, new.issuer_kid, new.entries); return new; end $$`);
    await db.sql(
      `create trigger test_crl_log after insert on crls for each row execute function test_log_crl()`,
    );
  });
  after(async () => {
    await two.stop();
    await one.stop();
  });

  it('both instances use the same issuing CA', () => {
    assert.equal(one.certificates.authority.issuingKid, two.certificates.authority.issuingKid);
  });

  it('500 concurrent issuances through both instances give 500 distinct serials, all stored and audited', async () => {
    const csr = makeCsr('P-256').csrPem;
    parseCsr(csr);
    const contexts = [f.ctx, withSubjects(two.certificates, f.subjects)];
    const before = await countRows(one, 'certificates');
    const issued = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        issueCertificate(contexts[i % 2]!, f.a.principal, {
          csr,
          profile: 'server',
          subject: f.serverName,
        }),
      ),
    );
    const serials = new Set(issued.map((c) => c.record.serial));
    assert.equal(serials.size, 500);
    assert.equal((await countRows(one, 'certificates')) - before, 500);
    const [row] = await db.sql(
      `select count(*)::int as n from audit_events where action = 'certificate.issued'`,
    );
    assert.equal(Number(row!.n), 500 + before);
    const check = await one.request('GET', '/v1/audit/verify', { token: one.adminToken });
    assert.equal(check.json.ok, true, JSON.stringify(check.json));
  });

  it('concurrent revocations through both instances give strictly increasing CRL numbers and a final CRL listing every one', async () => {
    // A key of its own for each: a keyCompromise revokes every certificate of its key (issue 12).
    const targets = [];
    for (let i = 0; i < 40; i += 1) {
      const csr = makeCsr('P-256').csrPem;
      targets.push(
        (
          await issueCertificate(f.ctx, f.a.principal, {
            csr,
            profile: 'server',
            subject: f.serverName,
          })
        ).record.serial,
      );
    }
    const instances = [one, two];
    const responses = await Promise.all(
      targets.map((serial, i) =>
        instances[i % 2]!.request('POST', `/v1/certificates/${serial}/revoke`, {
          token: f.a.token,
          body: { reason: 'keyCompromise' },
        }),
      ),
    );
    assert.deepEqual(
      responses.map((r) => r.status),
      targets.map(() => 200),
    );
    await Promise.all([one.certificates.crl.idle(), two.certificates.crl.idle()]);

    const issuingKid = one.certificates.authority.issuingKid;
    const log = (
      await db.sql(
        `select crl_number, entries from test_crl_log where issuer_kid = $1 order by id`,
        [issuingKid],
      )
    ).map((r) => ({
      number: Number(r.crl_number),
      entries: Number(r.entries),
    }));
    assert.ok(log.length >= 2, `only ${log.length} CRLs published`);
    for (let i = 1; i < log.length; i += 1) {
      assert.ok(
        log[i]!.number > log[i - 1]!.number,
        `CRL numbers not strictly increasing: ${JSON.stringify(log)}`,
      );
      assert.ok(
        log[i]!.entries >= log[i - 1]!.entries,
        `a newer CRL lists fewer revocations: ${JSON.stringify(log)}`,
      );
    }
    const last = log[log.length - 1]!;
    assert.equal(last.entries, 40);

    // Both instances serve that newest CRL, and it lists every revoked serial.
    for (const ta of instances) {
      const res = await ta.app.request('/v1/crl');
      const der = Buffer.from(await res.arrayBuffer());
      const out = runPython(
        'import sys\nfrom cryptography import x509\ncrl = x509.load_der_x509_crl(open(sys.stdin.read().strip(), "rb").read())\nprint(crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number)\nfor r in crl: print(format(r.serial_number, "032x"))',
        tempFile('crl.der', der),
      );
      const [number, ...serials] = out.trim().split('\n');
      assert.equal(Number(number), last.number);
      assert.deepEqual(new Set(serials), new Set(targets));
    }
  });

  it('the same certificate revoked through both instances at once: both 200, one feed entry, one audit event', async () => {
    for (let round = 0; round < 5; round += 1) {
      const csr = makeCsr('P-256').csrPem; // a fresh key: the last round's was revoked for keyCompromise
      const { serial } = (
        await issueCertificate(f.ctx, f.a.principal, {
          csr,
          profile: 'server',
          subject: f.serverName,
        })
      ).record;
      const responses = await Promise.all(
        [one, two, one, two].map((ta, i) =>
          ta.request('POST', `/v1/certificates/${serial}/revoke`, {
            token: f.a.token,
            body: { reason: i % 2 ? 'superseded' : 'keyCompromise' },
          }),
        ),
      );
      assert.deepEqual(
        responses.map((r) => r.status),
        [200, 200, 200, 200],
        responses.map((r) => r.text).join('\n'),
      );
      const [row] = await db.sql(`select revocation_reason from certificates where serial = $1`, [
        serial,
      ]);
      assert.deepEqual(
        new Set(responses.map((r) => r.json.revocation_reason)),
        new Set([row!.revocation_reason]),
        'every answer names the reason that stands',
      );
      const [feed] = await db.sql(
        `select count(*)::int as n from revocations where kind = 'certificate' and subject = $1`,
        [serial],
      );
      const [audit] = await db.sql(
        `select count(*)::int as n from audit_events where action = 'certificate.revoked' and subject = $1`,
        [`certificate:${serial}`],
      );
      assert.deepEqual([Number(feed!.n), Number(audit!.n)], [1, 1]);
    }
    await Promise.all([one.certificates.crl.idle(), two.certificates.crl.idle()]);
  });
});
