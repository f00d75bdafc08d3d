// The credential domain's dependencies, from the app's. The signer is read on every use: authority
// keys rotate while the app runs. The rate limiter and the aggregated audit belong to the service
// (so close() flushes the audit); an app built without them makes its own.
import { createIssuanceAudit, type IssuanceAudit } from '../credentials/issuance-audit.js';
import type { CredentialDeps } from '../credentials/issue.js';
import { createRateLimiter, type RateLimiter } from '../credentials/rate-limit.js';
import type { AppDeps } from './deps.js';

/** Credentials (and challenges) one passport may obtain per minute, per instance. */
export const CREDENTIALS_PER_MINUTE = 120;

export interface CredentialIssuance {
  limiter: RateLimiter;
  audit: IssuanceAudit;
}

export function createCredentialIssuance(
  deps: Pick<AppDeps, 'persistence' | 'logger'>,
  o: { perMinute?: number } = {},
): CredentialIssuance {
  return {
    limiter: createRateLimiter({ perMinute: o.perMinute ?? CREDENTIALS_PER_MINUTE }),
    audit: createIssuanceAudit(deps.persistence, {
      onError: (err) =>
        deps.logger.warn(
          { err: { message: (err as Error).message } },
          'credential issuance audit flush failed; will retry',
        ),
    }),
  };
}

export function credentialDepsOf(deps: AppDeps, count: CredentialDeps['count']): CredentialDeps {
  const issuance = deps.credentialIssuance ?? createCredentialIssuance(deps);
  return {
    persistence: deps.persistence,
    get signer() {
      return deps.keyring.documentSigner;
    },
    issuer: deps.config.taName,
    limiter: issuance.limiter,
    audit: issuance.audit,
    count,
  };
}
