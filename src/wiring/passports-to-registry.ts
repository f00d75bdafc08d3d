// Port ServerDirectory of the passports feature (src/passports/server-directory.ts), implemented
// over the registry: whether a name is a server of the caller, whether its origin is proven
// (signed only when proven, and for trust level 3), and whether an agent's origin is proven.
import type { ServerDirectory } from '../passports/server-directory.js';
import { proveOrigin } from '../registry/origin-proof.js';
import { serverOriginUnproven } from '../registry/server-origin-standing.js';

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
