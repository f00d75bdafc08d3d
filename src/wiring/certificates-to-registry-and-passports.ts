// Port CertificateSubjects of the certificates feature (src/certificates/subjects.ts),
// implemented over the registry (servers and the proof of their origin) and the passports: who a
// certificate may be issued for, under the server and client profiles.
import type { CertificateSubjects } from '../certificates/subjects.js';
import type { Clock } from '../clock.js';
import { effectiveState } from '../passports/passport.js';
import { serverOriginUnproven } from '../registry/server-origin-standing.js';

/**
 * Registered servers and passports as certificate subjects (server and client profiles). Reads go
 * through the stores the caller passes — those of its open transaction (on PGlite a read outside
 * it would wait for that transaction forever).
 */
export function registryCertificateSubjects(clock: Clock): CertificateSubjects {
  return {
    server: async (stores, owner, name) => {
      const server = await stores.servers.find(name);
      if (!server || (owner !== null && server.publisherId !== owner)) return undefined;
      const host = new URL(server.origin).hostname.replace(/^\[(.*)\]$/, '$1');
      return {
        name: server.name,
        publisherId: server.publisherId,
        originHost: host,
        unproven: await serverOriginUnproven(stores, server),
      };
    },
    passport: async (stores, owner, by) => {
      const found =
        'passportId' in by
          ? { passportId: by.passportId }
          : await stores.passports.findNewestByKid(by.jwkThumbprint);
      // Locked FOR SHARE until the issuance commits: a concurrent revocation or rotation of the
      // passport waits for it, then revokes the new certificate too (src/revocation/follow-key.ts).
      const record =
        found && (await stores.passports.findById(found.passportId, { lock: 'share' }));
      if (!record || (owner !== null && record.publisherId !== owner)) return undefined;
      return {
        passportId: record.passportId,
        publisherId: record.publisherId,
        publicJwk: record.document.public_key,
        status: effectiveState(record, clock.now()),
      };
    },
  };
}
