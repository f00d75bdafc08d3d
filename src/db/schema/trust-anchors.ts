// Every version of the signed trust-anchor document, kept forever so clients can walk forward.
import { integer, jsonb, pgTable, timestamp } from 'drizzle-orm/pg-core';

export const trustAnchors = pgTable('trust_anchors', {
  version: integer('version').primaryKey(),
  document: jsonb('document').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
});
