// A certification takes its key's `subject-key` lock before it asks whether the key was revoked
// for keyCompromise (src/revocation/follow-key.ts). The lock and the checks after it go to the
// server in one batch (src/pipelined.ts); the server runs them in the order they were written, so
// the lock must be written first. Here another transaction holds the key's lock exclusively, as a
// keyCompromise revocation does, and marks the key compromised; the certification must wait, and
// once the holder commits it must see the compromise and refuse. Had the checks been written
// before the lock, they would have run before the commit and the certification would have
// succeeded. (PostgreSQL only: PGlite runs one transaction at a time.)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { issueCertificate } from '../../src/certificates/issue.js';
import { postgresClient } from '../../src/db/postgres-client.js';
import { ConflictError } from '../../src/errors.js';
import { LOCK_TABLE } from '../../src/locks.js';
import { certificateFixture, type CertificateFixture } from '../support/certificates.js';
import { makeCsr } from '../support/csr.js';
import { freshDatabase, type TestDatabase } from '../support/database.js';
import { issueAgentPassport, newSubjectKey } from '../support/passports.js';
import { assertRealPostgres, realPostgres, type RealPostgres } from '../support/postgres.js';
import { startTestService, type TestService } from '../support/service.js';
import { waitFor } from '../support/wait.js';

describe("a certification waits for its key's lock and then sees what committed meanwhile (PostgreSQL)", () => {
  let pg: RealPostgres | undefined;
  let db: TestDatabase;
  let ta: TestService;
  let f: CertificateFixture;
  before(async () => {
    pg = await realPostgres();
    db = await freshDatabase(pg ? { postgresUrl: pg.url } : {});
    ta = await startTestService({ db });
    f = await certificateFixture(ta);
  });
  after(async () => {
    await ta?.stop();
    await pg?.stop();
  });

  it('runs on a real PostgreSQL', (t) => {
    assertRealPostgres(t, pg);
  });

  /**
   * Holds the key's lock exclusively in another transaction, runs `compromise` there, starts
   * `certify`, waits until it waits for the lock, commits; returns what `certify` ended with.
   */
  async function whileLocked(
    thumbprint: string,
    compromise: string,
    params: unknown[],
    certify: () => Promise<unknown>,
  ): Promise<unknown> {
    const holder = postgresClient(db.url!, { max: 1, onnotice: () => {} });
    try {
      await holder.unsafe('begin');
      await holder.unsafe('select pg_advisory_xact_lock($1::int4, hashtext($2))', [
        LOCK_TABLE['subject-key'].key,
        thumbprint,
      ]);
      await holder.unsafe(compromise, params as never[]);
      const outcome = certify().then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
      await waitFor(
        'the certification to wait for the key lock',
        async () => {
          const [row] = await holder.unsafe(
            `select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted`,
          );
          return Number(row!.n) > 0 || undefined;
        },
        5000,
        25,
      );
      await holder.unsafe('commit');
      return await outcome;
    } finally {
      await holder.end();
    }
  }

  it('a certificate is refused for a key marked compromised while the issuance waited for its lock', async () => {
    assert.ok(db.url, 'needs PostgreSQL (apt-get install postgresql) or DATABASE_URL');
    const csr = makeCsr('P-256').csrPem;
    const input = { csr, profile: 'server' as const, subject: f.serverName };
    const first = await issueCertificate(f.ctx, f.a.principal, input);
    const outcome = (await whileLocked(
      first.record.keyThumbprint!,
      `update certificates set revocation_reason = 'keyCompromise', revoked_at = now() where serial = $1`,
      [first.record.serial],
      () => issueCertificate(f.ctx, f.a.principal, input),
    )) as { error?: unknown };
    assert.ok(outcome.error instanceof ConflictError, `expected a 409, got ${String(outcome)}`);
    assert.match(outcome.error.message, /keyCompromise/);
  });

  it('a passport is refused for a key marked compromised while the issuance waited for its lock', async () => {
    assert.ok(db.url, 'needs PostgreSQL (apt-get install postgresql) or DATABASE_URL');
    const key = newSubjectKey();
    const first = await issueAgentPassport(ta, f.a.token, { name: 'lock-order-1', key });
    assert.equal(first.res.status, 201, first.res.text);
    const outcome = (await whileLocked(
      key.kid,
      `update passports set revocation_reason = 'keyCompromise', revoked_at = now() where passport_id = $1`,
      [first.res.json.passport.passport_id],
      () => issueAgentPassport(ta, f.a.token, { name: 'lock-order-2', key }),
    )) as { value?: { res: { status: number; text: string } } };
    assert.equal(outcome.value?.res.status, 409, outcome.value?.res.text);
    assert.match(outcome.value!.res.text, /keyCompromise/);
  });
});
