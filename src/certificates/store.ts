// Storage ports of certificates and of published CRLs.
import type { RevocationReason } from '../crypto/x509/reason-code.js';
import type { CertificateProfile, CertificateRecord, CertificateStatus } from './certificate.js';

/** What a CRL entry needs (RFC 5280 §5.1.2.6). */
export interface RevokedEntry {
  serial: string;
  revokedAt: Date;
  reason: RevocationReason;
}

/** A page query over certificates, newest first; every given filter must hold. */
export interface CertificateQuery {
  /** The instant that decides `valid` versus `expired`. */
  now: Date;
  /** Status at `now` (see statusOf): revocation wins over expiry. */
  status?: CertificateStatus | undefined;
  profile?: CertificateProfile | undefined;
  publisherId?: string | undefined;
  /**
   * Free text: a prefix of the canonical serial (`serialPrefix`, already lowercase hex without
   * colons), a substring of the subject or of a SAN (any case), or a prefix of the passport id.
   */
  search?: { text: string; serialPrefix?: string | undefined } | undefined;
  /** Keyset position: only certificates after this one in (createdAt, serial) descending order. */
  before?: { createdAt: Date; serial: string } | undefined;
  limit: number;
}

export interface CertificateStore {
  /** Throws ConflictError when the serial exists. */
  insert(c: CertificateRecord): Promise<void>;
  findBySerial(serial: string): Promise<CertificateRecord | undefined>;
  /** The records among `serials` that exist (any order). */
  findManyBySerial(serials: string[]): Promise<CertificateRecord[]>;
  /**
   * Marks a certificate revoked unless it already is; false when it was (a concurrent revocation
   * committed first: its time and reason stand).
   */
  markRevoked(serial: string, at: Date, reason: RevocationReason): Promise<boolean>;
  /**
   * Revokes every unrevoked certificate bound to one of `passportIds` (client certificates), in
   * one conditional update; returns those this call revoked (a concurrent revocation's stand).
   */
  revokeByPassports(
    passportIds: string[],
    at: Date,
    reason: RevocationReason,
  ): Promise<CertificateRecord[]>;
  /**
   * Revokes the unrevoked server certificates of server `subject` for the key `keyThumbprint` (a
   * server passport's certificates: same server, same key); as above.
   */
  revokeServerCertificates(
    subject: string,
    keyThumbprint: string,
    at: Date,
    reason: RevocationReason,
  ): Promise<CertificateRecord[]>;
  /** Revokes every unrevoked certificate whose key has RFC 7638 thumbprint `keyThumbprint`; as above. */
  revokeByKeyThumbprint(
    keyThumbprint: string,
    at: Date,
    reason: RevocationReason,
  ): Promise<CertificateRecord[]>;
  /** Up to `limit` certificates without a key thumbprint (rows older than the column). */
  listWithoutKeyThumbprint(limit: number): Promise<CertificateRecord[]>;
  setKeyThumbprint(serial: string, keyThumbprint: string): Promise<void>;
  /** Certificates issued by the CA key `issuerKid` that are not revoked (any expiry). */
  listUnrevokedByIssuer(issuerKid: string): Promise<CertificateRecord[]>;
  /**
   * Certificates of `publisherId` that are not revoked (any expiry): server certificates whose
   * subject is one of `servers`, and client certificates bound to one of `passportIds`.
   */
  listUnrevokedOf(o: {
    publisherId: string;
    servers: string[];
    passportIds: string[];
  }): Promise<CertificateRecord[]>;
  /**
   * Revoked certificates of `issuerKid` whose notAfter is later than `expiringAfter`, with
   * serial > `after`, ordered by serial, at most `limit`: keyset pages for the CRL writer.
   */
  listRevoked(o: {
    issuerKid: string;
    expiringAfter: Date;
    after?: string;
    limit: number;
  }): Promise<RevokedEntry[]>;
  /** A page of certificates matching `q`, newest first (createdAt, then serial, descending). */
  list(q: CertificateQuery): Promise<CertificateRecord[]>;
  /** Certificates neither revoked nor expired at `now`. */
  countValid(now: Date): Promise<number>;
}

/** A CRL as published: generated once, stored, then served as is. */
export interface PublishedCrl {
  crlNumber: number;
  issuerKid: string;
  thisUpdate: Date;
  nextUpdate: Date;
  /** Number of revokedCertificates entries. */
  entries: number;
  createdAt: Date;
}

export interface StoredCrl extends PublishedCrl {
  der: Buffer;
}

export interface CrlStore {
  /** The next CRL number from a database sequence: increasing across every app instance. */
  nextNumber(): Promise<number>;
  insert(crl: StoredCrl): Promise<void>;
  /** The newest CRL of the issuer, without its bytes. */
  latestInfo(issuerKid: string): Promise<PublishedCrl | undefined>;
  findByNumber(crlNumber: number): Promise<StoredCrl | undefined>;
  /** Deletes all but the newest `keep` CRLs of the issuer. */
  prune(issuerKid: string, keep: number): Promise<void>;
}
