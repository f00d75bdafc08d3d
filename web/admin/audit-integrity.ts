// The one place the admin UI asks whether the audit log is intact (audit page). Each view reads
// the signed tree head — the latest checkpoint, its signatures, the stored tree's root at its
// size, the events still unsequenced — in O(log n) reads. The full check (every row recomputed
// and compared with every signed checkpoint, src/audit/verify.ts, as GET /v1/audit/verify does)
// runs only when asked for (`?verify=full`), since it reads the whole log.
import { createPublicKey } from 'node:crypto';
import { verifyStoredAuditLog, type ChainVerification } from '../../src/audit/verify.js';
import type { AppDeps } from '../../src/http/deps.js';
import { logOrigin } from '../../src/keys/anchors.js';
import { readLogTreeHead } from '../../src/log/read.js';
import type { TreeHeadReport } from '../../src/log/tree-head.js';

export type LogIntegrity = ChainVerification;
export type { TreeHeadReport };

/** The full verification of every event (an explicit action on the audit page). */
export function logIntegrity(deps: AppDeps): Promise<LogIntegrity> {
  return verifyStoredAuditLog(deps.persistence, (kid) => deps.keyring.publicKeyFor(kid));
}

/** The latest signed tree head, checked against the TA's own keys: what every audit view shows. */
export function treeHead(deps: AppDeps): Promise<TreeHeadReport> {
  const k = deps.keyring.logKey;
  const noteKey = k && {
    name: logOrigin(deps.config.taName),
    publicKey: k.publicKey,
    key: createPublicKey(k.privateKey),
  };
  return readLogTreeHead(deps.persistence, {
    documentKey: (kid) => deps.keyring.publicKeyFor(kid),
    noteKey,
  });
}
