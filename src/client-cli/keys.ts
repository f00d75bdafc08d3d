// Key files of the CLI: P-256 private keys as PKCS#8 PEM (mode 0600, never overwritten) with the
// public JWK beside them, made and read with node:crypto.
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { jwkThumbprint, toPublicJwk, type EcPublicJwk } from '../crypto/jwk.js';
import { writeFileAtomic } from './config-store.js';
import { CLIENT_EXIT, CliError } from './exit-codes.js';

export interface KeyPair {
  file: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  jwk: EcPublicJwk;
  /** RFC 7638 thumbprint of the public key. */
  kid: string;
}

/** The JWK file written beside a key file: agent.key → agent.jwk, agent → agent.jwk. */
export function jwkFileOf(keyFile: string): string {
  const ext = path.extname(keyFile);
  return `${ext ? keyFile.slice(0, -ext.length) : keyFile}.jwk`;
}

function pairOf(file: string, privateKey: KeyObject): KeyPair {
  const publicKey = createPublicKey(privateKey);
  const jwk = toPublicJwk(publicKey);
  if (jwk.crv !== 'P-256')
    throw new CliError(
      CLIENT_EXIT.keyFile,
      `${file} is a ${jwk.crv} key; MCPS keys are P-256: make one with mcps-ta key new`,
    );
  return { file, privateKey, publicKey, jwk, kid: jwkThumbprint(jwk) };
}

/** Refuses when `file` exists: keys are never overwritten. */
export function assertNoKeyFile(file: string): void {
  if (existsSync(file))
    throw new CliError(
      CLIENT_EXIT.keyFile,
      `${file} exists: keys are never overwritten — choose another file or remove it yourself`,
    );
}

/** A new P-256 key in memory, to be written to `file` (writeKeyFile) once it is wanted. */
export function generateKey(file: string): KeyPair {
  return pairOf(file, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
}

/** Writes a key to its file (PKCS#8 PEM, 0600, never over an existing file) and its public JWK beside it. */
export function writeKeyFile(pair: KeyPair, o: { replace?: boolean } = {}): void {
  const pem = pair.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  try {
    if (o.replace) writeFileAtomic(pair.file, pem, 0o600);
    else writeFileSync(pair.file, pem, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(
      CLIENT_EXIT.keyFile,
      code === 'EEXIST'
        ? `${pair.file} exists: keys are never overwritten — choose another file or remove it yourself`
        : `cannot write ${pair.file}: ${code ?? (err as Error).message}`,
    );
  }
  writeFileAtomic(
    jwkFileOf(pair.file),
    `${JSON.stringify({ ...pair.jwk, kid: pair.kid, alg: 'ES256', use: 'sig' }, null, 2)}\n`,
  );
}

/** Makes a new P-256 key and writes it to `file` (PKCS#8 PEM, 0600) and its public JWK beside it. */
export function newKeyFile(file: string): KeyPair {
  assertNoKeyFile(file);
  const pair = generateKey(file);
  writeKeyFile(pair);
  return pair;
}

/** Reads a P-256 private key (PKCS#8 or SEC1 PEM). */
export function readKeyFile(file: string, warn?: (line: string) => void): KeyPair {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(
      CLIENT_EXIT.keyFile,
      `cannot read key ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'}): pass --key FILE, or make one with mcps-ta key new --out FILE`,
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new CliError(
      CLIENT_EXIT.keyFile,
      `${file} is not a PEM private key: make one with mcps-ta key new --out FILE`,
    );
  }
  if (key.asymmetricKeyType !== 'ec')
    throw new CliError(CLIENT_EXIT.keyFile, `${file} is not an EC key; MCPS keys are P-256`);
  if (warn && (statSync(file).mode & 0o077) !== 0)
    warn(`warning: ${file} is readable by other users: chmod 600 ${file}`);
  return pairOf(file, key);
}
