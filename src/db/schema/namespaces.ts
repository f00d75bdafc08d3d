// Namespaces (reverse-DNS) claimed by publishers, with their HTTP challenge and verification.
import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { publishers } from './publishers.js';

export const namespaces = pgTable(
  'namespaces',
  {
    namespace: text('namespace').primaryKey(),
    publisherId: text('publisher_id')
      .notNull()
      .references(() => publishers.id),
    /** pending | verified | rejected */
    status: text('status').notNull(),
    challengeBaseUrl: text('challenge_base_url').notNull(),
    challengeToken: text('challenge_token').notNull(),
    challengeExpiresAt: timestamp('challenge_expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** http-challenge | admin */
    verificationMethod: text('verification_method'),
    verifiedAt: timestamp('verified_at', { withTimezone: true, mode: 'date' }),
    reason: text('reason'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('namespaces_publisher_idx').on(t.publisherId), index('namespaces_status_idx').on(t.status)],
);
