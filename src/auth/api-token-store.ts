// Storage port of API tokens.
import type { ApiToken } from './api-token.js';

export interface ApiTokenStore {
  insert(t: ApiToken): Promise<void>;
  findById(id: string): Promise<ApiToken | undefined>;
  /** Tokens of a publisher, or the admin tokens (publisherId null). */
  listByPublisher(publisherId: string | null): Promise<ApiToken[]>;
  markRevoked(id: string, at: Date): Promise<void>;
  /** Tokens of every kind that are neither revoked nor expired at `now`. */
  countActive(now: Date): Promise<number>;
}
