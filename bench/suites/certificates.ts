// Certificate issuance over HTTP (POST /v1/certificates: CSR checks, subject policy, serial,
// build + sign, row + audit event) against the same-run limit of building and signing the same
// leaf certificate in-process with no HTTP and no database.
import { createPrivateKey } from 'node:crypto';
import { randomSerialHex } from '../../src/crypto/serial.js';
import { createIntermediateCa, createRootCa } from '../../src/crypto/x509/ca-certificates.js';
import { parseCsr } from '../../src/crypto/x509/csr.js';
import { loadIssuingCa } from '../../src/crypto/x509/issuing-ca.js';
import { issueLeafCertificate } from '../../src/crypto/x509/leaf-certificate.js';
import { call, publishedManifest, publisherToken } from '../lib/client.js';
import { opensslCsr } from '../lib/csr.js';
import { closedLoop } from '../lib/load.js';
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

async function inProcessLeafRate(spkiDer: Uint8Array, seconds: number): Promise<number> {
  const now = new Date();
  const root = await createRootCa({ commonName: 'Bench Root', organization: 'Bench', now, validityDays: 365 });
  const inter = await createIntermediateCa({ commonName: 'Bench Issuing', organization: 'Bench', now, validityDays: 365 }, { certificate: root.certificate, privateKey: root.keys.privateKey });
  const issuer = loadIssuingCa(inter.certificatePem, createPrivateKey({ key: inter.privateKeyPkcs8, format: 'der', type: 'pkcs8' }));
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
  const serials: string[] = [];
  const r = await closedLoop({
    concurrency: 16,
    seconds: ctx.seconds,
    op: async () => {
      const res = await call(ctx.service, 'POST', '/v1/certificates', { token, body: { csr: csr.csrPem, profile: 'server', subject: BENCH_SERVER } });
      if (res.status === 201) serials.push(res.json.serial);
      return res.status === 201;
    },
  });
  ctx.add({
    group: 'certificates',
    name: 'issuance over HTTP (POST /v1/certificates)',
    figure: { value: r.requestsPerSecond, unit: 'certs/s', how: '16 concurrent clients, one P-256 CSR' },
    limit: { value: limit, unit: 'certs/s', how: '@peculiar/x509 build + sign, one core, no HTTP or DB', name: 'in-process leaf build + sign' },
    details: `p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ${r.errors} errors, ${new Set(serials).size} distinct serials of ${serials.length}`,
  });
  ctx.shared.certificateSerials = serials;
  ctx.shared.csr = csr;
}
