// Storage port of admin UI sessions.
import type { AdminSession } from './session.js';

export interface AdminSessionStore {
  insert(s: AdminSession): Promise<void>;
  /** The session whose cookie secret hashes to `secretHash`. */
  findBySecretHash(secretHash: string): Promise<AdminSession | undefined>;
  /** Records activity: moves `lastSeenAt`, which the idle timeout counts from. */
  touch(id: string, at: Date): Promise<void>;
  delete(id: string): Promise<void>;
  /** Deletes sessions past their absolute expiry or idle since before `idleBefore`. */
  deleteExpired(now: Date, idleBefore: Date): Promise<number>;
}
