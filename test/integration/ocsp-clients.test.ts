// Issue 12, "OCSP that every client accepts": the TA's OCSP answers (good, revoked, unknown),
// signed by a delegated responder of the issuing CA, parse and verify in Go's
// golang.org/x/crypto/ocsp (ParseResponseForCert, which takes the first embedded certificate for
// the delegated signer and checks it against the issuer) and in GnuTLS's ocsptool with
// `--load-trust` of the root CA alone. GnuTLS accepts only a signer that is a trust anchor or is
// issued directly by one, and finds the signer by comparing the responderID name byte for byte;
// the response names the responder key's root-anchored twin, which GnuTLS checks against the root
// (src/crypto/x509/ocsp-responder-certificate.ts). Skipped, with the reason printed, only when
// the client is not installed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { issueCertificate } from '../../src/certificates/issue.js';
import { respondToOcsp } from '../../src/certificates/ocsp-responder.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { buildService } from '../../src/service.js';
import { certificateFixture, type CertificateFixture } from '../support/certificates.js';
import { makeCsr, tempFile } from '../support/csr.js';
import { startTestService, type TestService } from '../support/service.js';
import { hasCommand, openssl } from '../support/tools.js';

const GOPATH = '/usr/share/gocode';
const GO_PROGRAM = path.join(import.meta.dirname, '../fixtures/ocsp-go/main.go');

function goMissing(): string | false {
  if (!hasCommand('go', ['version'])) return 'go is not installed (Debian: golang-go)';
  if (!existsSync(path.join(GOPATH, 'src/golang.org/x/crypto/ocsp/ocsp.go')))
    return 'golang.org/x/crypto/ocsp is not installed (Debian: golang-golang-x-crypto-dev)';
  return false;
}
const ocsptoolMissing = (): string | false =>
  hasCommand('ocsptool', ['--version']) ? false : 'ocsptool is not installed (Debian: gnutls-bin)';

