// Certificate issuance over HTTP (POST /v1/certificates: CSR checks, subject policy, serial,
// build + sign, row + audit event) against the same-run limit of building and signing the same
// leaf certificate in-process with no HTTP and no database.
import { execFileSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomSerialHex } from '../../src/crypto/serial.js';
import { createIntermediateCa, createRootCa } from '../../src/crypto/x509/ca-certificates.js';
import { parseCsr } from '../../src/crypto/x509/csr.js';
import { loadIssuingCa } from '../../src/crypto/x509/issuing-ca.js';
import { issueLeafCertificate } from '../../src/crypto/x509/leaf-certificate.js';
import { cpuCostDetails, warmThenMeasure } from '../lib/cpu.js';
import { cfsslMissing, startCfssl } from '../lib/cfssl.js';
import { publishedManifest, publisherToken } from '../lib/client.js';
import { opensslCsr } from '../lib/csr.js';
import { autocannonRun, CONNECTIONS } from '../lib/load.js';
import { bracketingLimit, trivialRouteRate } from '../lib/trivial-route.js';
import type { BenchContext } from '../run.js';

export const BENCH_SERVER = 'com.bench/tools';
export const BENCH_HOST = 'tools.bench.com';
/** A publisher with a registered server (shared with later suites). */
export async function benchRegistry(ctx: BenchContext): Promise<{ token: string; digest: string }> {
  if (!ctx.shared.registry) {
    const { token } = await publisherToken(ctx.service, `bench-registry-${Date.now()}`);
    ctx.shared.registry = { token, digest: await publishedManifest(ctx.service, token) };
  }
  return ctx.shared.registry as { token: string; digest: string };
}

