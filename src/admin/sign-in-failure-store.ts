// Storage port of recent failed sign-ins, counted by the sign-in throttle. Kept in the database
// (not in memory) so every instance sharing it enforces one limit.
export interface SignInFailure {
  id: string;
  /** `user:<username>` or `addr:<client address>`. */
  key: string;
  at: Date;
}

export interface SignInFailureStore {
  insert(f: SignInFailure): Promise<void>;
  /** Times of the failures of `key` at or after `since`, oldest first. */
  timesSince(key: string, since: Date): Promise<Date[]>;
  deleteIds(ids: string[]): Promise<void>;
  deleteKey(key: string): Promise<void>;
  /** Forgets failures older than `before` (they no longer count). */
  deleteOlderThan(before: Date): Promise<void>;
}
