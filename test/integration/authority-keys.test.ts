// Acceptance (foundation) 4 and 5: two instances starting at once on an empty database end with
// one authority key set; the database holds only ciphertext, which opens only with the KEK.
import assert from 'node:assert/strict';
import { createPrivateKey, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { KekMismatchError, open } from '../../src/crypto/kek.js';
import { sealingAad } from '../../src/keys/authority-key.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { buildService } from '../../src/service.js';
import { emptyDatabase, usingPostgres, type TestDatabase } from '../support/database.js';
import { hasCommand } from '../support/tools.js';

const silent = createLogger('silent');
const dirs: string[] = [];
function configFor(kek: Buffer) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mcps-ta-keys-'));
  dirs.push(dataDir);
  return loadConfig({ DATA_DIR: dataDir, TA_KEK: kek.toString('hex'), LOG_LEVEL: 'silent' });
}

describe('authority keys', () => {
  const dbs: TestDatabase[] = [];
  after(async () => {
    await Promise.all(dbs.map((d) => d.drop()));
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('two instances starting at once on an empty database create exactly one key set', async () => {
    const db = await emptyDatabase();
    dbs.push(db);
    const kek = randomBytes(32);
    // On PostgreSQL these are two independent connection pools, as two processes would have.
    const handles = [db.handle, await db.openAnother()];
    const services = await Promise.all(
      handles.map((h) => buildService(configFor(kek), { logger: silent, database: h })),
    );
    const rows = await db.sql('select purpose, status from authority_keys order by purpose');
    assert.deepEqual(
      rows.map((r) => `${r.purpose}:${r.status}`),
      ['issuing-ca:active', 'log-signing:active', 'passport-signing:active', 'root-ca:active'],
    );
    assert.equal(services[0]!.keyring.documentSigner.kid, services[1]!.keyring.documentSigner.kid);
    assert.equal(services[0]!.keyring.caChainPem, services[1]!.keyring.caChainPem);
    const created = await db.sql(
      `select count(*)::int as n from audit_events where action = 'authority_key.created'`,
    );
    assert.equal(created[0]!.n, 4);
    if (usingPostgres) assert.notEqual(handles[0], handles[1]);
  });

  it('a restart reuses the same keys', async () => {
    const db = await emptyDatabase();
    dbs.push(db);
    const kek = randomBytes(32);
    const first = await buildService(configFor(kek), { logger: silent, database: db.handle });
    const second = await buildService(configFor(kek), { logger: silent, database: db.handle });
    assert.equal(second.keyring.documentSigner.kid, first.keyring.documentSigner.kid);
    assert.equal(second.keyring.caChainPem, first.keyring.caChainPem);
  });

  it('a wrong KEK refuses to start and creates no new keys', async () => {
    const db = await emptyDatabase();
    dbs.push(db);
    await buildService(configFor(randomBytes(32)), { logger: silent, database: db.handle });
    await assert.rejects(
      buildService(configFor(randomBytes(32)), { logger: silent, database: db.handle }),
      KekMismatchError,
    );
    const rows = await db.sql('select count(*)::int as n from authority_keys');
    // passport-signing, root CA, issuing CA and the transparency log's Ed25519 key
    assert.equal(rows[0]!.n, 4);
  });

  it('the database holds no private key in PEM, DER or JWK form; the blobs open only with the KEK', async () => {
    const db = await emptyDatabase();
    dbs.push(db);
    const kek = randomBytes(32);
    await buildService(configFor(kek), { logger: silent, database: db.handle });

    // The private scalars, recovered from the sealed blobs with the KEK.
    const rows = await db.sql('select kid, sealed_private_key from authority_keys');
    const secrets = rows.map((r) => {
      const der = open(kek, String(r.sealed_private_key), sealingAad(String(r.kid)));
      const d = (
        createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ format: 'jwk' }) as {
          d: string;
        }
      ).d;
      assert.throws(
        () => open(randomBytes(32), String(r.sealed_private_key), sealingAad(String(r.kid))),
        KekMismatchError,
      );
      return { der, d: Buffer.from(d, 'base64url') };
    });

    // A dump of the whole database: every row of every table as text, plus, on PostgreSQL, the
    // output of pg_dump itself when it is installed.
    const tables = await db.sql(
      `select schemaname, tablename from pg_tables where schemaname in ('public', 'drizzle')`,
    );
    let dump = '';
    for (const t of tables)
      dump += JSON.stringify(
        await db.sql(`select * from "${String(t.schemaname)}"."${String(t.tablename)}"`),
      );
    if (usingPostgres && db.url && hasCommand('pg_dump')) {
      dump += execFileSync('pg_dump', ['--no-owner', db.url], {
        encoding: 'utf8',
        maxBuffer: 64 << 20,
      });
    }
    assert.ok(dump.includes('sealed_private_key') || dump.includes('v1.'), 'dump has the key rows');
    for (const banned of ['PRIVATE KEY', '"d":', 'MIGHAgEA', 'MIG2AgEA'])
      assert.ok(!dump.includes(banned), `dump contains ${banned}`);
    for (const { der, d } of secrets) {
      for (const enc of ['hex', 'base64', 'base64url'] as const) {
        assert.ok(!dump.includes(d.toString(enc)), `private scalar found as ${enc}`);
        assert.ok(!dump.includes(der.subarray(0, 40).toString(enc)), `PKCS#8 DER found as ${enc}`);
      }
    }
  });
});
