// The server.json document the MCP Registry API (v0.1) serves for one published version. It is
// fixed at publication: built from the server record as it is at that moment and the server.json
// members the publisher sent with the version (packages, remotes, title, websiteUrl, icons,
// repository, publisher-provided `_meta`), signed inside the manifest (`server_json`), and served
// from the signed payload ever after, so a later server PATCH changes only the versions published
// after it (issue 11, DESIGN.md §13). Its rules: server-json-schema.ts.
import { canonicalBytes } from '../crypto/jcs.js';
import type { Repository } from '../registry/server.js';
import { sha256Digest } from './manifest.js';
import { SERVER_JSON_SCHEMA, type ServerJsonExtras } from './server-json-schema.js';

export { SERVER_JSON_SCHEMA } from './server-json-schema.js';

/** server.json (official schema 2025-12-11), the members we serve. */
export interface ServerJson {
  $schema: string;
  name: string;
  description: string;
  title?: string;
  version: string;
  websiteUrl?: string;
  repository?: Repository;
  icons?: NonNullable<ServerJsonExtras['icons']>;
  packages?: NonNullable<ServerJsonExtras['packages']>;
  remotes?: NonNullable<ServerJsonExtras['remotes']>;
  _meta?: NonNullable<ServerJsonExtras['_meta']>;
}

/** What of the server record goes into a version's server.json. */
export interface ServerJsonSource {
  name: string;
  description: string;
  repository: Repository | null;
}

/**
 * The server.json of `version` of `server`, as it is served and signed from now on. The
 * publisher's `extras` win over the record for `description` and `repository` (a version's
 * server.json is its own); everything else comes from them alone.
 */
export function buildServerJson(
  server: ServerJsonSource,
  version: string,
  extras: ServerJsonExtras = {},
): ServerJson {
  const repository = extras.repository ?? server.repository ?? undefined;
  return {
    $schema: SERVER_JSON_SCHEMA,
    name: server.name,
    description: extras.description ?? server.description,
    ...(extras.title !== undefined ? { title: extras.title } : {}),
    version,
    ...(extras.websiteUrl !== undefined ? { websiteUrl: extras.websiteUrl } : {}),
    ...(repository ? { repository } : {}),
    ...(extras.icons !== undefined ? { icons: extras.icons } : {}),
    ...(extras.packages !== undefined ? { packages: extras.packages } : {}),
    ...(extras.remotes !== undefined ? { remotes: extras.remotes } : {}),
    ...(extras._meta !== undefined && Object.keys(extras._meta).length > 0
      ? { _meta: extras._meta }
      : {}),
  };
}

/**
 * `sha256:` + hex SHA-256 of JCS(server.json): what a client recomputes over the `server` object
 * it was served, and compares with the `server_json` inside the signed manifest.
 */
export function serverJsonDigest(serverJson: unknown): string {
  return sha256Digest(canonicalBytes(serverJson));
}
