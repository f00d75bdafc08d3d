// The server.json document the MCP Registry API (v0.1) serves for one published version. It is
// fixed at publication: built from the server record as it is at that moment, signed inside the
// manifest (`server_json`), and served from the signed payload ever after, so a later server
// PATCH changes only the versions published after it (issue 11, DESIGN.md §13).
import { canonicalBytes } from '../crypto/jcs.js';
import type { Repository } from '../registry/server.js';
import { sha256Digest } from './manifest.js';

/** The server.json schema version whose shape these documents follow. */
export const SERVER_JSON_SCHEMA = 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json';

/** server.json (official schema), the members we serve. */
export interface ServerJson {
  $schema: string;
  name: string;
  description: string;
  version: string;
  repository?: Repository;
}

/** What of the server record goes into a version's server.json. */
export interface ServerJsonSource {
  name: string;
  description: string;
  repository: Repository | null;
}

/** The server.json of `version` of `server`, as it is served and signed from now on. */
export function buildServerJson(server: ServerJsonSource, version: string): ServerJson {
  return {
    $schema: SERVER_JSON_SCHEMA,
    name: server.name,
    description: server.description,
    version,
    ...(server.repository ? { repository: server.repository } : {}),
  };
}

/**
 * `sha256:` + hex SHA-256 of JCS(server.json): what a client recomputes over the `server` object
 * it was served, and compares with the `server_json` inside the signed manifest.
 */
export function serverJsonDigest(serverJson: unknown): string {
  return sha256Digest(canonicalBytes(serverJson));
}
