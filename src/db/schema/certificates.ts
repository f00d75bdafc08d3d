// X.509 leaf certificates issued by the TA, with their revocation state (RFC 5280 names).
import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { authorityKeys } from './authority-keys.js';
import { publishers } from './publishers.js';

export const certificates = pgTable(
  'certificates',
  {
    /** Canonical serial: lowercase hex of the minimal positive magnitude. */
    serial: text('serial').primaryKey(),
    /** server | client */
    profile: text('profile').notNull(),
    /** Server name or passport id. */
    subject: text('subject').notNull(),
    passportId: text('passport_id'),
    publisherId: text('publisher_id')
      .notNull()
      .references(() => publishers.id),
    issuerKid: text('issuer_kid')
      .notNull()
      .references(() => authorityKeys.kid),
    /** ["DNS:host"] | ["IP:addr"] | ["URI:urn:mcps:passport:…"] */
    sans: jsonb('sans').notNull(),
    keyType: text('key_type').notNull(),
    /** RFC 7638 thumbprint of the subject public key (= passports.kid for the same P-256 key). */
    keyThumbprint: text('key_thumbprint'),
    notBefore: timestamp('not_before', { withTimezone: true, mode: 'date' }).notNull(),
    notAfter: timestamp('not_after', { withTimezone: true, mode: 'date' }).notNull(),
    pem: text('pem').notNull(),
    renewedFrom: text('renewed_from'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    /** RFC 5280 CRLReason name, camelCase. */
    revocationReason: text('revocation_reason'),
  },
  (t) => [
    index('certificates_publisher_idx').on(t.publisherId),
    index('certificates_subject_idx').on(t.subject),
    // keyCompromise follows the key (DESIGN.md §10), and client certificates follow their passport.
    index('certificates_key_thumbprint_idx').on(t.keyThumbprint),
    // "Is this key compromised?" before every issuance: without it the check read every
    // certificate of the key (one key renewed N times: O(N) per issuance).
    index('certificates_key_compromised_idx')
      .on(t.keyThumbprint)
      .where(sql`${t.revocationReason} = 'keyCompromise'`),
    index('certificates_passport_idx').on(t.passportId),
    // Keyset pages of the admin list, newest first (scanned backwards).
    index('certificates_created_idx').on(t.createdAt, t.serial),
    // Keyset pages of revoked certificates for the CRL writer.
    index('certificates_revoked_idx')
      .on(t.issuerKid, t.serial)
      .where(sql`${t.revokedAt} is not null`),
  ],
);
