// Storage port of the revocation table, and of the key-compromise check over what was revoked.
import type { Revocation, RevocationKind } from './revocation.js';

export interface RevocationStore {
  /** The highest seq stored, 0 when there is none. */
  lastSeq(): Promise<number>;
  /** Inserts rows whose seq the caller assigned (under the feed lock); returns them as stored. */
  insertMany(rs: Revocation[]): Promise<Revocation[]>;
  find(kind: RevocationKind, subject: string): Promise<Revocation | undefined>;
  /** Rows with seq > `since`, ascending, at most `limit`. */
  listSince(since: number, limit: number): Promise<Revocation[]>;
  /** How many rows of each kind were revoked at or after `since` (kinds with none are absent). */
  countRevokedSince(since: Date): Promise<Array<{ kind: RevocationKind; count: number }>>;
  /**
   * True when a passport (by kid) or a certificate (by key thumbprint) carrying this key was
   * revoked for keyCompromise: one statement over both.
   */
  isKeyCompromised(thumbprint: string): Promise<boolean>;
}
