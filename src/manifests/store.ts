// Storage port of manifest versions, including the page query of the MCP Registry API.
import type { Server } from '../registry/server.js';
import type { DsseSignature } from '../crypto/dsse.js';
import type { ManifestRecord, ManifestState, ReplacedSignatures } from './manifest.js';

export interface RegistryQuery {
  /** Keyset position: entries after (server name, publish position). */
  after?: { name: string; position: number };
  limit: number;
  /** Case-insensitive substring of the server name. */
  search?: string;
  /** Entries whose version changed (state, latest flag) strictly after this instant. */
  updatedSince?: Date;
  latestOnly: boolean;
  /** An exact version. */
  version?: string;
  /** Include yanked versions ("deleted" in the MCP Registry API). */
  includeDeleted: boolean;
}

/** A page query over every server's versions, newest first; every given filter must hold. */
export interface ManifestQuery {
  state?: ManifestState | undefined;
  serverName?: string | undefined;
  /** A substring of the server name (any case), or an exact version, digest or tool name. */
  search?: string | undefined;
  /** Keyset position: only versions after this one in (publishedAt, digest) descending order. */
  before?: { publishedAt: Date; digest: string } | undefined;
  limit: number;
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
  /** Versions (any state) whose current envelope carries a signature with `keyid`, by digest. */
  listSignedBy(keyid: string): Promise<ManifestRecord[]>;
  /** Replaces the envelope's signatures, appending the old ones to the history. */
  replaceSignatures(
    digest: string,
    r: { signatures: DsseSignature[]; replaced: ReplacedSignatures; updatedAt: Date },
  ): Promise<void>;
  updateState(
    digest: string,
    s: {
      state: ManifestState;
      statusReason: string | null;
      statusChangedAt: Date;
      updatedAt: Date;
    },
  ): Promise<void>;
  /** Marks `version` (or none) as latest; rows whose flag flips get `updatedAt = at`. */
  setLatest(serverName: string, version: string | undefined, at: Date): Promise<void>;
  /** Ordered by (server name, position). */
  registryPage(q: RegistryQuery): Promise<RegistryEntry[]>;
  /** A page of versions matching `q`, newest first (publishedAt, then digest, descending). */
  list(q: ManifestQuery): Promise<ManifestRecord[]>;
}
