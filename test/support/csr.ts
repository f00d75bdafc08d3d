// CSRs and keys made by openssl, and temporary files for openssl to read (certificate tests).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { recordPrivateKeyPem } from './secrets-ledger.js';

export type KeyAlg =
  'P-256' | 'P-384' | 'P-521' | 'ed25519' | 'rsa2048' | 'rsa3072' | 'P-256-explicit';

/** Keys openssl req cannot make itself: an EC key with explicit curve parameters (RFC 3279 specifiedCurve). */
const ECPARAM: Partial<Record<KeyAlg, string>> = { 'P-256-explicit': 'prime256v1' };

const NEWKEY: Record<Exclude<KeyAlg, 'P-256-explicit'>, string[]> = {
  'P-256': ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  'P-384': ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'],
  'P-521': ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-521'],
  ed25519: ['-newkey', 'ed25519'],
  rsa2048: ['-newkey', 'rsa:2048'],
  rsa3072: ['-newkey', 'rsa:3072'],
};

export interface Csr {
  csrPem: string;
  keyPem: string;
  keyFile: string;
}

const workDir = mkdtempSync(path.join(os.tmpdir(), 'csr-'));
process.on('exit', () => rmSync(workDir, { recursive: true, force: true }));
let counter = 0;

/** A CSR made by openssl with a fresh key; `san` like "DNS:a.example,URI:urn:x". */
export function makeCsr(
  alg: KeyAlg,
  o: { san?: string; digest?: string; keyFile?: string } = {},
): Csr {
  counter += 1;
  const keyFile = o.keyFile ?? path.join(workDir, `key-${counter}.pem`);
  const csrFile = path.join(workDir, `req-${counter}.csr`);
  const curve = ECPARAM[alg];
  if (curve && !o.keyFile) {
    const k = spawnSync(
      'openssl',
      ['ecparam', '-name', curve, '-param_enc', 'explicit', '-genkey', '-noout', '-out', keyFile],
      { encoding: 'utf8' },
    );
    if (k.status !== 0) throw new Error(`openssl ecparam failed: ${k.stderr}`);
  }
  const keyArgs =
    o.keyFile || curve
      ? ['-key', keyFile]
      : [...NEWKEY[alg as keyof typeof NEWKEY], '-nodes', '-keyout', keyFile];
  const args = ['req', '-new', ...keyArgs, '-subj', '/CN=requested', '-out', csrFile];
  if (o.san) args.push('-addext', `subjectAltName=${o.san}`);
  if (o.digest) args.push(`-${o.digest}`);
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl req failed: ${r.stderr}`);
  const keyPem = readFileSync(keyFile, 'utf8');
  recordPrivateKeyPem(keyPem, 'CSR private key');
  return { csrPem: readFileSync(csrFile, 'utf8'), keyPem, keyFile };
}

/** Writes `content` to a fresh file in the work directory; returns its path. */
export function tempFile(name: string, content: string | Uint8Array): string {
  counter += 1;
  const file = path.join(workDir, `${counter}-${name}`);
  writeFileSync(file, content);
  return file;
}

/** The two certificates of /v1/trust/ca.pem, written as root.pem and issuing.pem. */
export function caFiles(caPem: string): { root: string; issuing: string; chain: string } {
  const pems = caPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (pems.length !== 2)
    throw new Error(`expected root and intermediate, got ${pems.length} certificates`);
  return {
    root: tempFile('root.pem', `${pems[0]}\n`),
    issuing: tempFile('issuing.pem', `${pems[1]}\n`),
    chain: tempFile('chain.pem', caPem),
  };
}
