// Where two domains meet: the passports feature asks the registry about servers (ownership and
// proven origin, for trust level 3), the manifests feature asks the passports feature for a
// server's active key (optional manifest server signatures), and the certificates feature asks
// both who a certificate may be issued for. All go through the domains' ports.
import type { CertificateSubjects } from './certificates/subjects.js';
import type { Clock } from './clock.js';
import { effectiveState } from './passports/passport.js';
import type { ServerKeyDirectory } from './manifests/server-keys.js';
import type { ServerDirectory } from './passports/server-directory.js';
import { isOriginVerified } from './registry/origin-verification.js';
import type { Stores } from './stores.js';

/** Registry servers as the passports feature sees them. */
export function registryServerDirectory(stores: Pick<Stores, 'servers' | 'namespaces' | 'manifests'>): ServerDirectory {
  return {
    findServerForPublisher: async (publisherId, name) => {
      const server = await stores.servers.find(name);
      if (!server || server.publisherId !== publisherId) return undefined;
      return {
        name: server.name,
        origin: server.origin,
        originVerified: await isOriginVerified(stores.namespaces, { origin: server.origin, publisherId }),
        // findLatest never returns a yanked version: a server whose every version is yanked has none.
        signedManifest: (await stores.manifests.findLatest(server.name)) !== undefined,
      };
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
      return { name: server.name, publisherId: server.publisherId, originHost: host };
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