describe('OCSP answers accepted by Go x/crypto/ocsp and GnuTLS ocsptool, anchored at the root', () => {
  let ta: TestService;
  let f: CertificateFixture;
  let goBinary: string | undefined;
  const leaves: Record<'good' | 'revoked', { serial: string; file: string }> = {} as never;
  const responses: Record<'good' | 'revoked' | 'unknown', string> = {} as never;
  const UNKNOWN_SERIAL = '0123456789abcdef';

  /** POSTs an openssl-made request for `target` (`-cert FILE` or `-serial 0x…`) to /v1/ocsp. */
  async function ask(target: string[], name: string): Promise<string> {
    const req = tempFile(`${name}-req.der`, '');
    const made = openssl(['ocsp', '-no_nonce', '-issuer', f.ca.issuing, ...target, '-reqout', req]);
    assert.equal(made.status, 0, made.output);
    const res = await ta.app.request('/v1/ocsp', {
      method: 'POST',
      headers: { 'content-type': 'application/ocsp-request' },
      body: readFileSync(req),
    });
    assert.equal(res.status, 200);
    return tempFile(`${name}-resp.der`, Buffer.from(await res.arrayBuffer()));
  }

  before(async () => {
    ta = await startTestService();
    f = await certificateFixture(ta);
    for (const kind of ['good', 'revoked'] as const) {
      const { record } = await issueCertificate(f.ctx, f.a.principal, {
        csr: makeCsr('P-256').csrPem,
        profile: 'client',
        subject: f.passport.passportId,
      });
      leaves[kind] = { serial: record.serial, file: tempFile(`${kind}.pem`, record.pem) };
    }
    const r = await ta.request('POST', `/v1/certificates/${leaves.revoked.serial}/revoke`, {
      token: f.a.token,
      body: { reason: 'keyCompromise' },
    });
    assert.equal(r.status, 200, r.text);
    responses.good = await ask(['-cert', leaves.good.file], 'good');
    responses.revoked = await ask(['-cert', leaves.revoked.file], 'revoked');
    responses.unknown = await ask(['-serial', `0x${UNKNOWN_SERIAL}`], 'unknown');
  });
  after(async () => ta.stop());

  /** Go program output for one response: `status=… reason=… responder=…`. */
  function runGo(leaf: string, response: string): { status: number; out: string } {
    goBinary ??= (() => {
      const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'ocsp-go-')), 'ocsp-go');
      const built = spawnSync('go', ['build', '-o', out, GO_PROGRAM], {
        encoding: 'utf8',
        env: {
          ...process.env,
          GO111MODULE: 'off',
          GOPATH,
          GOCACHE: path.join(os.tmpdir(), 'mcps-ta-gocache'),
        },
      });
      assert.equal(built.status, 0, built.stderr);
      return out;
    })();
    const r = spawnSync(goBinary, [f.ca.root, f.ca.issuing, leaf, response], { encoding: 'utf8' });
    return { status: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
  }

  it('Go ParseResponseForCert: good, revoked (keyCompromise = 1) and unknown, each verified through the delegated responder', (t) => {
    const missing = goMissing();
    if (missing) {
      console.log(`skipped: ${missing}`);
      return t.skip(missing);
    }
    const responder = 'responder=test-ta.example Issuing CA OCSP Responder';
    assert.deepEqual(runGo(leaves.good.file, responses.good), {
      status: 0,
      out: `status=good reason=0 ${responder}\n`,
    });
    assert.deepEqual(runGo(leaves.revoked.file, responses.revoked), {
      status: 0,
      out: `status=revoked reason=1 ${responder}\n`,
    });
    assert.deepEqual(runGo(`serial:${UNKNOWN_SERIAL}`, responses.unknown), {
      status: 0,
      out: `status=unknown reason=0 ${responder}\n`,
    });
    // It does verify: the same response checked against another issuer is refused.
    const wrongIssuer = spawnSync(
      goBinary!,
      [f.ca.root, f.ca.root, leaves.good.file, responses.good],
      { encoding: 'utf8' },
    );
    assert.notEqual(wrongIssuer.status, 0);
    assert.match(wrongIssuer.stderr, /bad OCSP signature|signature/);
  });

  it('GnuTLS ocsptool verifies each response with --load-trust of the root CA alone', (t) => {
    const missing = ocsptoolMissing();
    if (missing) {
      console.log(`skipped: ${missing}`);
      return t.skip(missing);
    }
    // The issuing CA, verified by GnuTLS against the root alone.
    const chain = spawnSync(
      'certtool',
      ['--verify', '--load-ca-certificate', f.ca.root, '--infile', f.ca.issuing],
      { encoding: 'utf8' },
    );
    assert.equal(chain.status, 0, `${chain.stdout}${chain.stderr}`);
    assert.match(chain.stdout, /Chain verification output: Verified/);
    for (const [kind, status] of [
      ['good', /Certificate Status: good\n/],
      ['revoked', /Certificate Status: revoked\n/],
      ['unknown', /Certificate Status: unknown\n/],
    ] as const) {
      const r = spawnSync(
        'ocsptool',
        ['-e', '--load-trust', f.ca.root, '--infile', responses[kind]],
        { encoding: 'utf8' },
      );
      const out = `${r.stdout}${r.stderr}`;
      assert.equal(r.status, 0, out);
      assert.match(out, status);
      assert.match(out, /Verifying OCSP Response: Success\./);
      // And with the CA certificates /v1/trust/ca.pem serves (root + issuing CA).
      const bundle = spawnSync(
        'ocsptool',
        ['-e', '--load-trust', f.ca.chain, '--infile', responses[kind]],
        { encoding: 'utf8' },
      );
      assert.equal(bundle.status, 0, `${bundle.stdout}${bundle.stderr}`);
      assert.match(bundle.stdout, /Verifying OCSP Response: Success\./);
    }
    // It does check the signer: a root that did not issue the responder certificates is refused,
    // and so is a response whose signature does not match the named responder's key.
    const stranger = tempFile('stranger-root.pem', readFileSync(f.ca.issuing, 'utf8'));
    const wrong = spawnSync(
      'ocsptool',
      ['-e', '--load-trust', stranger, '--infile', responses.good],
      { encoding: 'utf8' },
    );
    assert.notEqual(wrong.status, 0);
    assert.doesNotMatch(wrong.stdout, /Verifying OCSP Response: Success/);
    const tampered = Buffer.from(readFileSync(responses.good));
    const at = tampered.indexOf(Buffer.from([0x18, 0x0f])) + 5; // one digit of producedAt
    tampered[at] = tampered[at]! ^ 1;
    const r = spawnSync(
      'ocsptool',
      ['-e', '--load-trust', f.ca.root, '--infile', tempFile('tampered.der', tampered)],
      { encoding: 'utf8' },
    );
    assert.notEqual(r.status, 0);
    assert.match(`${r.stdout}${r.stderr}`, /signature/i);
  });

  it('a second instance on the same database signs with its own responder, which clients accept alike', async () => {
    const other = await buildService(
      loadConfig({
        DATA_DIR: ta.config.dataDir,
        TA_KEK: ta.kek.toString('hex'),
        TA_ADMIN_TOKEN: ta.adminToken,
        TA_NAME: 'test-ta.example',
        LOG_LEVEL: 'silent',
      }),
      { logger: createLogger('silent'), database: await ta.db.openAnother() },
    );
    try {
      const req = tempFile('second-req.der', '');
      assert.equal(
        openssl([
          'ocsp',
          '-no_nonce',
          '-issuer',
          f.ca.issuing,
          '-cert',
          leaves.revoked.file,
          '-reqout',
          req,
        ]).status,
        0,
      );
      const mine = await ta.certificates.authority.ocspSigner(ta.keyring.issuing.kid);
      const theirs = await other.certificates.authority.ocspSigner(other.keyring.issuing.kid);
      assert.notDeepEqual(
        theirs.publicKeyBits,
        mine.publicKeyBits,
        'each process has its own responder key',
      );
      const resp = tempFile(
        'second-resp.der',
        await respondToOcsp(other.certificates, readFileSync(req)),
      );
      const r = openssl([
        'ocsp',
        '-respin',
        resp,
        '-no_nonce',
        '-CAfile',
        f.ca.root,
        '-verify_other',
        f.ca.issuing,
        '-issuer',
        f.ca.issuing,
        '-cert',
        leaves.revoked.file,
      ]);
      assert.match(r.output, /Response verify OK/);
      assert.match(r.output, /: revoked/);
    } finally {
      await other.close();
    }
  });
});
