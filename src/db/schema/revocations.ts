// Every revocation of every kind (manifests, passports, certificates, authority keys), in one
// gapless sequence read by the revocation feed (`GET /v1/revocations?since=`).
import { bigint, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export const revocations = pgTable(
  'revocations',
  {
    /**
     * 1, 2, 3, … without gaps: the last seq + 1, taken under the feed lock (src/revocation). Not a
     * PostgreSQL sequence: those skip numbers on rollback and after a crash.
     */
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    /** manifest | passport | certificate | key */
    kind: text('kind').notNull(),
    subject: text('subject').notNull(),
    reason: text('reason').notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }).notNull(),
    data: jsonb('data').notNull(),
  },
  // One entry per subject and reason: a passport superseded by rotation (reason superseded) and
  // later revoked for keyCompromise has two, in seq order; the later one is the final word.
  (t) => [uniqueIndex('revocations_kind_subject_reason_key').on(t.kind, t.subject, t.reason)],
);
