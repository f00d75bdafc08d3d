// Agents of publishers, created on first passport issuance.
import { pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { publishers } from './publishers.js';

export const agents = pgTable(
  'agents',
  {
    id: text('id').primaryKey(),
    publisherId: text('publisher_id')
      .notNull()
      .references(() => publishers.id),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [uniqueIndex('agents_publisher_name_key').on(t.publisherId, t.name)],
);
