// The MCPS passport (DESIGN.md §5): its JSON shape, identifiers, limits and lifecycle states.
import { REVOCATION_REASONS } from '../crypto/x509/reason-code.js';
import type { EcPublicJwk } from '../crypto/jwk.js';

/** `asp_` + 32 lowercase hex: checked before any lookup so malformed ids never reach storage. */
export const PASSPORT_ID_PATTERN = /^asp_[0-9a-f]{32}$/;

export const MCPS_VERSION = '1.0';
/** Largest accepted passport: UTF-8 bytes of its JCS serialisation. */
export const MAX_PASSPORT_BYTES = 8192;
/** Longest issuer chain a passport may carry. */
export const MAX_CHAIN_DEPTH = 5;
export const MAX_CAPABILITIES = 64;
/**
 * The issuing capability: only a passport holding it may sign other passports (an intermediate
 * issuer). Reserved: requests for ordinary passports may not ask for it.
 */
export const ISSUE_CAPABILITY = 'mcps:issue';

export type SubjectType = 'agent' | 'server' | 'issuer';
export type TrustLevel = 0 | 1 | 2 | 3 | 4;

/** A passport as signed and published. `issuer_chain` entries are base64 JSON passports. */
export interface PassportDocument {
  mcps_version: string;
  passport_id: string;
  agent: { name: string; version: string; capabilities: string[] };
  public_key: EcPublicJwk;
  origin: string | null;
  scan: null;
  trust_level: TrustLevel;
  issued_at: string;
  expires_at: string;
  /** The TA's name, or the passport_id of the intermediate issuer that signed it. */
  issuer: string;
  issuer_chain: string[];
  key_rotation?: { previous_key_hash: string; rotated_at: string };
  subject_type: SubjectType;
  /** RFC 7638 thumbprint of the key that signed this passport. */
  issuer_kid: string;
  signature: string;
}

/** Lifecycle state as stored; `expired` is derived from `expires_at` when read. */
export type PassportState = 'active' | 'superseded' | 'revoked';

/**
 * RFC 5280 §5.3.1 CRLReason names, camelCase: the reasons an owner or admin may give. One list for
 * passports, certificates and the revocation feed (src/crypto/x509/reason-code.ts).
 */
export { REVOCATION_REASONS };
export type { RequestableRevocationReason as RevocationReason } from '../crypto/x509/reason-code.js';

/**
 * The reasons a stored passport may carry: also `cACompromise` (RFC 5280 §5.3.1), which only the
 * TA sets, when the authority key that signed the passport is revoked (src/keys/revoke-signed.ts).
 */
export const RECORDED_REVOCATION_REASONS = [...REVOCATION_REASONS, 'cACompromise'] as const;
export type RecordedRevocationReason = (typeof RECORDED_REVOCATION_REASONS)[number];

/** A passport row: the signed document plus what the TA tracks about it. */
export interface PassportRecord {
  passportId: string;
  publisherId: string;
  subjectType: SubjectType;
  subjectName: string;
  /** Set for agent passports. */
  agentId: string | null;
  /** passport_id of the first passport of this key-continuity chain. */
  lineageId: string;
  /** RFC 7638 thumbprint of the certified key. */
  kid: string;
  trustLevel: TrustLevel;
  state: PassportState;
  document: PassportDocument;
  issuedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  revocationReason: RecordedRevocationReason | null;
  supersededAt: Date | null;
  supersededBy: string | null;
  /** Audit sequence number of the admin approval behind trust level 4, carried to successors. */
  approvalSeq: number | null;
}

/** State as a reader sees it at `now`. */
export function effectiveState(
  r: Pick<PassportRecord, 'state' | 'expiresAt'>,
  now: Date,
): PassportState | 'expired' {
  if (r.state !== 'active') return r.state;
  return r.expiresAt.getTime() <= now.getTime() ? 'expired' : 'active';
}
