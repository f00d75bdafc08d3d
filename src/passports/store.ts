// Storage ports of passports, their challenges (nonces) and key-continuity links.
import type { ChainLink } from './chain.js';
import type { PassportRecord, RecordedRevocationReason } from './passport.js';

export interface PassportStore {
  insert(r: PassportRecord): Promise<void>;
  findById(passportId: string): Promise<PassportRecord | undefined>;
  /**
   * Marks `passportId` superseded by `by` if — at the moment the row is locked — it is still
   * active and unexpired. False otherwise: of concurrent callers exactly one gets true.
   */
  supersede(passportId: string, o: { by: string; at: Date }): Promise<boolean>;
  /** Revokes unless already revoked; returns the updated record, or undefined if it was. */
  revoke(passportId: string, o: { reason: RecordedRevocationReason; at: Date }): Promise<PassportRecord | undefined>;
  /**
   * Revokes every passport signed by the TA key `issuerKid` (its `issuer_kid`) that is not revoked
   * yet, whatever its state or expiry; returns the updated records ordered by passport id.
   */
  revokeSignedBy(issuerKid: string, o: { reason: RecordedRevocationReason; at: Date }): Promise<PassportRecord[]>;
  /** Passports of one key-continuity chain, oldest first. */
  listByLineage(lineageId: string): Promise<PassportRecord[]>;
  listByAgent(agentId: string): Promise<PassportRecord[]>;
  /** The newest active, unexpired passport of a subject (e.g. a server), if any. */
  findActiveBySubject(subjectType: PassportRecord['subjectType'], subjectName: string, now: Date): Promise<PassportRecord | undefined>;
  /** Revoked and superseded passports that have not expired at `now`, by revocation time. */
  listRevoked(now: Date): Promise<PassportRecord[]>;
  /** The records among `ids` that exist. */
  findMany(ids: string[]): Promise<PassportRecord[]>;
}

export interface ChallengeRecord {
  /** SHA-256 (hex) of the nonce: the nonce itself is never stored. */
  nonceHash: string;
  /** The publisher it was issued to; null when an admin asked for it. */
  publisherId: string | null;
  createdAt: Date;
  expiresAt: Date;
}

export interface ChallengeStore {
  insert(c: ChallengeRecord): Promise<void>;
  /**
   * Deletes the challenge if it is unexpired at `now` and belongs to one of `owners`; true when
   * this call deleted it. Single use under concurrency: the row can be deleted only once.
   */
  consume(nonceHash: string, o: { owners: Array<string | null>; now: Date }): Promise<boolean>;
  deleteExpired(now: Date): Promise<number>;
}

export interface ChainLinkStore {
  insert(link: ChainLink): Promise<void>;
  /** Links of one lineage by `seq`, oldest first. */
  listByLineage(lineageId: string): Promise<ChainLink[]>;
}
