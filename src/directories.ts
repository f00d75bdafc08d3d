// Where two domains meet: the passports feature asks the registry about servers (ownership and
// proven origin: signed only when proven, and for trust level 3) and about agent origins, the
// manifests feature asks the passports feature for a server's active key (optional manifest
// server signatures), and the certificates feature asks both who a certificate may be issued
// for; when a namespace is withdrawn, the registry has the passports and certificates features
// revoke what its servers were issued. All go through the domains' ports.
import type { CrlPublisher } from './certificates/crl-publisher.js';
import { revokeServerCertificates } from './certificates/revoke-for-servers.js';
import type { CertificateSubjects } from './certificates/subjects.js';
import type { Clock } from './clock.js';
import { effectiveState } from './passports/passport.js';
import { revokeServerPassports } from './passports/revoke.js';
import type { ServerKeyDirectory } from './manifests/server-keys.js';
import type { ServerDirectory } from './passports/server-directory.js';
import { proveOrigin } from './registry/origin-proof.js';
import { proveServerOrigin, type Server } from './registry/server.js';
import { originProofProblem } from './registry/namespace-standing.js';
import type { OriginDependents } from './registry/origin-dependents.js';
import type { Stores } from './stores.js';

/**
 * Why the TA holds no current proof for a registered server's origin, or null when it does: the
 * namespace the server lives in must still be verified for its publisher (not released, revoked,
 * rejected or moved), and the origin itself must be proven (src/registry/origin-proof.ts).
 */
async function serverOriginUnproven(stores: Pick<Stores, 'namespaces'>, server: Server): Promise<string | null> {
  const lost = await originProofProblem(stores, server);
  if (lost) return lost;
  const proof = await proveServerOrigin(stores, server);
  return proof.proven ? null : proof.reason;
}

/**
 * Registry servers as the passports feature sees them, with the proof of their origin. Reads
 * go through the stores the caller passes (those of its signing transaction).
 */
export function registryServerDirectory(): ServerDirectory {
  return {
    findServerForPublisher: async (stores, publisherId, name) => {
      const server = await stores.servers.find(name);
      if (!server || server.publisherId !== publisherId) return undefined;
      return {
        name: server.name,
        origin: server.origin,
        originUnproven: await serverOriginUnproven(stores, server),
        // findLatest never returns a yanked version: a server whose every version is yanked has none.
        signedManifest: (await stores.manifests.findLatest(server.name)) !== undefined,
      };
    },
    agentOriginUnproven: async (stores, publisherId, origin) => {
      const proof = await proveOrigin(stores, { origin, publisherId, approval: null });
      return proof.proven ? null : proof.reason;
    },
  };
}

/** The key of a server's newest active passport, for manifest server signatures. */
export function passportServerKeys(stores: Pick<Stores, 'passports'>, clock: Clock): ServerKeyDirectory {
  return {
    activeServerKey: async (serverName) => {
      const passport = await stores.passports.findActiveBySubject('server', serverName, clock.now());
      return passport?.document.public_key;
    },
  };
}

/**
 * Registered servers and passports as certificate subjects (server and client profiles). Reads go
 * through the stores the caller passes — those of its open transaction (on PGlite a read outside
 * it would wait for that transaction forever).
 */
export function registryCertificateSubjects(clock: Clock): CertificateSubjects {
  return {
    server: async (stores, owner, name) => {
      const server = await stores.servers.find(name);
      if (!server || (owner !== null && server.publisherId !== owner)) return undefined;
      const host = new URL(server.origin).hostname.replace(/^\[(.*)\]$/, '$1');
      return { name: server.name, publisherId: server.publisherId, originHost: host, unproven: await serverOriginUnproven(stores, server) };
    },
    passport: async (stores, owner, by) => {
      const found = 'passportId' in by ? { passportId: by.passportId } : await stores.passports.findNewestByKid(by.jwkThumbprint);
      // Locked FOR SHARE until the issuance commits: a concurrent revocation or rotation of the
      // passport waits for it, then revokes the new certificate too (src/revocation/follow-key.ts).
      const record = found && (await stores.passports.findById(found.passportId, { lock: 'share' }));
      if (!record || (owner !== null && record.publisherId !== owner)) return undefined;
      return {
        passportId: record.passportId,
        publisherId: record.publisherId,
        publicJwk: record.document.public_key,
        status: effectiveState(record, clock.now()),
      };
    },
  };
}

/**
 * What the registry revokes when servers lose their origin proof: their server passports, then
 * their server certificates and the client certificates bound to those passports; a fresh CRL is
 * asked for once the transaction committed.
 */
export function passportAndCertificateDependents(crl: Pick<CrlPublisher, 'requestRefresh'>): OriginDependents {
  return {
    revokeForServers: async (s, clock, loss) => {
      // The feed lock first, as every revocation takes it before the audit chain's.
      await s.locks.acquire('revocation-feed');
      const passports = await revokeServerPassports(s, clock, loss);
      const certificates = await revokeServerCertificates(s, clock, { ...loss, passportIds: passports.map((x) => x.passportId) });
      return { passports: passports.map((x) => x.passportId), certificates: certificates.map((c) => c.serial) };
    },
    committed: (revoked) => {
      if (revoked.certificates.length > 0) crl.requestRefresh();
    },
  };
}
