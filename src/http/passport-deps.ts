// The passport domain's dependencies, from the app's. The signer is read on every use: authority
// keys rotate while the app runs (src/keys/lifecycle.ts), and a router keeps this object.
import type { PassportDeps } from '../passports/deps.js';
import type { AppDeps } from './deps.js';

export function passportDepsOf(deps: AppDeps): PassportDeps {
  return {
    persistence: deps.persistence,
    get signer() {
      return deps.keyring.documentSigner;
    },
    issuer: deps.config.taName,
    taKeyFor: (kid) => deps.keyring.publicKeyFor(kid),
    servers: deps.servers,
    certificatesRevoked: () => deps.certificates.crl.requestRefresh(),
  };
}
