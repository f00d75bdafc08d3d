// The passport domain's dependencies, from the app's.
import type { PassportDeps } from '../passports/deps.js';
import type { AppDeps } from './deps.js';

export function passportDepsOf(deps: AppDeps): PassportDeps {
  return {
    persistence: deps.persistence,
    signer: deps.keyring.documentSigner,
    issuer: deps.config.taName,
    taKeyFor: (kid) => deps.keyring.publicKeyFor(kid),
    servers: deps.servers,
  };
}
