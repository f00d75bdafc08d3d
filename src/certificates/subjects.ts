// Who a certificate may be issued for: the subject policy, as a port. Registered servers and
// passports live in other domains: src/wiring/certificates-to-registry-and-passports.ts.
import type { EcPublicJwk } from '../crypto/jwk.js';
import type { Stores } from '../stores.js';

/** A registered server, as the server profile needs it. */
export interface ServerSubject {
  /** `namespace/name`, e.g. `com.example/weather`. */
  name: string;
  publisherId: string;
  /** Host of the server's origin URL (DNS name or IP literal without brackets). */
  originHost: string;
  /**
   * Null when the TA holds a current proof for the server's origin (DESIGN.md §9: a namespace
   * of the same publisher, or an admin approval for this server); otherwise why it holds none.
   * A certificate only ever names a proven host.
   */
  unproven: string | null;
}

/** A passport (agent or server), as the client profile needs it. */
export interface PassportSubject {
  passportId: string;
  publisherId: string;
  publicJwk: EcPublicJwk;
  status: 'active' | 'superseded' | 'revoked' | 'expired';
}

/** Which publisher's subjects to search: a publisher id, or null for an admin (any publisher). */
export type SubjectOwner = string | null;

export interface CertificateSubjects {
  /** The server `name` if it exists and belongs to `owner`; undefined otherwise. */
  server(stores: Stores, owner: SubjectOwner, name: string): Promise<ServerSubject | undefined>;
  /**
   * A passport of `owner`, found by id (a passport reference the caller owns) or by the RFC 7638
   * thumbprint of its public key (the CSR carries the passport's own key).
   */
  passport(
    stores: Stores,
    owner: SubjectOwner,
    by: { passportId: string } | { jwkThumbprint: string },
  ): Promise<PassportSubject | undefined>;
}
