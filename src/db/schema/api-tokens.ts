// API tokens: stored as SHA-256 of the bearer string only (src/crypto/secret-token.ts).
import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { publishers } from './publishers.js';

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    /** admin | publisher | auditor */
    role: text('role').notNull(),
    /** Null for admin tokens, which belong to no publisher. */
    publisherId: text('publisher_id').references(() => publishers.id),
    label: text('label'),
    secretHash: text('secret_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('api_tokens_publisher_idx').on(t.publisherId)],
);
