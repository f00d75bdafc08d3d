// Storage port of authority keys.
import type { AuthorityKeyRecord } from './authority-key.js';

export interface AuthorityKeyStore {
  listAll(): Promise<AuthorityKeyRecord[]>;
  insert(record: AuthorityKeyRecord): Promise<void>;
  updateStatus(kid: string, status: AuthorityKeyRecord['status']): Promise<void>;
}
