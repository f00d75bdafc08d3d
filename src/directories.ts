// Where two domains meet: the passports feature asks the registry about servers (ownership and
// proven origin, for trust level 3), and the manifests feature asks the passports feature for a
// server's active key (optional manifest server signatures). Both go through the domains' ports.
import type { Clock } from './clock.js';
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
