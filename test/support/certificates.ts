// Helpers for certificate tests: an in-memory subject policy (for unit tests of the rules),
// registry servers with in-memory passports (for the domain operation), and principals as the
// authenticate middleware builds them.
import { createPublicKey, randomBytes } from 'node:crypto';
import type { CertificateContext } from '../../src/certificates/context.js';
import { jwkThumbprint, toPublicJwk } from '../../src/crypto/jwk.js';
import type {
  CertificateSubjects,
  PassportSubject,
  ServerSubject,
} from '../../src/certificates/subjects.js';
import type { Principal } from '../../src/auth/principal.js';
import { caFiles, makeCsr } from './csr.js';
import { adminApprovedServer, registeredServer, verifiedNamespace } from './registry.js';
import { createPublisherWithToken, type TestService } from './service.js';

export interface MemorySubjects extends CertificateSubjects {
  servers: ServerSubject[];
  passports: (PassportSubject & { jwkThumbprint: string })[];
}

/** A CertificateSubjects over plain arrays (stands in for the registry and passport stores). */
export function memorySubjects(): MemorySubjects {
  const servers: ServerSubject[] = [];
  const passports: (PassportSubject & { jwkThumbprint: string })[] = [];
  const owned = (owner: string | null, publisherId: string) =>
    owner === null || owner === publisherId;
  return {
    servers,
    passports,
    server: async (_s, owner, name) =>
      servers.find((x) => x.name === name && owned(owner, x.publisherId)),
    passport: async (_s, owner, by) =>
      passports.find(
        (x) =>
          owned(owner, x.publisherId) &&
          ('passportId' in by
            ? x.passportId === by.passportId
            : x.jwkThumbprint === by.jwkThumbprint),
      ),
  };
}

/** The service's certificate context with another subject policy. */
export function withSubjects(
  ctx: CertificateContext,
  subjects: CertificateSubjects,
): CertificateContext {
  return { ...ctx, subjects };
}

/** A publisher principal as the authenticate middleware would build it. */
export function publisherPrincipal(
  publisherId: string,
  tokenId = 'tok_0000000000000000',
): Principal {
  return { kind: 'token', tokenId, role: 'publisher', publisherId };
}

export const ADMIN: Principal = {
  kind: 'token',
  tokenId: 'tok_adminadminadmin0',
  role: 'admin',
  publisherId: null,
};

/** A passport key pair: the PEM file (for openssl -key) and its public JWK thumbprint. */
export interface PassportFixture {
  passportId: string;
  keyFile: string;
  jwkThumbprint: string;
}

/** Registry servers (the service's own subject adapter) with in-memory passports. */
export interface FixtureSubjects extends CertificateSubjects {
  passports: MemorySubjects['passports'];
}

export interface CertificateFixture {
  /** Publisher A (owns the fixture's server and passport) and publisher B (owns nothing). */
  a: { publisherId: string; token: string; tokenId: string; principal: Principal };
  b: { publisherId: string; token: string; tokenId: string; principal: Principal };
  subjects: FixtureSubjects;
  /** The service's certificate context with the fixture's subjects. */
  ctx: CertificateContext;
  serverName: string;
  serverHost: string;
  passport: PassportFixture;
  /** root.pem, issuing.pem and chain.pem written from GET /v1/trust/ca.pem. */
  ca: { root: string; issuing: string; chain: string };
}

/**
 * Two publishers; publisher A holds the namespace `com.acme` (admin-approved) and the registry
 * server `com.acme/weather` at `serverHost`, and an active passport known to an in-memory
 * passport policy: these tests exercise the certificate rules through the domain operation.
 * Servers are real registry records, so the TA's origin proof applies: a host within acme.com
 * is proven by the namespace; any other (`localhost` for the TLS tests) is registered by the
 * admin with an audited origin approval, the only way such a host gets into a certificate.
 */
export async function certificateFixture(
  ta: TestService,
  serverHost = 'weather.acme.com',
): Promise<CertificateFixture> {
  const a = await createPublisherWithToken(ta, `Acme ${randomBytes(3).toString('hex')}`);
  const b = await createPublisherWithToken(ta, `Other ${randomBytes(3).toString('hex')}`);
  const serverName = 'com.acme/weather';
  await verifiedNamespace(ta, a.token, 'com.acme');
  if (serverHost === 'acme.com' || serverHost.endsWith('.acme.com'))
    await registeredServer(ta, a.token, serverName, `https://${serverHost}`);
  else
    await adminApprovedServer(
      ta,
      serverName,
      `https://${serverHost.includes(':') ? `[${serverHost}]` : serverHost}`,
    );
  const memory = memorySubjects();
  const subjects: FixtureSubjects = {
    server: ta.certificates.subjects.server,
    passport: memory.passport,
    passports: memory.passports,
  };
  const key = makeCsr('P-256');
  const jwk = toPublicJwk(createPublicKey(key.keyPem));
  const passport = {
    passportId: `asp_${randomBytes(16).toString('hex')}`,
    keyFile: key.keyFile,
    jwkThumbprint: jwkThumbprint(jwk),
  };
  subjects.passports.push({
    passportId: passport.passportId,
    publisherId: a.publisherId,
    publicJwk: jwk,
    status: 'active',
    jwkThumbprint: passport.jwkThumbprint,
  });
  const caPem = await ta.request('GET', '/v1/trust/ca.pem');
  return {
    a: { ...a, principal: publisherPrincipal(a.publisherId, a.tokenId) },
    b: { ...b, principal: publisherPrincipal(b.publisherId, b.tokenId) },
    subjects,
    ctx: withSubjects(ta.certificates, subjects),
    serverName,
    serverHost,
    passport,
    ca: caFiles(caPem.text),
  };
}

/** Row count of a table, bypassing the app. */
export async function countRows(
  ta: TestService,
  table: 'certificates' | 'audit_events' | 'crls',
): Promise<number> {
  const [row] = await ta.db.sql(`select count(*)::int as n from ${table}`);
  return Number(row!.n);
}
