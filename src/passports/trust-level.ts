// Which trust level the TA assigns (DESIGN.md §5): never more than it checked. Every issuance
// requires proof of possession, so L2 is the floor; the rest depends on evidence passed in here,
// so the whole policy sits in this one function.
import type { SubjectType, TrustLevel } from './passport.js';

export interface TrustEvidence {
  subjectType: SubjectType;
  /**
   * The server's origin was proven by the namespace/origin HTTP challenge (registry). Only
   * meaningful for servers; comes from the ServerDirectory.
   */
  originVerified: boolean;
  /** The server has a TA-signed tool manifest (published, not yanked). Only meaningful for servers. */
  signedManifest?: boolean;
  /** An admin's audit approval is recorded in the audit log for this identity. */
  auditApproved: boolean;
}

/**
 * L2: signed by this TA + proof of possession (always checked).
 * L3: a server whose origin was proven and that has a signed tool manifest.
 * L4: an admin audit approval on top of every automatic check that applies to the subject —
 *     for a server that includes its proven origin, so an approved server with an unproven
 *     origin stays at L2; agents and delegated issuers have no origin check to pass.
 */
export function assignTrustLevel(e: TrustEvidence): TrustLevel {
  const serverChecked = e.originVerified && e.signedManifest === true;
  const automatic: TrustLevel = e.subjectType === 'server' && serverChecked ? 3 : 2;
  const approvable = e.subjectType !== 'server' || serverChecked;
  return e.auditApproved && approvable ? 4 : automatic;
}
