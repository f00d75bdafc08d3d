// Issue 8: two service processes on one PostgreSQL under concurrent mixed load (passport and
// certificate issuance, revocations of both — some raced through both instances at once — and
// manifest yanks). Passport ids and serials stay unique, every CRL published gets a higher number
// and lists every serial its predecessors listed, the revocation feed is 1, 2, 3, … with every
// acknowledged revocation, nothing is half-written, and the audit chain verifies.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { gaps, halfWritten } from '../support/consistency.js';
import { tempFile } from '../support/csr.js';
import { freshDatabase, type TestDatabase } from '../support/database.js';
import {
  call,
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
import { runPython } from '../support/tools.js';
import { assertCnInSans } from '../support/x509-profile.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Load runs at least this long, and on until every kind of write was acknowledged a few times. */
const LOAD_MS = 3000;
const LOAD_CAP_MS = 40_000;
/** Serials compared as numbers: the CRL parser and the API may pad differently. */
const norm = (hex: string) => BigInt(`0x${hex}`).toString(16);

/** Every CRL of the database as stored (even those pruned later), in publication order. */
async function logCrls(db: TestDatabase): Promise<void> {
  await db.sql(
    `create table test_crl_log (id bigserial primary key, crl_number bigint, issuer_kid text, der bytea)`,
  );
  await db.sql(`create function test_log_crl() returns trigger language plpgsql as $$
    begin insert into test_crl_log (crl_number, issuer_kid, der) values (new.crl_number, new.issuer_kid, new.der); return new; end $$`);
  await db.sql(
    `create trigger test_crl_log after insert on crls for each row execute function test_log_crl()`,
  );
}

interface ParsedCrl {
  number: number;
  signatureValid: boolean;
  serials: string[];
}

/** Parses DER CRLs with Python `cryptography` and checks their signatures by the issuing CA. */
function parseCrls(issuingPem: string, ders: Buffer[]): ParsedCrl[] {
  const files = [tempFile('issuing.pem', issuingPem), ...ders.map((d) => tempFile('crl.der', d))];
  const out = runPython(
    `import sys, json
from cryptography import x509
paths = sys.stdin.read().split()
ca = x509.load_pem_x509_certificate(open(paths[0], "rb").read())
out = []
for p in paths[1:]:
    crl = x509.load_der_x509_crl(open(p, "rb").read())
    out.append({"number": crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number,
                "signatureValid": crl.is_signature_valid(ca.public_key()),
                "serials": [format(r.serial_number, "x") for r in crl]})
print(json.dumps(out))`,
    files.join('\n'),
  );
  return JSON.parse(out) as ParsedCrl[];
}

describe(
  'two service instances on one PostgreSQL',
  { skip: process.env.DATABASE_URL ? false : 'two processes cannot share a PGlite data directory' },
  () => {
    const dirs = [
      mkdtempSync(path.join(os.tmpdir(), 'two-a-')),
      mkdtempSync(path.join(os.tmpdir(), 'two-b-')),
    ];
    let db: TestDatabase | undefined;
    const procs: ServiceProcess[] = [];
    after(async () => {
      for (const p of procs) await p.stop('SIGKILL');
      await db?.drop();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    });

    it('keep ids, serials, CRL numbers and the revocation feed unique and ordered under mixed load', async (t) => {
      db = await freshDatabase();
      await logCrls(db);
      const shared = {
        DATABASE_URL: db.url!,
        TA_KEK: randomBytes(32).toString('hex'),
        TA_ADMIN_TOKEN: randomBytes(32).toString('hex'),
        TA_NAME: 'two-instances-ta.example',
        TA_PUBLIC_URL: 'https://ta.example.test',
      };
      // One after the other: the first creates the authority keys, the second loads them.
      for (const dir of dirs) {
        const p = spawnService({ ...shared, PORT: String(await freePort()), DATA_DIR: dir });
        procs.push(p);
        await p.ready();
      }
      const urls = procs.map((p) => p.url);
      const subject = await prepareLoadSubject(urls[0]!, shared.TA_ADMIN_TOKEN);

      const ack = emptyAcknowledged();
      const failures: string[] = [];
      const started = Date.now();
      const enough = () =>
        ack.passports.length >= 20 &&
        ack.certificates.length >= 20 &&
        ack.revokedPassports.length >= 4 &&
        ack.revokedCertificates.length >= 6 &&
        ack.yanked.length >= 4;
      const going = () =>
        failures.length === 0 &&
        Date.now() - started < LOAD_CAP_MS &&
        (Date.now() - started < LOAD_MS || !enough());
      const worker = async (step: (i: number) => Promise<void>) => {
        for (let i = 0; going(); i += 1) {
          try {
            await step(i);
          } catch (err) {
            failures.push((err as Error).message);
            return;
          }
        }
      };
      const next = { passports: 0, certificates: 0 };
      const revoker = (u: number) =>
        worker(async (i) => {
          const kind = i % 2 ? 'certificates' : 'passports';
          const target = ack[kind][next[kind]];
          if (target === undefined) {
            await sleep(5);
            return;
          }
          next[kind] += 1;
          // Every third target is revoked through both instances at the same moment.
          const via = next[kind] % 3 === 0 ? urls : [urls[u]!];
          if (kind === 'passports') {
            await Promise.all(via.map((url) => revokePassport(url, subject, target)));
            ack.revokedPassports.push(target);
          } else {
            await Promise.all(via.map((url) => revokeCertificate(url, subject, target)));
            ack.revokedCertificates.push(target);
          }
        });
      await Promise.all(
        urls.flatMap((url, u) => [
          ...[0, 1].map((w) =>
            worker(
              async (i) =>
                void ack.passports.push(
                  await issuePassport(url, subject, `agent-${u}-${w}-${i % 4}`),
                ),
            ),
          ),
          ...[0, 1].map(() =>
            worker(async () => void ack.certificates.push(await issueCertificate(url, subject))),
          ),
          revoker(u),
          worker(
            async (i) => void ack.yanked.push(await publishAndYank(url, subject, `1.${u}.${i}`)),
          ),
        ]),
      );
      assert.deepEqual(failures, [], 'every request under load got its 2xx');
      const counts = Object.fromEntries(Object.entries(ack).map(([k, v]) => [k, v.length]));
      assert.ok(enough(), `too little load: ${JSON.stringify(counts)}`);
      t.diagnostic(`acknowledged in ${Date.now() - started} ms: ${JSON.stringify(counts)}`);

      // Unique passport ids and serials, all stored.
      assert.equal(
        new Set(ack.passports).size,
        ack.passports.length,
        'a passport id was handed out twice',
      );
      assert.equal(
        new Set(ack.certificates.map(norm)).size,
        ack.certificates.length,
        'a serial was handed out twice',
      );
      const stored = await db.sql(
        `select (select count(*) from passports)::int as p, (select count(*) from certificates)::int as c`,
      );
      assert.deepEqual(stored[0], { p: ack.passports.length, c: ack.certificates.length });
      assertCnInSans(
        (await db.sql('select pem from certificates')).map((r) => String(r.pem)),
        'certificates issued by both instances',
      );

      // The revocation feed, as both instances serve it: 1, 2, 3, … with every acknowledged revocation once.
      const feeds = await Promise.all(urls.map((url) => readFeed(url)));
      assert.deepEqual(feeds[1], feeds[0]);
      const feed = feeds[0]!;
      assert.deepEqual(
        gaps(
          'feed seq',
          feed.map((e) => e.seq),
        ),
        [],
      );
      const listed = feed.map(
        (e) => `${e.kind}:${e.kind === 'certificate' ? norm(e.subject) : e.subject}`,
      );
      const expected = [
        ...ack.revokedPassports.map((id) => `passport:${id}`),
        ...ack.revokedCertificates.map((s) => `certificate:${norm(s)}`),
        ...ack.yanked.map((d) => `manifest:${d}`),
      ];
      assert.deepEqual([...listed].sort(), [...expected].sort());

      // Wait until both instances serve a CRL listing every acknowledged certificate revocation.
      const issuingPem = (
        await call(urls[0]!, 'GET', '/v1/trust/ca.pem', shared.TA_ADMIN_TOKEN)
      ).text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)![1]!;
      const revoked = new Set(ack.revokedCertificates.map(norm));
      let served: ParsedCrl[] = [];
      for (const until = Date.now() + 20_000; ;) {
        const ders = await Promise.all(
          urls.map(async (url) => Buffer.from(await (await fetch(`${url}/v1/crl`)).arrayBuffer())),
        );
        served = parseCrls(issuingPem, ders);
        if (served.every((c) => [...revoked].every((s) => c.serials.includes(s)))) break;
        assert.ok(
          Date.now() < until,
          `the served CRLs never listed every revocation: ${JSON.stringify(served.map((c) => c.number))}`,
        );
        await sleep(200);
      }
      for (const c of served) assert.equal(c.signatureValid, true);

      // Every issuing-CA CRL ever stored: numbers strictly increase in publication order, each
      // lists every serial of the one before, and the newest is what both instances serve.
      const numbers = (await db.sql(`select crl_number from test_crl_log order by id`)).map((r) =>
        Number(r.crl_number),
      );
      assert.deepEqual(
        numbers,
        [...new Set(numbers)].sort((a, b) => a - b),
        'CRL numbers (root and issuing) in publication order',
      );
      const [{ issuer_kid: issuingKid }] = (await db.sql(
        `select distinct issuer_kid from certificates`,
      )) as [{ issuer_kid: string }];
      const log = await db.sql(
        `select crl_number, der from test_crl_log where issuer_kid = $1 order by id`,
        [issuingKid],
      );
      const crls = parseCrls(
        issuingPem,
        log.map((r) => Buffer.from(r.der as Uint8Array)),
      );
      assert.ok(crls.length >= 3, `only ${crls.length} CRLs published`);
      t.diagnostic(
        `${crls.length} issuing-CA CRLs published, numbers ${crls[0]!.number}…${crls[crls.length - 1]!.number}`,
      );
      crls.forEach((c, i) => {
        assert.equal(c.number, Number(log[i]!.crl_number));
        assert.equal(c.signatureValid, true, `CRL ${c.number} signature`);
        if (i === 0) return;
        const prev = crls[i - 1]!;
        assert.ok(
          c.number > prev.number,
          `CRL numbers not strictly increasing: ${crls.map((x) => x.number).join(', ')}`,
        );
        const missing = prev.serials.filter((s) => !c.serials.includes(s));
        assert.deepEqual(missing, [], `CRL ${c.number} drops serials listed by CRL ${prev.number}`);
      });
      const newest = crls[crls.length - 1]!;
      assert.deepEqual(
        served.map((c) => c.number),
        [newest.number, newest.number],
      );
      assert.deepEqual(new Set(newest.serials), revoked);

      // The audit chain, and nothing half-written.
      for (const url of urls) {
        const verify = await call(url, 'GET', '/v1/audit/verify', shared.TA_ADMIN_TOKEN);
        assert.equal(verify.json.ok, true, verify.text);
      }
      assert.deepEqual(await halfWritten((text) => db!.sql(text)), []);
      for (const p of procs) assert.equal(await p.stop(), 0, p.output());
    });
  },
);
