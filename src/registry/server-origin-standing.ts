// Whether the TA holds a current proof for a registered server's origin, in one answer: what the
// passports and certificates features ask before signing anything that names the server.
import type { Stores } from '../stores.js';
import type { Namespace } from './namespace.js';
import type { NamespaceStore } from './namespace-store.js';
import { originProofProblem } from './namespace-standing.js';
import { proveServerOrigin, type Server } from './server.js';

/**
 * Why the TA holds no current proof for a registered server's origin, or null when it does: the
 * namespace the server lives in must still be verified for its publisher (not released, revoked,
 * rejected or moved), and the origin itself must be proven (src/registry/origin-proof.ts).
 */
export async function serverOriginUnproven(
  stores: Pick<Stores, 'namespaces'>,
  server: Server,
): Promise<string | null> {
  // Both questions read the verified namespaces covering the origin, with a share lock: within
  // one transaction the second read can only repeat the first, so it is answered from it.
  const once = { namespaces: repeatedVerifiedReads(stores.namespaces) };
  const lost = await originProofProblem(once, server);
  if (lost) return lost;
  const proof = await proveServerOrigin(once, server);
  return proof.proven ? null : proof.reason;
}

/**
 * `namespaces` whose share-locked findVerified answers a repeated question from the first
 * answer. For use inside one transaction only: the rows the first read returned stay
 * share-locked until it ends, so none of them can be withdrawn meanwhile; a namespace verified
 * meanwhile could only have made the repeated answer more permissive, so the first is the
 * cautious one.
 */
function repeatedVerifiedReads(namespaces: NamespaceStore): NamespaceStore {
  const answers = new Map<string, Promise<Namespace[]>>();
  return {
    ...namespaces,
    findVerified: (names, o) => {
      if (o?.lock !== 'share') return namespaces.findVerified(names, o);
      const key = JSON.stringify(names);
      let answer = answers.get(key);
      if (!answer) {
        answer = namespaces.findVerified(names, o);
        answers.set(key, answer);
      }
      return answer;
    },
  };
}
