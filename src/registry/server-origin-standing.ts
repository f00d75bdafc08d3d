// Whether the TA holds a current proof for a registered server's origin, in one answer: what the
// passports and certificates features ask before signing anything that names the server.
import type { Stores } from '../stores.js';
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
  const lost = await originProofProblem(stores, server);
  if (lost) return lost;
  const proof = await proveServerOrigin(stores, server);
  return proof.proven ? null : proof.reason;
}
