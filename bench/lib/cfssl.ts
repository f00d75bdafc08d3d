// The peer CA for the issuance benchmark: `cfssl serve` (Debian golang-cfssl) with an ECDSA
// P-256 CA made by openssl and its SQLite certdb (every certificate it signs is recorded, as the
// TA records every certificate), started on a free port and stopped after the measurement.
// cfssl does not ship the certdb schema; the two tables below are the ones its INSERTs name
// (certdb/sqlite/migrations/001_CreateCertificates.sql of cfssl 1.2).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const CERTDB_SCHEMA = `
CREATE TABLE certificates (
  serial_number blob NOT NULL, authority_key_identifier blob NOT NULL, ca_label blob,
  status blob NOT NULL, reason int, expiry timestamp, revoked_at timestamp, pem blob NOT NULL,
  PRIMARY KEY(serial_number, authority_key_identifier));
CREATE TABLE ocsp_responses (
  serial_number blob NOT NULL, authority_key_identifier blob NOT NULL, body blob NOT NULL, expiry timestamp,
  PRIMARY KEY(serial_number, authority_key_identifier),
  FOREIGN KEY(serial_number, authority_key_identifier) REFERENCES certificates(serial_number, authority_key_identifier));
`;

export interface CfsslPeer {
  url: string;
  /** "SQLite certdb" or why it runs without one. */
  certdb: string;
  /** Rows in the certdb's certificates table (null without a certdb). */
  recorded(): number | null;
  stop(): Promise<void>;
}

function which(cmd: string): boolean {
  try {
    execFileSync('which', [cmd], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Why the peer cannot run here, or null when it can. */
export function cfsslMissing(): string | null {
  if (!which('cfssl')) return 'cfssl is not installed (Debian package golang-cfssl)';
  if (!which('openssl')) return 'openssl is not installed';
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Starts `cfssl serve` with a fresh P-256 CA; resolves once it answers. */
export async function startCfssl(): Promise<CfsslPeer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-cfssl-'));
  const f = (n: string) => path.join(dir, n);
  execFileSync(
    'openssl',
    ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', f('ca-key.pem')],
    { stdio: 'ignore' },
  );
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-new',
      '-key',
      f('ca-key.pem'),
      '-sha256',
      '-days',
      '30',
      '-subj',
      '/O=Bench Peer/CN=cfssl Bench CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-out',
      f('ca.pem'),
    ],
    { stdio: 'ignore' },
  );
  // The same profile as the TA's server certificates: 7 days, digitalSignature, serverAuth,
  // CRL distribution point and OCSP URL.
  writeFileSync(
    f('config.json'),
    JSON.stringify({
      signing: {
        default: {
          expiry: '168h',
          usages: ['digital signature', 'server auth'],
          crl_url: 'http://127.0.0.1/crl',
          ocsp_url: 'http://127.0.0.1/ocsp',
        },
      },
    }),
  );
  let certdb = 'SQLite certdb';
  let dbArgs: string[] = [];
  if (which('sqlite3')) {
    execFileSync('sqlite3', [f('certdb.sqlite')], { input: CERTDB_SCHEMA });
    writeFileSync(
      f('db.json'),
      JSON.stringify({ driver: 'sqlite3', data_source: f('certdb.sqlite') }),
    );
    dbArgs = ['-db-config', f('db.json')];
  } else {
    certdb = 'no certdb (sqlite3 CLI missing to create its schema)';
  }
  const port = await freePort();
  const child: ChildProcess = spawn(
    'cfssl',
    [
      'serve',
      '-address',
      '127.0.0.1',
      '-port',
      String(port),
      '-ca',
      f('ca.pem'),
      '-ca-key',
      f('ca-key.pem'),
      '-config',
      f('config.json'),
      '-loglevel',
      '5',
      ...dbArgs,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`cfssl exited: ${stderr}`);
    try {
      await fetch(`${url}/api/v1/cfssl/health`);
      break;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`cfssl not ready in 15 s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    certdb,
    recorded: () =>
      dbArgs.length
        ? Number(
            // Waits (up to 10 s) for cfssl's own writes still in flight when the load stopped.
            execFileSync(
              'sqlite3',
              ['-cmd', '.timeout 10000', f('certdb.sqlite'), 'select count(*) from certificates'],
              { encoding: 'utf8' },
            ).trim(),
          )
        : null,
    stop: async () => {
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
