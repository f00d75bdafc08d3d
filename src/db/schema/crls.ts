// Published CRLs: generated once, stored, served as stored. Numbers come from crl_number_seq so
// they increase across every app instance sharing the database (RFC 5280 §5.2.3).
import {
  bigint,
  customType,
  index,
  integer,
  pgSequence,
  pgTable,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { authorityKeys } from './authority-keys.js';

/** bytea as a Node Buffer (PGlite hands back a Uint8Array, postgres.js a Buffer). */
const bytea = customType<{ data: Buffer; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => Buffer.from(value),
  toDriver: (value) => value,
});

export const crlNumberSeq = pgSequence('crl_number_seq', { startWith: 1, increment: 1 });

export const crls = pgTable(
  'crls',
  {
    crlNumber: bigint('crl_number', { mode: 'number' }).primaryKey(),
    issuerKid: text('issuer_kid')
      .notNull()
      .references(() => authorityKeys.kid),
    thisUpdate: timestamp('this_update', { withTimezone: true, mode: 'date' }).notNull(),
    nextUpdate: timestamp('next_update', { withTimezone: true, mode: 'date' }).notNull(),
    entries: integer('entries').notNull(),
    der: bytea('der').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('crls_issuer_number_idx').on(t.issuerKid, t.crlNumber)],
);
