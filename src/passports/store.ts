// Storage ports of passports, their challenges (nonces) and key-continuity links.
import type { ChainLink } from './chain.js';
import type {
  PassportRecord,
  PassportState,
  RecordedRevocationReason,
  SubjectType,
} from './passport.js';

/** A page query over passports, newest first; every given filter must hold. */
export interface PassportQuery {
  /** The instant that decides `active` versus `expired`. */
  now: Date;
  /** Effective state at `now` (see effectiveState). */
  state?: PassportState | 'expired' | undefined;
  subjectType?: SubjectType | undefined;
  publisherId?: string | undefined;
  agentId?: string | undefined;
  /** Exact subject name (e.g. a server's `namespace/name`). */
  subjectName?: string | undefined;
  /**
   * Free text: a substring of the subject name (any case), a prefix of the passport id, or an
   * exact key id (RFC 7638 thumbprint) or chain identity.
   */
  search?: string | undefined;
  /** Keyset position: only passports after this one in (issuedAt, passportId) descending order. */
  before?: { issuedAt: Date; passportId: string } | undefined;
  limit: number;
}

export interface PassportStore {
  insert(r: PassportRecord): Promise<void>;
  /**
   * With `lock: 'share'` (inside a transaction) the row is locked against revocation and
   * supersession until the transaction ends, and the newest committed row is returned: a
   * certificate issued for the passport then commits before, or is refused after, its revocation.
   */
  findById(passportId: string, o?: { lock?: 'share' }): Promise<PassportRecord | undefined>;
  /**
   * Marks `passportId` superseded by `by` if — at the moment the row is locked — it is still
   * active and unexpired. False otherwise: of concurrent callers exactly one gets true.
   */
  supersede(passportId: string, o: { by: string; at: Date }): Promise<boolean>;
  /** Revokes unless already revoked; returns the updated record, or undefined if it was. */
  revoke(
    passportId: string,
    o: { reason: RecordedRevocationReason; at: Date },
  ): Promise<PassportRecord | undefined>;
  /**
   * Revokes every passport signed by the TA key `issuerKid` (its `issuer_kid`) that is not revoked
   * yet, whatever its state or expiry; returns the updated records ordered by passport id.
   */
  revokeSignedBy(
    issuerKid: string,
    o: { reason: RecordedRevocationReason; at: Date },
  ): Promise<PassportRecord[]>;
  /**
   * Revokes every passport of the subjects `subjectNames` (of `subjectType`, issued to
   * `publisherId`) that is not revoked yet, whatever its state or expiry; returns the updated
   * records ordered by passport id.
   */
  revokeBySubjects(
    subjectType: PassportRecord['subjectType'],
    subjectNames: string[],
    publisherId: string,
    o: { reason: RecordedRevocationReason; at: Date },
  ): Promise<PassportRecord[]>;
  /**
   * Revokes every passport certifying the key with RFC 7638 thumbprint `kid` that is not revoked
   * yet (any lineage, state or expiry); returns the updated records ordered by passport id.
   */
  revokeByKid(
    kid: string,
    o: { reason: RecordedRevocationReason; at: Date },
  ): Promise<PassportRecord[]>;
  /** Passports of one key-continuity chain, oldest first. */
  listByLineage(lineageId: string): Promise<PassportRecord[]>;
  listByAgent(agentId: string): Promise<PassportRecord[]>;
  /** The newest active, unexpired passport of a subject (e.g. a server), if any. */
  /** The newest passport certifying the key with RFC 7638 thumbprint `kid`, if any. */
  findNewestByKid(kid: string): Promise<PassportRecord | undefined>;
  findActiveBySubject(
    subjectType: PassportRecord['subjectType'],
    subjectName: string,
    now: Date,
  ): Promise<PassportRecord | undefined>;
  /** Revoked and superseded passports that have not expired at `now`, by revocation time. */
  listRevoked(now: Date): Promise<PassportRecord[]>;
  /** The records among `ids` that exist. */
  findMany(ids: string[]): Promise<PassportRecord[]>;
  /** A page of passports matching `q`, newest first (issuedAt, then passportId, descending). */
  list(q: PassportQuery): Promise<PassportRecord[]>;
  /** Passports in state active that have not expired at `now`. */
  countActive(now: Date): Promise<number>;
  /** Passports revoked at or after `since`. */
  countRevokedSince(since: Date): Promise<number>;
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
