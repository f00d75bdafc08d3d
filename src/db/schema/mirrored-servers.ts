// Mirrored registry entries (issue 17): server.json versions imported from an official-registry
// `/v0.1/servers` export — a separate, unverified source. Never a `servers` row: nothing here is
// signed, proven, certified or given a passport; a verified publisher may claim a name by proof.
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

export const mirroredServers = pgTable(
  'mirrored_servers',
  {
    name: text('name').notNull(),
    version: text('version').notNull(),
    /** Label of the import source (a file name or URL). */
    source: text('source').notNull(),
    /** 1, 2, 3… in first-import order within the name (the /v0.1 keyset position). */
    position: integer('position').notNull(),
    /** The server.json as the export served it. */
    serverJson: jsonb('server_json').notNull(),
    /** The export's `_meta["io.modelcontextprotocol.registry/official"]` {status, statusMessage?, publishedAt, updatedAt, isLatest}. */
    official: jsonb('official').notNull(),
    /** sha256: hex of JCS({server, official}): what re-imports compare. */
    contentDigest: text('content_digest').notNull(),
    /** The publisher that claimed the name by proof (a verified namespace), or null. */
    claimedBy: text('claimed_by'),
    claimedAt: timestamp('claimed_at', { withTimezone: true, mode: 'date' }),
    /** Set when a later import of the source no longer had the entry. */
    removedAt: timestamp('removed_at', { withTimezone: true, mode: 'date' }),
    importedAt: timestamp('imported_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.name, t.version] }),
    index('mirrored_servers_source_idx').on(t.source),
    index('mirrored_servers_name_position_idx').on(t.name, t.position),
  ],
);
