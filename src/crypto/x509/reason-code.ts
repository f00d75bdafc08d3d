// Revocation reasons: the RFC 5280 §5.3.1 CRLReason names (camelCase, as DESIGN.md §4.1 uses
// them in request bodies) and their ENUMERATED values in CRLs and OCSP responses.

/**
 * The reasons an end-entity certificate may be revoked for. Excluded on purpose: cACompromise and
 * aACompromise (not about a leaf), certificateHold (revocation here is final) and removeFromCRL
 * (delta CRLs only).
 */
export const REVOCATION_REASONS = [
  'unspecified',
  'keyCompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'privilegeWithdrawn',
] as const;

/** Reasons a caller may ask for. */
export type RequestableRevocationReason = (typeof REVOCATION_REASONS)[number];

/**
 * Reasons a certificate may carry: the requestable ones, plus cACompromise, which only the TA
 * sets — when the intermediate that issued the certificate is revoked as compromised.
 */
export type RevocationReason = RequestableRevocationReason | 'cACompromise';

/** CRLReason ::= ENUMERATED (RFC 5280 §5.3.1). */
export const REASON_CODE: Record<RevocationReason, number> = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  privilegeWithdrawn: 9,
};

export function isRevocationReason(value: string): value is RequestableRevocationReason {
  return (REVOCATION_REASONS as readonly string[]).includes(value);
}
