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

function ocspStatus(der: ArrayBuffer): 'good' | 'revoked' | 'unknown' | 'error' {
  const resp = pkijs.OCSPResponse.fromBER(der);
  if (!resp.responseBytes) return 'error';
  const basic = pkijs.BasicOCSPResponse.fromBER(resp.responseBytes.response.valueBlock.valueHexView.slice().buffer as ArrayBuffer);
  const tag = (basic.tbsResponseData.responses[0]!.certStatus as asn1js.BaseBlock).idBlock.tagNumber;
  return tag === 0 ? 'good' : tag === 1 ? 'revoked' : 'unknown';
}

export async function propagation(ctx: BenchContext): Promise<void> {
  const rtt = await roundTripMs(ctx.service.url);
  const limit = { value: rtt, unit: 'ms', how: 'sequential GET /healthz, mean of 50', name: 'one HTTP round trip' };

  // Passport → /api/verify
  const { token } = await publisherToken(ctx.service, `bench-propagation-${Date.now()}`);
  const issuer = (await (await fetch(`${ctx.service.url}/.well-known/mcps-trust-authority`)).json()).issuer as string;
  const p = await issuePassport(ctx.service, token, issuer, 'bench-propagation');
  await call(ctx.service, 'POST', `/v1/passports/${p.passportId}/revoke`, { token, body: { reason: 'keyCompromise' } });
  const statusMs = await until(async () => (await call(ctx.service, 'GET', `/api/verify/${p.passportId}`)).json.status === 'REVOKED');
  ctx.add({ group: 'propagation', name: 'revoke passport → /api/verify REVOKED', figure: { value: statusMs, unit: 'ms', how: 'poll every 5 ms' }, limit, lowerIsBetter: true });

  // Certificate → OCSP and CRL
  const reg = await benchRegistry(ctx);
  const csr = opensslCsr(BENCH_HOST);
  const cert = await call(ctx.service, 'POST', '/v1/certificates', { token: reg.token, body: { csr: csr.csrPem, profile: 'server', subject: BENCH_SERVER } });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-ocsp-'));
  let ocspRequest: Buffer;
  try {
    const issuing = cert.json.chain.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/)![0];
    writeFileSync(path.join(dir, 'issuer.pem'), `${issuing}\n`);
    execFileSync('openssl', ['ocsp', '-issuer', path.join(dir, 'issuer.pem'), '-serial', `0x${cert.json.serial}`, '-no_nonce', '-reqout', path.join(dir, 'req.der')], { stdio: 'ignore' });
    ocspRequest = readFileSync(path.join(dir, 'req.der'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const revokedAt = performance.now();
  await call(ctx.service, 'POST', `/v1/certificates/${cert.json.serial}/revoke`, { token: reg.token, body: { reason: 'keyCompromise' } });
  const afterRevoke = performance.now() - revokedAt;
  const ocspMs = await until(async () => {
    const res = await fetch(`${ctx.service.url}/v1/ocsp`, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: new Uint8Array(ocspRequest) });
    return ocspStatus(await res.arrayBuffer()) === 'revoked';
  });
  const crlMs = await until(async () => {
    const der = await (await fetch(`${ctx.service.url}/v1/crl`)).arrayBuffer();
    const crl = new x509.X509Crl(der);
    return crl.entries.some((e) => e.serialNumber.toLowerCase().replace(/^0+/, '') === cert.json.serial.replace(/^0+/, ''));
  });
  ctx.add({ group: 'propagation', name: 'revoke certificate → OCSP revoked', figure: { value: ocspMs, unit: 'ms', how: 'poll every 5 ms' }, limit, lowerIsBetter: true, details: `revoke call itself ${afterRevoke.toFixed(1)} ms` });
  ctx.add({ group: 'propagation', name: 'revoke certificate → listed in GET /v1/crl', figure: { value: crlMs, unit: 'ms', how: 'poll every 5 ms, parse DER' }, limit, lowerIsBetter: true });
}
