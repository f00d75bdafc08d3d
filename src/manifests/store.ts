// Storage port of manifest versions, including the page query of the MCP Registry API.
import type { Server } from '../registry/server.js';
import type { ManifestRecord, ManifestState } from './manifest.js';

export interface RegistryQuery {
  /** Keyset position: entries after (server name, publish position). */
  after?: { name: string; position: number };
  limit: number;
  /** Case-insensitive substring of the server name. */
  search?: string;
  /** Entries whose manifest or server changed strictly after this instant. */
  updatedSince?: Date;
  latestOnly: boolean;
  /** An exact version. */
  version?: string;
  /** Include yanked versions ("deleted" in the MCP Registry API). */
  includeDeleted: boolean;
}

export interface RegistryEntry {
  server: Server;
  manifest: ManifestRecord;
}

export interface ManifestStore {
  /** Throws ConflictError when the server already has this version. */
  insert(r: ManifestRecord): Promise<void>;
  findByVersion(serverName: string, version: string): Promise<ManifestRecord | undefined>;
  findByDigest(digest: string): Promise<ManifestRecord | undefined>;
  findLatest(serverName: string): Promise<ManifestRecord | undefined>;
  /** Every version of a server in publish order. */
  listByServer(serverName: string): Promise<ManifestRecord[]>;
  /** The most recently published version of a server. */
  last(serverName: string): Promise<ManifestRecord | undefined>;
  updateState(digest: string, s: { state: ManifestState; statusReason: string | null; statusChangedAt: Date; updatedAt: Date }): Promise<void>;
  /** Marks `version` (or none) as latest; rows whose flag flips get `updatedAt = at`. */
  setLatest(serverName: string, version: string | undefined, at: Date): Promise<void>;
  /** Ordered by (server name, position). */
  registryPage(q: RegistryQuery): Promise<RegistryEntry[]>;
}
