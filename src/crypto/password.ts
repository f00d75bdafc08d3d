// Password hashing for admin accounts: scrypt (RFC 7914) from node:crypto with a random salt,
// stored as a PHC-style string `$scrypt$ln=15,r=8,p=1$<salt>$<hash>` so the cost can be raised
// later without invalidating existing hashes (verification reads the parameters from the string).
import {
  randomBytes,
  scrypt as scryptCallback,
  timingSafeEqual,
  type ScryptOptions,
} from 'node:crypto';

/**
 * Cost of new hashes: N = 2^15, r = 8, p = 3 — one of the OWASP Password Storage equivalents
 * of N = 2^17, p = 1, with 32 MiB of memory instead of 128 MiB (~0.2 s on one core here).
 */
export const SCRYPT_COST = { ln: 15, r: 8, p: 3 } as const;

const SALT_BYTES = 16;
const KEY_BYTES = 32;
const PHC = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

function scrypt(
  password: string,
  salt: Buffer,
  keyLength: number,
  o: ScryptOptions,
): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(password.normalize('NFC'), salt, keyLength, o, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

function options(ln: number, r: number, p: number): ScryptOptions {
  const N = 2 ** ln;
  // Node refuses when 128·N·r reaches maxmem; its default (32 MiB) is exactly our cost.
  return { N, r, p, maxmem: 128 * N * r * 2 };
}

/** Hashes a password with a fresh 128-bit salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const { ln, r, p } = SCRYPT_COST;
  const key = await scrypt(password, salt, KEY_BYTES, options(ln, r, p));
  return `$scrypt$ln=${ln},r=${r},p=${p}$${salt.toString('base64').replace(/=+$/, '')}$${key.toString('base64').replace(/=+$/, '')}`;
}

/** True when `password` matches `stored`; constant-time in the hash comparison. False for malformed hashes. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = PHC.exec(stored);
  if (!m) return false;
  const [ln, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (ln < 10 || ln > 20 || r < 1 || p < 1) return false;
  const salt = Buffer.from(m[4]!, 'base64');
  const expected = Buffer.from(m[5]!, 'base64');
  const key = await scrypt(password, salt, expected.length, options(ln, r, p));
  return key.length === expected.length && timingSafeEqual(key, expected);
}

let dummyHash: Promise<string> | undefined;
/**
 * A valid hash of an unguessable password: sign-in verifies against it when the username is
 * unknown, so an unknown user costs as much time as a wrong password.
 */
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(32).toString('hex'));
  return dummyHash;
}
