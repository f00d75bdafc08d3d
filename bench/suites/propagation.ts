// Revocation propagation: time from the revoke call's response until the revocation is visible
// on the MCPS status endpoint (passport), in OCSP and in the published CRL (certificate). Limit:
// one sequential round trip to the trivial route, measured just before.
import type * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { x509 } from '../../src/crypto/x509/setup.js';
import { call, issuePassport, publisherToken } from '../lib/client.js';
import { opensslCsr } from '../lib/csr.js';
import { startServiceProcess, type ServiceProcess } from '../lib/service-process.js';
import type { BenchContext } from '../run.js';
import { BENCH_HOST, BENCH_SERVER, benchRegistry } from './certificates.js';

async function roundTripMs(url: string): Promise<number> {
  const n = 50;
  const start = performance.now();
  for (let i = 0; i < n; i += 1) await (await fetch(`${url}/healthz`)).arrayBuffer();
  return (performance.now() - start) / n;
}

/** Polls `check` every 5 ms until it returns true; ms from the start. */
async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < timeoutMs) {
    if (await check()) return performance.now() - start;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('revocation did not propagate within 10 s');
}

/** Follows the feed's pages until the end; true when one names `subject`. */
async function feedHas(reader: ServiceProcess, subject: string): Promise<boolean> {
  let since = 0;
  for (let i = 0; i < 100; i += 1) {
    const page = (await call(reader, 'GET', `/v1/revocations?since=${since}`)).json;
    if (JSON.stringify(page.revocations ?? []).includes(subject)) return true;
    if (!page.has_more) return false;
    since = page.next_since;
  }
  return false;
}

function ocspStatus(der: ArrayBuffer): 'good' | 'revoked' | 'unknown' | 'error' {
  const resp = pkijs.OCSPResponse.fromBER(der);
  if (!resp.responseBytes) return 'error';
  const basic = pkijs.BasicOCSPResponse.fromBER(
    resp.responseBytes.response.valueBlock.valueHexView.slice().buffer as ArrayBuffer,
  );
  const tag = (basic.tbsResponseData.responses[0]!.certStatus as asn1js.BaseBlock).idBlock
    .tagNumber;
  return tag === 0 ? 'good' : tag === 1 ? 'revoked' : 'unknown';
}

/**
 * On PostgreSQL the reads go to a second service instance on the same database (revoke on one,
 * read from the other: the caches must hear of it by NOTIFY); on PGlite to the same one.
 */
export async function propagation(ctx: BenchContext): Promise<void> {
  let reader: ServiceProcess = ctx.service;
  let other: ServiceProcess | undefined;
  if (ctx.serviceDatabaseUrl) {
    other = await startServiceProcess(ctx.serviceDatabaseUrl, {
      kek: ctx.service.kek,
      extraEnv: {
        TA_WORKERS: '1',
        TA_PUBLIC_URL: ctx.service.url,
        TA_ADMIN_TOKEN: ctx.service.adminToken,
      },
    });
    reader = other;
  }
  try {
    await measure(
      ctx,
      reader,
      other
        ? 'another instance (its own process, same PostgreSQL; revoked through the first)'
        : 'the same instance',
    );
  } finally {
    await other?.stop();
  }
}

