// Table of the TA's own keys: passport-signing key(s), root CA, issuing intermediate CA.
import { index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const authorityKeys = pgTable(
  'authority_keys',
  {
    /** RFC 7638 JWK thumbprint of the public key. */
    kid: text('kid').primaryKey(),
    /** passport-signing | root-ca | issuing-ca */
    purpose: text('purpose').notNull(),
    /** active | retiring | retired | revoked */
    status: text('status').notNull(),
    algorithm: text('algorithm').notNull(),
    publicJwk: jsonb('public_jwk').notNull(),
    certificatePem: text('certificate_pem'),
    /** AES-256-GCM under the KEK (src/crypto/kek.ts); never plaintext. */
    sealedPrivateKey: text('sealed_private_key').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    notAfter: timestamp('not_after', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('authority_keys_purpose_status_idx').on(t.purpose, t.status)],
);
