// Key files of the CLI: P-256 private keys as PKCS#8 PEM (mode 0600, never overwritten) with the
// public JWK beside them, made and read with node:crypto.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { jwkThumbprint, toPublicJwk, type EcPublicJwk } from '../crypto/jwk.js';
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
  if (jwk.crv !== 'P-256') throw new CliError(CLIENT_EXIT.keyFile, `${file} is a ${jwk.crv} key; MCPS keys are P-256: make one with mcps-ta key new`);
  return { file, privateKey, publicKey, jwk, kid: jwkThumbprint(jwk) };
}

/** Makes a new P-256 key and writes it to `file` (PKCS#8 PEM, 0600) and its public JWK beside it. */
export function newKeyFile(file: string): KeyPair {
  if (existsSync(file)) throw new CliError(CLIENT_EXIT.keyFile, `${file} exists: keys are never overwritten — choose another file or remove it yourself`);
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  try {
    writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    throw new CliError(CLIENT_EXIT.keyFile, `cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const pair = pairOf(file, privateKey);
  writeFileSync(jwkFileOf(file), `${JSON.stringify({ ...pair.jwk, kid: pair.kid, alg: 'ES256', use: 'sig' }, null, 2)}\n`);
  return pair;
}

/** Reads a P-256 private key (PKCS#8 or SEC1 PEM). */
export function readKeyFile(file: string, warn?: (line: string) => void): KeyPair {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(CLIENT_EXIT.keyFile, `cannot read key ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'}): pass --key FILE, or make one with mcps-ta key new --out FILE`);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new CliError(CLIENT_EXIT.keyFile, `${file} is not a PEM private key: make one with mcps-ta key new --out FILE`);
  }
  if (key.asymmetricKeyType !== 'ec') throw new CliError(CLIENT_EXIT.keyFile, `${file} is not an EC key; MCPS keys are P-256`);
  if (warn && (statSync(file).mode & 0o077) !== 0) warn(`warning: ${file} is readable by other users: chmod 600 ${file}`);
  return pairOf(file, key);
}
