// The one place the admin UI asks whether the audit log is intact (audit page, dashboard): the
// transparency log's tree recomputed from the rows and compared with every signed checkpoint
// (src/audit/verify.ts), as /v1/audit/verify does.
import { verifyAuditLog, type ChainVerification } from '../../src/audit/verify.js';
import type { AppDeps } from '../../src/http/deps.js';

export type LogIntegrity = ChainVerification;

/** The log's verification result, as the audit page shows it at the top. */
export function logIntegrity(deps: AppDeps): Promise<LogIntegrity> {
  // TODO: this recomputes the whole tree on every view (~10k events/s): fine for thousands of
  // events, slow for millions — it should show the latest signed checkpoint and verify from it.
  return verifyAuditLog(deps.persistence.stores.log, (kid) => deps.keyring.publicKeyFor(kid));
}
