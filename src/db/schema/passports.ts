// Passports, their proof-of-possession challenges and key-continuity links (DESIGN.md §5, §7).
import { sql } from 'drizzle-orm';
import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { agents } from './agents.js';
import { publishers } from './publishers.js';

export const passports = pgTable(
  'passports',
  {
    passportId: text('passport_id').primaryKey(),
    publisherId: text('publisher_id')
      .notNull()
      .references(() => publishers.id),
    /** agent | server | issuer */
    subjectType: text('subject_type').notNull(),
    subjectName: text('subject_name').notNull(),
    agentId: text('agent_id').references(() => agents.id),
    /** passport_id of the first passport of the key-continuity chain. */
    lineageId: text('lineage_id').notNull(),
    /** RFC 7638 thumbprint of the certified public key. */
    kid: text('kid').notNull(),
    trustLevel: integer('trust_level').notNull(),
    /** active | superseded | revoked (expired is derived from expires_at) */
    state: text('state').notNull(),
    /** The signed passport, exactly as issued. */
    document: jsonb('document').notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true, mode: 'date' }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    revocationReason: text('revocation_reason'),
    supersededAt: timestamp('superseded_at', { withTimezone: true, mode: 'date' }),
    supersededBy: text('superseded_by'),
    /** Audit seq of the admin approval behind trust level 4. */
    approvalSeq: bigint('approval_seq', { mode: 'number' }),
  },
  (t) => [
    index('passports_lineage_idx').on(t.lineageId, t.issuedAt),
    index('passports_agent_idx').on(t.agentId),
    index('passports_publisher_idx').on(t.publisherId),
    index('passports_state_idx').on(t.state, t.expiresAt),
    // keyCompromise revokes every passport carrying the key (DESIGN.md §10).
    index('passports_kid_idx').on(t.kid),
    // "Is this key compromised?" before every issuance (see certificates_key_compromised_idx).
    index('passports_kid_compromised_idx')
      .on(t.kid)
      .where(sql`${t.revocationReason} = 'keyCompromise'`),
  ],
);

/** Proof-of-possession nonces, stored as SHA-256; a row is deleted when its nonce is used. */
export const passportChallenges = pgTable(
  'passport_challenges',
  {
    nonceHash: text('nonce_hash').primaryKey(),
    publisherId: text('publisher_id').references(() => publishers.id),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('passport_challenges_expires_idx').on(t.expiresAt)],
);

/** One TA-countersigned link per passport of a key-continuity chain. */
export const passportChainLinks = pgTable(
  'passport_chain_links',
  {
    lineageId: text('lineage_id').notNull(),
    seq: integer('seq').notNull(),
    passportId: text('passport_id')
      .notNull()
      .references(() => passports.passportId),
    document: jsonb('document').notNull(),
  },
  (t) => [primaryKey({ columns: [t.lineageId, t.seq] })],
);
