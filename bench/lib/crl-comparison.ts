// A CRL of N revoked serials built by our streaming writer and by `openssl ca -gencrl` over the
// same serials, signed by a throwaway intermediate-like P-256 CA: time and peak memory of each,
// and whether `openssl crl` parses and verifies ours. Used by bench/suites/crl.ts and bench/crl.ts.
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { createPrivateKey, randomBytes } from 'node:crypto';
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createIntermediateCa, createRootCa } from '../../src/crypto/x509/ca-certificates.js';
import { CrlWriter } from '../../src/crypto/x509/crl-writer.js';
import { loadIssuingCa } from '../../src/crypto/x509/issuing-ca.js';
import { toPem } from '../../src/crypto/x509/pem.js';

const MB = 1024 * 1024;

export interface CrlComparison {
  count: number;
  oursMs: number;
  oursPeakMiB: number;
  oursDeltaMiB: number;
  opensslMs: number;
  opensslPeakMiB: number;
  oursSizeMiB: number;
  opensslSizeMiB: number;
  /** What `openssl crl -noout -CAfile` said about ours. */
  check: string;
  verified: boolean;
}

function run(
  cmd: string,
  args: string[],
  cwd: string,
): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

/** Like `run`, sampling the child's VmHWM from /proc while it lives. */
function runSampled(
  cmd: string,
  args: string[],
  cwd: string,
): Promise<{ status: number; stdout: string; stderr: string; peakKb: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peakKb = NaN;
    const sample = setInterval(() => {
      try {
        const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(Number.isNaN(peakKb) ? 0 : peakKb, Number(m[1]));
      } catch {
        // exited between samples
      }
    }, 20);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(sample);
      resolve({ status: code ?? -1, stdout, stderr, peakKb });
    });
  });
}

/** `YYMMDDHHMMSSZ` as openssl's index.txt wants it. */
function utcTime(d: Date): string {
  return d
    .toISOString()
    .replace(/^\d\d(\d\d)-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d).*$/, '$1$2$3$4$5$6Z');
}

