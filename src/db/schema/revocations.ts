// Every revocation of every kind (manifests, passports, authority keys; certificates plug in), in one
// monotonic sequence read by the revocation feed (`GET /v1/revocations?since=`).
import { bigserial, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export const revocations = pgTable(
  'revocations',
  {
    /** From a PostgreSQL sequence: monotonic across app instances. */
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    /** manifest | passport | certificate | key */
    kind: text('kind').notNull(),
    subject: text('subject').notNull(),
    reason: text('reason').notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }).notNull(),
    data: jsonb('data').notNull(),
  },
  (t) => [uniqueIndex('revocations_kind_subject_key').on(t.kind, t.subject)],
);
