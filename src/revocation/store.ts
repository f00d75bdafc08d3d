// Storage port of the revocation table.
import type { NewRevocation, Revocation, RevocationKind } from './revocation.js';

export interface RevocationStore {
  /** Inserts with the next sequence number; returns the stored row. */
  insert(r: NewRevocation): Promise<Revocation>;
  /** Inserts in order with consecutive sequence numbers (call under the feed lock). */
  insertMany(rs: NewRevocation[]): Promise<Revocation[]>;
  find(kind: RevocationKind, subject: string): Promise<Revocation | undefined>;
  /** Rows with seq > `since`, ascending, at most `limit`. */
  listSince(since: number, limit: number): Promise<Revocation[]>;
  /** How many rows of each kind were revoked at or after `since` (kinds with none are absent). */
  countRevokedSince(since: Date): Promise<Array<{ kind: RevocationKind; count: number }>>;
}
