// Registered MCP servers (`namespace/name`).
import { index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { ofNamespaceAndPublisher } from './namespaces.js';

export const servers = pgTable(
  'servers',
  {
    name: text('name').primaryKey(),
    ...ofNamespaceAndPublisher(),
    origin: text('origin').notNull(),
    description: text('description').notNull(),
    /** server.json Repository {url, source, subfolder?, id?} or null. */
    repository: jsonb('repository'),
    /** An admin's approval of one exact origin for this server {origin, reason, approved_by, approved_at, audit_seq} or null. */
    originApproval: jsonb('origin_approval'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    index('servers_namespace_idx').on(t.namespace),
    index('servers_publisher_idx').on(t.publisherId),
  ],
);
