// Publishers: organisations that own namespaces, servers, agents and API tokens.
import { pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export const publishers = pgTable(
  'publishers',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [uniqueIndex('publishers_name_key').on(t.name)],
);
