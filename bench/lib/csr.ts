// A P-256 CSR made by openssl (the way a publisher would make one), for issuance benchmarks.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function opensslCsr(dnsName: string): { csrPem: string; keyPem: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-csr-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-new',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        path.join(dir, 'k.pem'),
        '-out',
        path.join(dir, 'r.csr'),
        '-subj',
        '/CN=bench',
        '-addext',
        `subjectAltName=DNS:${dnsName}`,
      ],
      { stdio: 'ignore' },
    );
    return {
      csrPem: readFileSync(path.join(dir, 'r.csr'), 'utf8'),
      keyPem: readFileSync(path.join(dir, 'k.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