/** `openssl verify` of every issued certificate against the chain (root trusted, issuing CA untrusted). */
function opensslVerifyAll(pems: string[], chainPem: string): string {
  if (pems.length === 0) return 'nothing issued';
  const blocks =
    chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length < 2) return `chain has ${blocks.length} certificates`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-verify-'));
  try {
    writeFileSync(path.join(dir, 'issuing.pem'), `${blocks[0]}\n`);
    writeFileSync(path.join(dir, 'root.pem'), `${blocks[blocks.length - 1]}\n`);
    const files = pems.map((pem, i) => {
      const f = path.join(dir, `${i}.pem`);
      writeFileSync(f, pem);
      return f;
    });
    let ok = 0;
    for (let i = 0; i < files.length; i += 500) {
      const out = execFileSync(
        'openssl',
        [
          'verify',
          '-CAfile',
          path.join(dir, 'root.pem'),
          '-untrusted',
          path.join(dir, 'issuing.pem'),
          ...files.slice(i, i + 500),
        ],
        { encoding: 'utf8' },
      );
      ok += out.split('\n').filter((l) => l.endsWith(': OK')).length;
    }
    return `${ok} OK of ${pems.length}`;
  } catch (err) {
    return `FAILED (${
      String((err as { stdout?: string }).stdout ?? err)
        .split('\n')
        .find((l) => !l.endsWith(': OK')) ?? ''
    })`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** POST /v1/ocsp throughput for one certificate (nonce-less request, as browsers and openssl -no_nonce send). */
async function ocspReads(ctx: BenchContext, serial: string, chainPem: string): Promise<void> {
  const issuing = chainPem.match(
    /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/,
  )?.[0];
  if (!issuing) return;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-ocsp-'));
  let request: Buffer;
  try {
    writeFileSync(path.join(dir, 'issuer.pem'), `${issuing}\n`);
    execFileSync(
      'openssl',
      [
        'ocsp',
        '-issuer',
        path.join(dir, 'issuer.pem'),
        '-serial',
        `0x${serial}`,
        '-no_nonce',
        '-reqout',
        path.join(dir, 'req.der'),
      ],
      { stdio: 'ignore' },
    );
    request = readFileSync(path.join(dir, 'req.der'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Not while the service still sequences the events of the issuance figure.
  await ctx.service.idle();
  const before = await trivialRouteRate(ctx.service, ctx.seconds);
  const r = await autocannonRun({
    url: `${ctx.service.url}/v1/ocsp`,
    method: 'POST',
    body: request,
    headers: { 'content-type': 'application/ocsp-request' },
    seconds: ctx.seconds,
  });
  const after = await trivialRouteRate(ctx.service, ctx.seconds);
  ctx.add({
    group: 'reads',
    name: 'POST /v1/ocsp (one CertID, no nonce)',
    figure: {
      value: r.requestsPerSecond,
      unit: 'req/s',
      how: `autocannon ${CONNECTIONS} connections`,
    },
    limit: bracketingLimit(before, after),
    details: `p50 ${r.p50} ms, p99 ${r.p99} ms, ${r.non2xx} non-2xx`,
  });
}

/** The same load against `cfssl serve` (its SQLite certdb recording every certificate). */
async function againstCfssl(
  ctx: BenchContext,
  csrPem: string,
  ours: number,
  ourLatency: string,
): Promise<void> {
  const missing = cfsslMissing();
  if (missing) {
    console.log(`skipping the cfssl peer: ${missing}`);
    return;
  }
  // The peer gets the machine as ours had it: not while our service is still busy.
  await ctx.service.idle();
  const peer = await startCfssl();
  try {
    let signed = 0;
    const r = await autocannonRun({
      url: `${peer.url}/api/v1/cfssl/sign`,
      connections: CONNECTIONS,
      seconds: ctx.seconds,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ certificate_request: csrPem }),
      onResponse: (status, body) => {
        if (status === 200 && (JSON.parse(body) as { success?: boolean }).success) signed += 1;
      },
    });
    ctx.add({
      group: 'certificates',
      name: 'issuance over HTTP vs the peer CA (cfssl serve)',
      figure: {
        value: ours,
        unit: 'certs/s',
        how: `POST /v1/certificates, autocannon ${CONNECTIONS} connections`,
      },
      limit: {
        value: r.requestsPerSecond,
        unit: 'certs/s',
        how: `POST /api/v1/cfssl/sign, autocannon ${CONNECTIONS} connections, P-256 CA`,
        name: `cfssl serve, ${peer.certdb}`,
      },
      details: `ours ${ourLatency}; cfssl p50 ${r.p50} ms, p99 ${r.p99} ms, ${r.errors} errors, ${r.non2xx} non-2xx, ${signed} signed, ${peer.recorded() ?? 'no'} rows in its certdb`,
    });
  } finally {
    await peer.stop();
  }
}

async function inProcessLeafRate(spkiDer: Uint8Array, seconds: number): Promise<number> {
  const now = new Date();
  const root = await createRootCa({
    commonName: 'Bench Root',
    organization: 'Bench',
    now,
    validityDays: 365,
  });
  const inter = await createIntermediateCa(
    { commonName: 'Bench Issuing', organization: 'Bench', now, validityDays: 365 },
    { certificate: root.certificate, privateKey: root.keys.privateKey },
  );
  const issuer = loadIssuingCa(
    inter.certificatePem,
    createPrivateKey({ key: inter.privateKeyPkcs8, format: 'der', type: 'pkcs8' }),
  );
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    await issueLeafCertificate({
      profile: 'server',
      serialHex: randomSerialHex(),
      spkiDer,
      commonName: BENCH_HOST,
      sans: { dns: [BENCH_HOST] },
      notBefore: now,
      notAfter: new Date(now.getTime() + 7 * 86_400_000),
      issuer,
      crlUrl: 'http://127.0.0.1/v1/crl',
      ocspUrl: 'http://127.0.0.1/v1/ocsp',
    });
    n += 1;
  }
  return (n * 1000) / (performance.now() - start);
}

export async function certificates(ctx: BenchContext): Promise<void> {
  const { token } = await benchRegistry(ctx);
  const csr = opensslCsr(BENCH_HOST);
  const limit = await inProcessLeafRate(parseCsr(csr.csrPem).spkiDer, Math.min(3, ctx.seconds));
  ctx.add({
    group: 'certificates',
    name: 'in-process leaf build + sign (issueLeafCertificate)',
    figure: {
      value: limit,
      unit: 'certs/s',
      how: 'DER template + node:crypto sign, one core, no HTTP or DB',
    },
    limit: ctx.limits.ecdsaSign,
  });
  const serials: string[] = [];
  const pems: string[] = [];
  let chain = '';
  const bodies: string[] = [];
  const { result: r, cores } = await warmThenMeasure(ctx, (seconds, timed) =>
    autocannonRun({
      url: `${ctx.service.url}/v1/certificates`,
      connections: CONNECTIONS,
      seconds,
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ csr: csr.csrPem, profile: 'server', subject: BENCH_SERVER }),
      ...(timed
        ? {
            onResponse: (status: number, body: string) => {
              if (status === 201) bodies.push(body);
            },
          }
        : {}),
      warmup: false,
    }),
  );
  for (const body of bodies) {
    const json = JSON.parse(body) as { serial: string; certificate: string; chain: string };
    serials.push(json.serial);
    pems.push(json.certificate);
    chain = json.chain;
  }
  const verified = opensslVerifyAll(pems, chain);
  if (serials.length > 0) await ocspReads(ctx, serials[0]!, chain);
  ctx.add({
    group: 'certificates',
    name: 'issuance over HTTP (POST /v1/certificates)',
    figure: {
      value: r.requestsPerSecond,
      unit: 'certs/s',
      how: `autocannon ${CONNECTIONS} connections, one P-256 CSR`,
    },
    limit: {
      value: limit,
      unit: 'certs/s',
      how: 'issueLeafCertificate, one core, no HTTP or DB',
      name: 'in-process leaf build + sign',
    },
    details: `p50 ${r.p50} ms, p99 ${r.p99} ms, ${r.errors} errors, ${r.non2xx} non-2xx, ${new Set(serials).size} distinct serials of ${serials.length}; openssl verify: ${verified}${cpuCostDetails('certificate', r.cpu, cores)}`,
  });
  await againstCfssl(ctx, csr.csrPem, r.requestsPerSecond, `p50 ${r.p50} ms, p99 ${r.p99} ms`);
  ctx.shared.certificateSerials = serials;
  ctx.shared.csr = csr;
}
