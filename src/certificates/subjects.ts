// Who a certificate may be issued for: the subject policy, as a port. Registered servers and
// passports live in other domains; the service wires an adapter over their stores.
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
   * Why the proof behind the origin is gone (e.g. its namespace was revoked): the request is
   * refused with 409 naming it. Absent or null while the proof stands.
   */
  originProblem?: string | null;
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

/**
 * The adapter wired until registry servers and passports exist in this build: it knows no
 * subject, so every issuance is refused with 400 "unknown subject" and nothing is stored.
 *
 * TODO(lead): replace with an adapter over the registry's server store (name → publisher,
 * origin host) and the passport store (id or key thumbprint → publisher, public JWK, status)
 * in src/service.ts. Until then certificates can only be issued through the domain operation
 * with another adapter (as the tests do).
 */
export const NO_CERTIFICATE_SUBJECTS: CertificateSubjects = {
  server: async () => undefined,
  passport: async () => undefined,
};
