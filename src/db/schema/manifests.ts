// Published tool manifest versions (DESIGN.md §6). `payload` is the exact signed JCS text, so the
// digest and the DSSE signature always verify against what is served.
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { at } from './columns.js';
import { servers } from './servers.js';

export const manifests = pgTable(
  'manifests',
  {
    /** sha256:<hex> of the payload. */
    digest: text('digest').primaryKey(),
    serverName: text('server_name')
      .notNull()
      .references(() => servers.name),
    version: text('version').notNull(),
    /** 1, 2, 3… in publish order within the server; `previous` links position n to n-1. */
    position: integer('position').notNull(),
    contentDigest: text('content_digest').notNull(),
    payload: text('payload').notNull(),
    /** DSSE signatures [{keyid, sig}] over PAE(payloadType, payload). */
    signatures: jsonb('signatures').notNull(),
    /**
     * server.json served for versions published before the payload carried `server_json`:
     * snapshot of the server record taken by migration 0004; null for every later version.
     */
    legacyServerJson: jsonb('legacy_server_json'),
    /**
     * Envelopes this version was served with before (oldest first): [{signatures, replaced_at,
     * replaced_by, reason}] — kept when a revoked authority key's signature is replaced.
     */
    signatureHistory: jsonb('signature_history').notNull().default([]),
    /** published | deprecated | yanked */
    state: text('state').notNull(),
    statusReason: text('status_reason'),
    statusChangedAt: at('status_changed_at'),
    isLatest: boolean('is_latest').notNull().default(false),
    publishedAt: at('published_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('manifests_server_version_key').on(t.serverName, t.version),
    uniqueIndex('manifests_server_position_key').on(t.serverName, t.position),
    uniqueIndex('manifests_one_latest_key')
      .on(t.serverName)
      .where(sql`${t.isLatest}`),
    index('manifests_updated_at_idx').on(t.updatedAt),
  ],
);
