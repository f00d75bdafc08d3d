// Recent failed admin sign-ins, per throttle key (src/admin/sign-in-throttle.ts). Short-lived:
// rows older than the throttle window are deleted on the next attempt.
import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const signInFailures = pgTable(
  'sign_in_failures',
  {
    id: text('id').primaryKey(),
    /** `user:<username>` or `addr:<client address>`. */
    key: text('key').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    index('sign_in_failures_key_at_idx').on(t.key, t.at),
    index('sign_in_failures_at_idx').on(t.at),
  ],
);
