// Where two domains meet: the passports feature asks the registry about servers (ownership and
// proven origin: signed only when proven, and for trust level 3) and about agent origins, the manifests feature asks the passports feature for a
// server's active key (optional manifest server signatures), and the certificates feature asks
// both who a certificate may be issued for. All go through the domains' ports.
import type { CertificateSubjects } from './certificates/subjects.js';
import type { Clock } from './clock.js';
import { effectiveState } from './passports/passport.js';
import type { ServerKeyDirectory } from './manifests/server-keys.js';
import type { ServerDirectory } from './passports/server-directory.js';
import { proveOrigin } from './registry/origin-proof.js';
import { proveServerOrigin } from './registry/server.js';
import type { Stores } from './stores.js';

/**
 * Registry servers as the passports feature sees them, with the proof of their origin. Reads
 * go through the stores the caller passes (those of its signing transaction).
 */
export function registryServerDirectory(): ServerDirectory {
  return {
    findServerForPublisher: async (stores, publisherId, name) => {
      const server = await stores.servers.find(name);
      if (!server || server.publisherId !== publisherId) return undefined;
      const proof = await proveServerOrigin(stores, server);
      return {
        name: server.name,
        origin: server.origin,
        originUnproven: proof.proven ? null : proof.reason,
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
      const proof = await proveServerOrigin(stores, server);
      return { name: server.name, publisherId: server.publisherId, originHost: host, unproven: proof.proven ? null : proof.reason };
    },
    passport: async (stores, owner, by) => {
      const record = 'passportId' in by ? await stores.passports.findById(by.passportId) : await stores.passports.findNewestByKid(by.jwkThumbprint);
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
