// Namespaces (reverse-DNS) claimed by publishers, with their HTTP challenge and verification, and
// the rival claims other publishers hold on a namespace whose record is only a pending claim.
import { index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { at } from './columns.js';
import { publishers } from './publishers.js';

/** A namespace challenge: where it is fetched, the token it must serve, until when. */
const challengeColumns = () => ({
  challengeBaseUrl: text('challenge_base_url').notNull(),
  challengeToken: text('challenge_token').notNull(),
  challengeExpiresAt: at('challenge_expires_at').notNull(),
});

export const namespaces = pgTable(
  'namespaces',
  {
    namespace: text('namespace').primaryKey(),
    publisherId: text('publisher_id')
      .notNull()
      .references(() => publishers.id),
    /** pending | verified | rejected | released | revoked */
    status: text('status').notNull(),
    ...challengeColumns(),
    /** http-challenge | admin */
    verificationMethod: text('verification_method'),
    verifiedAt: at('verified_at'),
    reason: text('reason'),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [
    index('namespaces_publisher_idx').on(t.publisherId),
    index('namespaces_status_idx').on(t.status),
  ],
);

/**
 * The columns of a row that belongs to a namespace and a publisher (a rival claim, a server):
 * `namespace` and `publisher_id`, each a foreign key. A function: each table needs its own
 * column builders.
 */
export const ofNamespaceAndPublisher = () => ({
  namespace: text('namespace')
    .notNull()
    .references(() => namespaces.namespace),
  publisherId: text('publisher_id')
    .notNull()
    .references(() => publishers.id),
});

/**
 * Rival claims: the pending challenge of a publisher other than the one whose claim the
 * namespace's record holds. One per (namespace, publisher); the first to pass its challenge takes
 * the record over. Deleted once the namespace is verified.
 */
export const namespaceClaims = pgTable(
  'namespace_claims',
  {
    ...ofNamespaceAndPublisher(),
    ...challengeColumns(),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.namespace, t.publisherId] }),
    index('namespace_claims_publisher_idx').on(t.publisherId, t.namespace),
  ],
);
