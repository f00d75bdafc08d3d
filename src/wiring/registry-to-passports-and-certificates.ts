// Port OriginDependents of the registry (src/registry/origin-dependents.ts), implemented over the
// passports and certificates features: what is revoked when a namespace is withdrawn and its
// servers lose the proof of their origin.
import type { CrlPublisher } from '../certificates/crl-publisher.js';
import { revokeServerCertificates } from '../certificates/revoke-for-servers.js';
import { revokeServerPassports } from '../passports/revoke.js';
import type { OriginDependents } from '../registry/origin-dependents.js';

/**
 * What the registry revokes when servers lose their origin proof: their server passports, then
 * their server certificates and the client certificates bound to those passports; a fresh CRL is
 * asked for once the transaction committed.
 */
export function passportAndCertificateDependents(
  crl: Pick<CrlPublisher, 'requestRefresh'>,
): OriginDependents {
  return {
    revokeForServers: async (s, clock, loss) => {
      // The feed lock first, as every revocation takes it before the audit chain's.
      await s.locks.acquire('revocation-feed');
      const passports = await revokeServerPassports(s, clock, loss);
      const certificates = await revokeServerCertificates(s, clock, {
        ...loss,
        passportIds: passports.map((x) => x.passportId),
      });
      return {
        passports: passports.map((x) => x.passportId),
        certificates: certificates.map((c) => c.serial),
      };
    },
    committed: (revoked) => {
      if (revoked.certificates.length > 0) crl.requestRefresh();
    },
  };
}