async function measure(ctx: BenchContext, reader: ServiceProcess, where: string): Promise<void> {
  const rtt = await roundTripMs(reader.url);
  const limit = {
    value: rtt,
    unit: 'ms',
    how: 'sequential GET /healthz, mean of 50',
    name: 'one HTTP round trip',
  };

  // Passport → /api/verify
  const { token } = await publisherToken(ctx.service, `bench-propagation-${Date.now()}`);
  const issuer = (await (await fetch(`${ctx.service.url}/.well-known/mcps-trust-authority`)).json())
    .issuer as string;
  const p = await issuePassport(ctx.service, token, issuer, 'bench-propagation');
  // Warm the reader's caches with the VALID views first: the revocation must replace them.
  await call(reader, 'GET', `/api/verify/${p.passportId}`);
  await call(reader, 'GET', '/api/crl');
  const feedSince = 0;
  await call(reader, 'GET', `/v1/revocations?since=${feedSince}`);
  await call(ctx.service, 'POST', `/v1/passports/${p.passportId}/revoke`, {
    token,
    body: { reason: 'keyCompromise' },
  });
  const t0 = performance.now();
  const statusMs = await until(
    async () =>
      (await call(reader, 'GET', `/api/verify/${p.passportId}`)).json.status === 'REVOKED',
  );
  const listMs = await until(async () =>
    JSON.stringify((await call(reader, 'GET', '/api/crl')).json).includes(p.passportId!),
  ).then(() => performance.now() - t0);
  const feedMs = await until(async () => await feedHas(reader, p.passportId!)).then(
    () => performance.now() - t0,
  );
  ctx.add({
    group: 'propagation',
    name: 'revoke passport → /api/verify REVOKED',
    figure: { value: statusMs, unit: 'ms', how: `poll every 5 ms, read from ${where}` },
    limit,
    lowerIsBetter: true,
    details: `read from ${where}`,
  });
  ctx.add({
    group: 'propagation',
    name: 'revoke passport → listed in /api/crl',
    figure: { value: listMs, unit: 'ms', how: `since the revoke response, read from ${where}` },
    limit,
    lowerIsBetter: true,
    details: `read from ${where}`,
  });
  ctx.add({
    group: 'propagation',
    name: 'revoke passport → in the revocation feed',
    figure: { value: feedMs, unit: 'ms', how: `since the revoke response, read from ${where}` },
    limit,
    lowerIsBetter: true,
    details: `read from ${where}`,
  });

  // Certificate → OCSP and CRL
  const reg = await benchRegistry(ctx);
  const csr = opensslCsr(BENCH_HOST);
  const cert = await call(ctx.service, 'POST', '/v1/certificates', {
    token: reg.token,
    body: { csr: csr.csrPem, profile: 'server', subject: BENCH_SERVER },
  });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-ocsp-'));
  let ocspRequest: Buffer;
  try {
    const issuing = cert.json.chain.match(
      /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/,
    )![0];
    writeFileSync(path.join(dir, 'issuer.pem'), `${issuing}\n`);
    execFileSync(
      'openssl',
      [
        'ocsp',
        '-issuer',
        path.join(dir, 'issuer.pem'),
        '-serial',
        `0x${cert.json.serial}`,
        '-no_nonce',
        '-reqout',
        path.join(dir, 'req.der'),
      ],
      { stdio: 'ignore' },
    );
    ocspRequest = readFileSync(path.join(dir, 'req.der'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Warm the reader's OCSP cache with the good answer first.
  await fetch(`${reader.url}/v1/ocsp`, {
    method: 'POST',
    headers: { 'content-type': 'application/ocsp-request' },
    body: new Uint8Array(ocspRequest),
  });
  const revokedAt = performance.now();
  await call(ctx.service, 'POST', `/v1/certificates/${cert.json.serial}/revoke`, {
    token: reg.token,
    body: { reason: 'keyCompromise' },
  });
  const afterRevoke = performance.now() - revokedAt;
  const ocspMs = await until(async () => {
    const res = await fetch(`${reader.url}/v1/ocsp`, {
      method: 'POST',
      headers: { 'content-type': 'application/ocsp-request' },
      body: new Uint8Array(ocspRequest),
    });
    return ocspStatus(await res.arrayBuffer()) === 'revoked';
  });
  const crlMs = await until(async () => {
    const der = await (await fetch(`${reader.url}/v1/crl`)).arrayBuffer();
    const crl = new x509.X509Crl(der);
    return crl.entries.some(
      (e) =>
        e.serialNumber.toLowerCase().replace(/^0+/, '') === cert.json.serial.replace(/^0+/, ''),
    );
  });
  ctx.add({
    group: 'propagation',
    name: 'revoke certificate → OCSP revoked',
    figure: { value: ocspMs, unit: 'ms', how: `poll every 5 ms, read from ${where}` },
    limit,
    lowerIsBetter: true,
    details: `revoke call itself ${afterRevoke.toFixed(1)} ms; read from ${where}`,
  });
  ctx.add({
    group: 'propagation',
    name: 'revoke certificate → listed in GET /v1/crl',
    figure: { value: crlMs, unit: 'ms', how: `poll every 5 ms, parse DER, read from ${where}` },
    limit,
    lowerIsBetter: true,
    details: `read from ${where}`,
  });
}
