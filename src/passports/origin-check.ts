// Proof before signature for passports (DESIGN.md §9): a passport's `origin` is signed only when
// the TA holds a current proof for it. Rotation and approval re-sign an identity, so they re-check
// what the first issuance checked, inside their own signing transaction.
import { originNotProven } from '../registry/origin-proof.js';
import type { Stores } from '../stores.js';
import type { PassportDeps } from './deps.js';
import type { PassportRecord } from './passport.js';
import type { DirectoryServer } from './server-directory.js';

export interface ReSigned {
  /** The origin the successor carries: the server's current proven origin, or the agent's (still proven) one. */
  origin: string | null;
  /** The registry's view of a server subject (for its trust level). */
  server: DirectoryServer | undefined;
}

/**
 * What a successor of `old` (rotation, approval) may carry now. Refuses with 409 naming the
 * reason (at `path.id`) when a server is gone or its origin lost its proof (namespace rejected or
 * moved since), or when an agent's origin did. Delegated issuers keep the origin pattern the
 * admin set when creating them (that decision is their approval).
 */
export async function reSignableOrigin(
  s: Stores,
  d: PassportDeps,
  old: PassportRecord,
  doing: string,
): Promise<ReSigned> {
  const what = `cannot ${doing} passport ${old.passportId}`;
  if (old.subjectType === 'server') {
    const server = await d.servers.findServerForPublisher(s, old.publisherId, old.subjectName);
    if (!server)
      throw originNotProven(
        what,
        old.document.origin ?? 'null',
        `server ${old.subjectName} is no longer registered to this publisher`,
        'path.id',
      );
    if (server.originUnproven !== null)
      throw originNotProven(what, server.origin, server.originUnproven, 'path.id');
    return { origin: server.origin, server };
  }
  const origin = old.document.origin;
  if (old.subjectType === 'agent' && origin !== null) {
    const unproven = await d.servers.agentOriginUnproven(s, old.publisherId, origin);
    if (unproven !== null) throw originNotProven(what, origin, unproven, 'path.id');
  }
  return { origin, server: undefined };
}
