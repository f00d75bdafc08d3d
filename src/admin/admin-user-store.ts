// Storage port of admin accounts.
import type { AdminUser } from './admin-user.js';

export interface AdminUserStore {
  /** Throws ConflictError (field `username`) when the username is taken. */
  insert(u: AdminUser): Promise<void>;
  findById(id: string): Promise<AdminUser | undefined>;
  /** `username` is already normalised (lowercase). */
  findByUsername(username: string): Promise<AdminUser | undefined>;
}
