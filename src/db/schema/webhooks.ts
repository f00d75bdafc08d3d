// Revocation webhooks: subscriptions and the outbox of deliveries (one row per subscription and
// revocation, written in the revocation's transaction; src/webhooks/).
import {
  bigint,
  bigserial,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { publishers } from './publishers.js';
import { revocations } from './revocations.js';

export const webhookSubscriptions = pgTable(
  'webhook_subscriptions',
  {
    id: text('id').primaryKey(),
    /** Null: registered by an admin for the TA itself. */
    publisherId: text('publisher_id').references(() => publishers.id),
    url: text('url').notNull(),
    /** AES-256-GCM under the KEK, AAD bound to the id (src/crypto/kek.ts). */
    sealedSecret: text('sealed_secret').notNull(),
    /** Revocation kinds delivered; empty = all. */
    kinds: text('kinds').array().notNull(),
    description: text('description'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    createdBy: text('created_by').notNull(),
    deletedAt: timestamp('deleted_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('webhook_subscriptions_publisher_idx').on(t.publisherId)],
);

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    subscriptionId: text('subscription_id')
      .notNull()
      .references(() => webhookSubscriptions.id),
    revocationSeq: bigint('revocation_seq', { mode: 'number' })
      .notNull()
      .references(() => revocations.seq),
    /** pending | delivered | failed | cancelled */
    status: text('status').notNull(),
    attempts: integer('attempts').notNull(),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'date' }).notNull(),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true, mode: 'date' }),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_subscription_seq_key').on(t.subscriptionId, t.revocationSeq),
    index('webhook_deliveries_due_idx').on(t.status, t.nextAttemptAt),
  ],
);