/** Builds both CRLs over the same `COUNT` serials. */
export async function compareCrlBuilders(COUNT: number): Promise<CrlComparison> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-crl-'));
  try {
    // A root and an intermediate like the TA's (P-256); the intermediate signs both CRLs.
    const now = new Date();
    const root = await createRootCa({
      commonName: 'Bench Root CA',
      organization: 'Bench',
      now,
      validityDays: 3650,
    });
    const intermediate = await createIntermediateCa(
      { commonName: 'Bench Issuing CA', organization: 'Bench', now, validityDays: 1825 },
      { certificate: root.certificate, privateKey: root.keys.privateKey },
    );
    const key = createPrivateKey({
      key: intermediate.privateKeyPkcs8,
      format: 'der',
      type: 'pkcs8',
    });
    const ca = loadIssuingCa(intermediate.certificatePem, key);
    writeFileSync(path.join(dir, 'ca.pem'), `${intermediate.certificatePem.trim()}\n`);
    writeFileSync(path.join(dir, 'ca.key'), key.export({ format: 'pem', type: 'pkcs8' }));
    writeFileSync(
      path.join(dir, 'chain.pem'),
      `${root.certificatePem.trim()}\n${intermediate.certificatePem.trim()}\n`,
    );

    // The same serials for both: 127-bit, positive, as src/crypto/serial.ts makes them.
    const random = randomBytes(16 * COUNT);
    const serials: string[] = new Array(COUNT);
    for (let i = 0; i < COUNT; i += 1) {
      random[i * 16] = (random[i * 16]! & 0x7f) | 0x01;
      serials[i] = random.subarray(i * 16, i * 16 + 16).toString('hex');
    }
    const revokedAt = new Date(now.getTime() - 3_600_000);
    const expires = utcTime(new Date(now.getTime() + 7 * 86_400_000));
    const revoked = `${utcTime(revokedAt)},keyCompromise`;
    writeFileSync(path.join(dir, 'index.txt'), '');
    for (let i = 0; i < COUNT; i += 100_000) {
      const lines = serials
        .slice(i, i + 100_000)
        .map((s) => `R\t${expires}\t${revoked}\t${s.toUpperCase()}\tunknown\t/CN=leaf\n`);
      appendFileSync(path.join(dir, 'index.txt'), lines.join(''));
    }
    writeFileSync(path.join(dir, 'index.txt.attr'), 'unique_subject = no\n');
    writeFileSync(path.join(dir, 'crlnumber'), '01\n');
    writeFileSync(
      path.join(dir, 'openssl.cnf'),
      [
        '[ ca ]',
        'default_ca = bench',
        '[ bench ]',
        'dir = .',
        'database = ./index.txt',
        'crlnumber = ./crlnumber',
        'certificate = ./ca.pem',
        'private_key = ./ca.key',
        'default_md = sha256',
        'default_crl_hours = 24',
        'crl_extensions = crl_ext',
        '[ crl_ext ]',
        'authorityKeyIdentifier = keyid:always',
        '',
      ].join('\n'),
    );

    // Ours: rss sampled inside the loop (it is synchronous, so a timer would never fire).
    global.gc?.();
    const baseline = process.memoryUsage.rss();
    let peak = baseline;
    const t0 = process.hrtime.bigint();
    const writer = new CrlWriter();
    for (let i = 0; i < COUNT; i += 1) {
      writer.add(serials[i]!, revokedAt, 'keyCompromise');
      if (i % 50_000 === 0) peak = Math.max(peak, process.memoryUsage.rss());
    }
    peak = Math.max(peak, process.memoryUsage.rss());
    const der = writer.finish({
      issuerNameDer: ca.subjectDer,
      authorityKeyIdentifier: ca.keyIdentifier,
      crlNumber: 1n,
      thisUpdate: now,
      nextUpdate: new Date(now.getTime() + 86_400_000),
      privateKey: ca.privateKey,
      signatureAlgorithm: ca.signatureAlgorithm,
    });
    peak = Math.max(peak, process.memoryUsage.rss());
    const oursMs = Number(process.hrtime.bigint() - t0) / 1e6;
    writeFileSync(path.join(dir, 'ours.crl'), der);
    writeFileSync(path.join(dir, 'ours.pem'), toPem('X509 CRL', der));

    // openssl ca -gencrl over the same serials, under /usr/bin/time -v for its peak RSS (Debian's
    // `time` package); without it the peak is sampled from /proc every 20 ms instead.
    const t1 = process.hrtime.bigint();
    const gencrl = ['ca', '-batch', '-config', 'openssl.cnf', '-gencrl', '-out', 'openssl.pem'];
    const hasTime = existsSync('/usr/bin/time');
    const gen: { status: number; stderr: string; peakKb?: number } = hasTime
      ? await run('/usr/bin/time', ['-v', 'openssl', ...gencrl], dir)
      : await runSampled('openssl', gencrl, dir);
    const opensslMs = Number(process.hrtime.bigint() - t1) / 1e6;
    if (gen.status !== 0) throw new Error(`openssl ca -gencrl failed: ${gen.stderr.slice(-2000)}`);
    const opensslPeakKb = hasTime
      ? Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(gen.stderr)?.[1] ?? NaN)
      : (gen.peakKb ?? NaN);
    await run(
      'openssl',
      ['crl', '-in', 'openssl.pem', '-outform', 'DER', '-out', 'openssl.crl'],
      dir,
    );

    const check = await run(
      'openssl',
      ['crl', '-inform', 'DER', '-in', 'ours.crl', '-noout', '-CAfile', 'chain.pem'],
      dir,
    );
    const checkOutput = `${check.stdout}${check.stderr}`.trim();

    const size = (f: string) => statSync(path.join(dir, f)).size / MB;
    return {
      count: COUNT,
      oursMs,
      oursPeakMiB: peak / MB,
      oursDeltaMiB: (peak - baseline) / MB,
      opensslMs,
      opensslPeakMiB: opensslPeakKb / 1024,
      oursSizeMiB: size('ours.crl'),
      opensslSizeMiB: size('openssl.crl'),
      check: checkOutput,
      verified: check.status === 0 && /verify OK/.test(checkOutput),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
