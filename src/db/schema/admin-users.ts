// Admin accounts of the admin UI (src/admin/admin-user.ts): scrypt hashes only, never passwords.
import { pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export const adminUsers = pgTable(
  'admin_users',
  {
    id: text('id').primaryKey(),
    /** Lowercase. */
    username: text('username').notNull(),
    passwordHash: text('password_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [uniqueIndex('admin_users_username_key').on(t.username)],
);
