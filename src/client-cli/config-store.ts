// Where `mcps-ta` keeps what it trusts and who it is: $MCPS_TA_CONFIG, else
// $XDG_CONFIG_HOME/mcps-ta, else ~/.config/mcps-ta. The directory is 0700; the token and private
// keys are 0600. Every file is written whole (temporary file + rename), never half.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import type { AnchorsDocument } from '../keys/anchors.js';
import { CLIENT_EXIT, CliError } from './exit-codes.js';

export interface TaConfig {
  ta_url: string;
  /** The TA's name (`issuer`), from its discovery document. */
  issuer: string;
  /** Hex SHA-256 of the root CA certificate (DER) pinned at bootstrap. */
  root_sha256: string;
  bootstrapped_at: string;
}

/** A passport this CLI requested or rotated, and the key file that holds its private key. */
export interface KnownPassport {
  passport_id: string;
  key_file: string;
  subject_type: 'agent' | 'server';
  name: string;
  superseded_by?: string;
}

export function configDir(env: Record<string, string | undefined>): string {
  if (env.MCPS_TA_CONFIG) return path.resolve(env.MCPS_TA_CONFIG);
  return path.join(env.XDG_CONFIG_HOME || path.join(env.HOME || '.', '.config'), 'mcps-ta');
}

/** Writes `content` to `file` atomically with `mode`. */
export function writeFileAtomic(file: string, content: string | Uint8Array, mode = 0o644): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, content, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, file);
}

export interface ConfigStore {
  dir: string;
  /** The TA configuration; throws "run bootstrap" when there is none. */
  ta(): TaConfig;
  anchors(): AnchorsDocument;
  anchorsFile(): string;
  rootPem(): string;
  cacheDir(): string;
  /** The stored API token; throws "run login" when there is none. */
  token(): string;
  saveToken(token: string): void;
  /** Forgets the stored token (a token belongs to one TA). */
  removeToken(): void;
  /** The TA configuration, or undefined before the first bootstrap. */
  current(): TaConfig | undefined;
  passports(): Record<string, KnownPassport>;
  savePassport(p: KnownPassport): void;
  /** Stores a bootstrap's result: root.pem, anchors.json, then config.json (the commit point). */
  saveBootstrap(c: TaConfig, rootPem: string, anchors: AnchorsDocument): void;
}

export function openConfigStore(env: Record<string, string | undefined>): ConfigStore {
  const dir = configDir(env);
  const file = (name: string) => path.join(dir, name);
  const ensureDir = () => {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
  };
  const readJson = <T>(name: string): T | undefined => {
    if (!existsSync(file(name))) return undefined;
    try {
      return JSON.parse(readFileSync(file(name), 'utf8')) as T;
    } catch {
      throw new CliError(
        CLIENT_EXIT.file,
        `${file(name)} is not JSON: remove it and run mcps-ta bootstrap again`,
      );
    }
  };
  const ta = (): TaConfig => {
    const c = readJson<TaConfig>('config.json');
    if (!c)
      throw new CliError(
        CLIENT_EXIT.notBootstrapped,
        `no TA configured in ${dir}: run mcps-ta bootstrap --ta URL --fingerprint SHA256 first`,
      );
    return c;
  };
  return {
    dir,
    ta,
    anchors: () => {
      ta();
      const a = readJson<AnchorsDocument>('anchors.json');
      if (!a)
        throw new CliError(
          CLIENT_EXIT.notBootstrapped,
          `${file('anchors.json')} is missing: run mcps-ta bootstrap again`,
        );
      return a;
    },
    anchorsFile: () => file('anchors.json'),
    rootPem: () => readFileSync(file('root.pem'), 'utf8'),
    cacheDir: () => file('cache'),
    token: () => {
      if (env.MCPS_TA_TOKEN) return env.MCPS_TA_TOKEN;
      if (!existsSync(file('token')))
        throw new CliError(
          CLIENT_EXIT.unauthenticated,
          'no API token: run mcps-ta login --token TOKEN (a publisher token from your TA admin), or set MCPS_TA_TOKEN',
        );
      return readFileSync(file('token'), 'utf8').trim();
    },
    saveToken: (token) => {
      ensureDir();
      writeFileAtomic(file('token'), `${token}\n`, 0o600);
    },
    removeToken: () => rmSync(file('token'), { force: true }),
    current: () => readJson<TaConfig>('config.json'),
    passports: () => readJson<Record<string, KnownPassport>>('passports.json') ?? {},
    savePassport: (p) => {
      ensureDir();
      const all = readJson<Record<string, KnownPassport>>('passports.json') ?? {};
      all[p.passport_id] = p;
      writeFileAtomic(file('passports.json'), `${JSON.stringify(all, null, 2)}\n`, 0o600);
    },
    saveBootstrap: (c, rootPem, anchors) => {
      ensureDir();
      writeFileAtomic(file('root.pem'), rootPem);
      writeFileAtomic(file('anchors.json'), `${JSON.stringify(anchors, null, 2)}\n`);
      writeFileAtomic(file('config.json'), `${JSON.stringify(c, null, 2)}\n`);
    },
  };
}
