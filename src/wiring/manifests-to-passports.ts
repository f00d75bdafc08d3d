// Port ServerKeyDirectory of the manifests feature (src/manifests/server-keys.ts), implemented
// over the passports: the key a manifest's optional server signature must verify with.
import type { Clock } from '../clock.js';
import type { ServerKeyDirectory } from '../manifests/server-keys.js';
import type { Stores } from '../stores.js';

/** The key of a server's newest active passport, for manifest server signatures. */
export function passportServerKeys(
  stores: Pick<Stores, 'passports'>,
  clock: Clock,
): ServerKeyDirectory {
  return {
    activeServerKey: async (serverName) => {
      const passport = await stores.passports.findActiveBySubject(
        'server',
        serverName,
        clock.now(),
      );
      return passport?.document.public_key;
    },
  };
}
