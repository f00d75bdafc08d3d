// Admin UI sessions (src/admin/session.ts): the cookie secret is stored only as its SHA-256.
import { index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { adminUsers } from './admin-users.js';

export const adminSessions = pgTable(
  'admin_sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => adminUsers.id),
    secretHash: text('secret_hash').notNull(),
    csrfToken: text('csrf_token').notNull(),
    clientAddress: text('client_address').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    uniqueIndex('admin_sessions_secret_hash_key').on(t.secretHash),
    index('admin_sessions_expires_idx').on(t.expiresAt),
  ],
);
