// Verifies an X.509 certificate the TA issued, for a relying party with trust anchors: it chains
// to an issuing CA and the root listed in the anchors (signatures and validity at `now`), neither
// the certificate nor its CA is revoked in the signed feed (or among the anchors' revoked keys).
// Takes a PEM certificate or the API's certificate response (`{serial, certificate, …}`).
import { createHash, X509Certificate } from 'node:crypto';
import type { AnchorsDocument } from '../keys/anchors.js';
import { EXIT, reject, type Verdict } from './exit-codes.js';
import type { RevocationLookup } from './revocations.js';

export interface CheckCertificateOptions {
  anchors: AnchorsDocument;
  /** From the revocation feed; without it revocation is not checked. */
  revocations?: RevocationLookup;
  now: Date;
}

export interface VerifiedCertificate {
  /** Lowercase hex of the serial's minimal octets (as the TA writes serials: `0a…`, not `a…`). */
  serial: string;
  subject: string;
  /** DNS, IP and URI SANs as the TA records them (`dns:…`, `ip:…`, `uri:…` → plain values). */
  sans: string[];
  notAfter: Date;
  /** SHA-256 of the DER, lowercase hex. */
  fingerprint: string;
  /** Kid of the issuing CA in the anchors. */
  issuerKid: string;
}

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

function certificateOf(input: unknown): X509Certificate | string {
  const pem =
    typeof input === 'string'
      ? input
      : typeof (input as { certificate?: unknown })?.certificate === 'string'
        ? (input as { certificate: string }).certificate
        : undefined;
  const block = pem === undefined ? undefined : PEM.exec(pem)?.[0];
  if (!block)
    return 'no PEM certificate (a PEM file, or a certificate response with `certificate`)';
  try {
    return new X509Certificate(block);
  } catch (err) {
    return `the certificate does not parse: ${(err as Error).message}`;
  }
}

/**
 * The serial as the TA writes it: lowercase hex of its minimal octets, so an even number of
 * digits (a serial whose first octet is below 0x10 starts with 0).
 */
function canonical(serialHex: string): string {
  const hex = serialHex.toLowerCase().replace(/^0+(?=.)/, '');
  return hex.length % 2 ? `0${hex}` : hex;
}

function within(c: X509Certificate, now: Date): boolean {
  return new Date(c.validFrom) <= now && now <= new Date(c.validTo);
}

/** The SANs of `c` as values (`DNS:a, IP Address:1.2.3.4, URI:urn:…` → `a`, `1.2.3.4`, `urn:…`). */
function sansOf(c: X509Certificate): string[] {
  return (c.subjectAltName ?? '')
    .split(/,\s*/)
    .filter(Boolean)
    .map((s) => s.slice(s.indexOf(':') + 1));
}

export function checkCertificate(
  input: unknown,
  o: CheckCertificateOptions,
): Verdict<VerifiedCertificate> {
  const leaf = certificateOf(input);
  if (typeof leaf === 'string') return reject(EXIT.certificateInvalid, 'malformed', leaf);
  const cas = o.anchors.ca_certificates.map((a) => ({ ...a, cert: new X509Certificate(a.pem) }));
  const issuer = cas.find(
    (a) => a.role === 'intermediate' && leaf.checkIssued(a.cert) && leaf.verify(a.cert.publicKey),
  );
  if (!issuer)
    return reject(
      EXIT.certificateSignature,
      'untrusted-issuer',
      `certificate ${canonical(leaf.serialNumber)} is not signed by an issuing CA the trust anchors list`,
    );
  const root = cas.find(
    (a) =>
      a.role === 'root' && issuer.cert.checkIssued(a.cert) && issuer.cert.verify(a.cert.publicKey),
  );
  if (!root)
    return reject(
      EXIT.certificateSignature,
      'untrusted-root',
      `issuing CA ${issuer.kid} does not chain to a root the trust anchors list`,
    );
  const serial = canonical(leaf.serialNumber);
  for (const [c, what] of [
    [leaf, `certificate ${serial}`],
    [issuer.cert, `issuing CA ${issuer.kid}`],
    [root.cert, `root CA ${root.kid}`],
  ] as const)
    if (!within(c, o.now))
      return reject(
        EXIT.certificateTime,
        'outside-validity',
        `${what} is valid from ${c.validFrom} to ${c.validTo}, not at ${o.now.toISOString()}`,
      );
  for (const kid of [issuer.kid, root.kid]) {
    const e = o.revocations?.get('key', kid);
    if (e || o.anchors.revoked_kids.includes(kid))
      return reject(
        EXIT.certificateRevoked,
        'ca-revoked',
        `certificate ${serial}: its CA key ${kid} is revoked${e ? ` (${e.reason}, ${e.revoked_at})` : ''}`,
      );
  }
  const revoked = o.revocations?.get('certificate', serial);
  if (revoked)
    return reject(
      EXIT.certificateRevoked,
      'revoked',
      `certificate ${serial} is revoked (${revoked.reason}, ${revoked.revoked_at})`,
    );
  return {
    ok: true,
    value: {
      serial,
      subject: leaf.subject,
      sans: sansOf(leaf),
      notAfter: new Date(leaf.validTo),
      fingerprint: createHash('sha256').update(leaf.raw).digest('hex'),
      issuerKid: issuer.kid,
    },
  };
}
