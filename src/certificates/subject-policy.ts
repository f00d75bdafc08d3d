// The subject rules of the two profiles: whom a certificate may name, and which subjectAltNames
// it carries. The CSR may ask for SANs, but only ones the subject owns; the certificate always
// carries exactly the subject's names, whatever else the CSR says. The subject CN is one of those
// SANs (CA/Browser Forum BR §7.1.4.3): the origin host for servers, the passport URN for clients;
// a server's registry name is not a SAN and goes in the OU.
import { isIP } from 'node:net';
import { toPublicJwk, jwkThumbprint } from '../crypto/jwk.js';
import type { ParsedCsr, RequestedSans } from '../crypto/x509/csr.js';
import type { CertificateProfile, LeafSans } from '../crypto/x509/leaf-certificate.js';
import { ConflictError, InvalidRequestError } from '../errors.js';
import { originNotProven } from '../registry/origin-proof.js';
import type { Principal } from '../auth/principal.js';
import type { Stores } from '../stores.js';
import type { CertificateSubjects, SubjectOwner } from './subjects.js';

/** The SAN URI naming a passport in client certificates. */
export function passportUri(passportId: string): string {
  return `urn:mcps:passport:${passportId}`;
}

export interface ResolvedSubject {
  subject: string;
  passportId: string | null;
  publisherId: string;
  /** Subject CN: one of the SAN values. */
  commonName: string;
  /** Subject OU: the registry name of a server; null for clients. */
  organizationalUnit: string | null;
  sans: LeafSans;
  /** The same SANs, OpenSSL style (`DNS:…`, `IP:…`, `URI:…`), for the record. */
  sanStrings: string[];
}

/** Canonical text of an IP literal (IPv6 compressed, lowercase), or undefined if not an IP. */
function canonicalIp(value: string): string | undefined {
  const bare = value.replace(/^\[|\]$/g, '');
  const kind = isIP(bare);
  if (kind === 0) return undefined;
  return new URL(kind === 6 ? `http://[${bare}]/` : `http://${bare}/`).hostname.replace(
    /^\[|\]$/g,
    '',
  );
}

function refuseSan(name: string, why: string): never {
  throw InvalidRequestError.field('body.csr', `requests subjectAltName ${name}, ${why}`);
}

/** Every SAN the CSR asks for must be one of `allowed`; otherwise 400 naming body.csr. */
function checkRequestedSans(requested: RequestedSans, allowed: LeafSans, owner: string): void {
  for (const dns of requested.dns) {
    if (!(allowed.dns ?? []).includes(dns.replace(/\.$/, '')))
      refuseSan(`DNS:${dns}`, `which ${owner} does not own`);
  }
  for (const ip of requested.ip) {
    if (!(allowed.ip ?? []).includes(canonicalIp(ip) ?? ip))
      refuseSan(`IP:${ip}`, `which ${owner} does not own`);
  }
  for (const uri of requested.uri) {
    if (!(allowed.uri ?? []).includes(uri)) refuseSan(`URI:${uri}`, `which ${owner} does not own`);
  }
}

function sanStrings(sans: LeafSans): string[] {
  return [
    ...(sans.dns ?? []).map((v) => `DNS:${v}`),
    ...(sans.ip ?? []).map((v) => `IP:${v}`),
    ...(sans.uri ?? []).map((v) => `URI:${v}`),
  ];
}

/**
 * Resolves the subject of a request and the SANs of the certificate to issue. A server's SANs
 * come only from a proven origin: an origin whose proof is gone (namespace rejected or moved
 * since) is refused with 409 naming the reason, at `o.field` (default body.subject).
 */
export async function resolveSubject(
  subjects: CertificateSubjects,
  stores: Stores,
  principal: Principal,
  profile: CertificateProfile,
  subjectRef: string | undefined,
  csr: ParsedCsr,
  o: { field?: string } = {},
): Promise<ResolvedSubject> {
  const owner: SubjectOwner = principal.role === 'admin' ? null : principal.publisherId;
  const ownedByCaller = (publisherId: string) => owner === null || owner === publisherId;

  if (profile === 'server') {
    if (!subjectRef)
      throw InvalidRequestError.field(
        'body.subject',
        'required for the server profile: a registered server name',
      );
    const server = await subjects.server(stores, owner, subjectRef);
    if (!server || !ownedByCaller(server.publisherId)) {
      throw InvalidRequestError.field(
        'body.subject',
        `unknown subject: no registered server ${JSON.stringify(subjectRef)} of this publisher`,
      );
    }
    if (server.unproven !== null)
      throw originNotProven(
        `no certificate for ${server.name}`,
        server.originHost,
        server.unproven,
        o.field ?? 'body.subject',
      );
    const ip = canonicalIp(server.originHost);
    const host = ip ?? server.originHost.toLowerCase().replace(/\.$/, '');
    const sans: LeafSans = ip ? { ip: [ip] } : { dns: [host] };
    checkRequestedSans(csr.sans, sans, `server ${server.name}`);
    return {
      subject: server.name,
      passportId: null,
      publisherId: server.publisherId,
      commonName: host,
      organizationalUnit: server.name,
      sans,
      sanStrings: sanStrings(sans),
    };
  }

  let passport;
  if (subjectRef) {
    passport = await subjects.passport(stores, owner, { passportId: subjectRef });
  } else {
    const jwk = csr.keyType === 'P-256' ? toPublicJwk(csr.publicKey) : undefined;
    if (!jwk)
      throw InvalidRequestError.field(
        'body.subject',
        "required unless the CSR carries the passport's own P-256 key",
      );
    passport = await subjects.passport(stores, owner, { jwkThumbprint: jwkThumbprint(jwk) });
  }
  if (!passport || !ownedByCaller(passport.publisherId)) {
    const what = subjectRef
      ? `no passport ${JSON.stringify(subjectRef)}`
      : "no passport with the CSR's public key";
    throw InvalidRequestError.field('body.subject', `unknown subject: ${what} of this publisher`);
  }
  if (passport.status !== 'active') {
    throw new ConflictError(`passport ${passport.passportId} is ${passport.status}`, [
      {
        field: 'body.subject',
        message: `passport is ${passport.status}; only active passports get certificates`,
      },
    ]);
  }
  const uri = passportUri(passport.passportId);
  const sans: LeafSans = { uri: [uri] };
  checkRequestedSans(csr.sans, sans, `passport ${passport.passportId}`);
  return {
    subject: passport.passportId,
    passportId: passport.passportId,
    publisherId: passport.publisherId,
    commonName: uri,
    organizationalUnit: null,
    sans,
    sanStrings: sanStrings(sans),
  };
}
