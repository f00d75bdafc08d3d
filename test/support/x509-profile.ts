// The leaf-certificate subject rule, checked by openssl over every certificate a test issued:
// at least one subjectAltName, and the subject CN, when present, is one of the SANs (CA/Browser
// Forum Baseline Requirements §7.1.4.3; issue 11). startTestService's stop() runs it over every
// row of the certificates table, so every certificate the suite issues through the service is
// checked; tests that build leaves directly call it themselves.
import { spawnSync } from 'node:child_process';
import { isIP } from 'node:net';
import { tempFile } from './csr.js';

export interface CertificateNames {
  /** The subject as openssl prints it. */
  subject: string;
  /** CN values of the subject. */
  commonNames: string[];
  /** SANs as openssl prints them: `DNS:…`, `IP Address:…`, `URI:…`. */
  sans: string[];
}

/** Canonical IP text (IPv6 compressed, lowercase), or undefined. */
function canonicalIp(value: string): string | undefined {
  const kind = isIP(value);
  if (kind === 0) return undefined;
  return new URL(kind === 6 ? `http://[${value}]/` : `http://${value}/`).hostname.replace(
    /^\[|\]$/g,
    '',
  );
}

/** The value a SAN names, in the form a CN would carry it. */
function sanValue(san: string): string {
  const [type, ...rest] = san.split(':');
  const value = rest.join(':');
  if (type === 'IP Address') return canonicalIp(value) ?? value;
  if (type === 'DNS') return value.toLowerCase();
  return value;
}

/** Subject and SANs of each PEM certificate, read by one `openssl storeutl -text` run. */
export function opensslNames(pems: string[]): CertificateNames[] {
  if (pems.length === 0) return [];
  const file = tempFile('issued.pem', pems.map((p) => p.trim()).join('\n') + '\n');
  const r = spawnSync('openssl', ['storeutl', '-noout', '-text', '-certs', file], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`openssl storeutl failed: ${r.stderr}`);
  const blocks = r.stdout.split(/^\d+: Certificate\n/m).slice(1);
  if (blocks.length !== pems.length)
    throw new Error(`openssl read ${blocks.length} certificates of ${pems.length}`);
  return blocks.map((b) => {
    const subject = /^\s+Subject: ?(.*)$/m.exec(b)?.[1] ?? '';
    const commonNames = subject
      .split(/, (?=[A-Za-z.0-9]+ ?= ?)/)
      .map((rdn) => /^CN ?= ?(.*)$/.exec(rdn.trim())?.[1])
      .filter((v): v is string => v !== undefined);
    const sanLine = /X509v3 Subject Alternative Name: ?(?:critical)?\n\s+(.*)\n/.exec(b)?.[1] ?? '';
    const sans = sanLine ? sanLine.split(', ') : [];
    return { subject, commonNames, sans };
  });
}

/** Throws naming every certificate that has no SAN, or a CN that is not one of its SANs. */
export function assertCnInSans(pems: string[], where: string): CertificateNames[] {
  const names = opensslNames(pems);
  const bad = names.filter((n) => {
    const values = n.sans.map((s) => sanValue(s).toLowerCase());
    return (
      n.sans.length === 0 ||
      n.commonNames.length > 1 ||
      n.commonNames.some((cn) => !values.includes(canonicalIp(cn) ?? cn.toLowerCase()))
    );
  });
  if (bad.length > 0) {
    throw new Error(
      `${where}: ${bad.length} of ${names.length} certificates break "CN ∈ SANs": ${bad.map((n) => `[subject ${n.subject} | SAN ${n.sans.join(', ')}]`).join(' ')}`,
    );
  }
  return names;
}
