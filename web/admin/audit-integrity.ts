// The one place the admin UI asks whether the audit log is intact (audit page, dashboard). Today
// it recomputes the hash chain (src/audit/verify.ts); a signed-checkpoint log can answer here
// instead without touching the pages.
import { verifyAuditChain, type ChainVerification } from '../../src/audit/verify.js';
import type { AppDeps } from '../../src/http/deps.js';

export type LogIntegrity = ChainVerification;

/** The log's verification result, as the audit page shows it at the top. */
export function logIntegrity(deps: AppDeps): Promise<LogIntegrity> {
  // TODO: this walks the whole chain on every view (~10k events/s); fine for thousands of
  // events, slow for millions — verify from the last signed checkpoint then.
  return verifyAuditChain(deps.persistence.stores.audit);
}
