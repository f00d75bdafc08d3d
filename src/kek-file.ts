// Where the key-encryption key comes from: TA_KEK, or — for development only — a file generated
// into DATA_DIR with mode 0600. Production must supply its own (and keep it apart from backups
// of the database, or the encryption protects nothing).
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { parseKek } from './config.js';

export const KEK_FILE_NAME = 'kek';

/** Returns the configured KEK, or reads/creates `<dataDir>/kek`. */
export function resolveKek(
  o: { kek: Buffer | undefined; dataDir: string },
  logger: Logger,
): Buffer {
  if (o.kek) return o.kek;
  const file = path.join(o.dataDir, KEK_FILE_NAME);
  mkdirSync(o.dataDir, { recursive: true });
  try {
    writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    logger.warn(
      { file },
      'TA_KEK is not set: generated a key-encryption key in DATA_DIR. Production must set TA_KEK.',
    );
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    logger.warn(
      { file },
      'TA_KEK is not set: using the key-encryption key file in DATA_DIR. Production must set TA_KEK.',
    );
  }
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const kek = parseKek(readFileSync(file, 'utf8').trim());
  if (typeof kek === 'string') throw new Error(`${file}: ${kek}`);
  return kek;
}

/**
 * The KEK an operator command should use without ever creating one: TA_KEK, else an existing
 * `<dataDir>/kek`; undefined when there is neither (restore must not invent a key).
 */
export function readExistingKek(o: {
  kek: Buffer | undefined;
  dataDir: string;
}): { kek: Buffer; source: string } | undefined {
  if (o.kek) return { kek: o.kek, source: 'TA_KEK' };
  const file = path.join(o.dataDir, KEK_FILE_NAME);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const kek = parseKek(text.trim());
  if (typeof kek === 'string') throw new Error(`${file}: ${kek}`);
  return { kek, source: file };
}
