// The MCP Registry read API (modelcontextprotocol/registry, API v0.1): each published manifest
// version is one server.json entry, wrapped as `{server, _meta}` like the official registry serves
// it, with our trust data (digest, DSSE signatures, state) under the `dev.mcps-ta/trust` key.
// Everything in an entry comes from the version's record, never from the live server record: the
// server.json is the one signed inside the manifest (server-json.ts), so a server PATCH changes no
// published version's document.
import { NotFoundError } from '../errors.js';
import { candidateNamespaces, decideOriginProof } from '../registry/origin-proof.js';
import type { Persistence } from '../stores.js';
import { MANIFEST_PAYLOAD_TYPE, manifestOf, servedServerJsonOf } from './manifest.js';
import { getManifest } from './read.js';
import { serverJsonDigest, type ServerJson } from './server-json.js';
import { capabilityClasses, inputSchemasTyped, profileOf, type CapabilityLabel, type Profile } from './trust-profile.js';
import type { RegistryEntry, RegistryQuery } from './store.js';

export { SERVER_JSON_SCHEMA, type ServerJson } from './server-json.js';
export const OFFICIAL_META_KEY = 'io.modelcontextprotocol.registry/official';
export const TRUST_META_KEY = 'dev.mcps-ta/trust';

export interface ServerResponse {
  server: ServerJson;
  _meta: {
    [OFFICIAL_META_KEY]: {
      status: 'active' | 'deprecated' | 'deleted';
      statusMessage?: string;
      statusChangedAt: string;
      publishedAt: string;
      updatedAt: string;
      isLatest: boolean;
    };
    [TRUST_META_KEY]: {
      digest: string;
      state: 'published' | 'deprecated' | 'yanked';
      reason: string | null;
      origin: string;
      /** The TA holds a current proof for `origin` (DESIGN.md §9); false once the namespace is rejected or moved. */
      origin_proven: boolean;
      manifest_url: string;
      payload_type: string;
      signatures: Array<{ keyid: string; sig: string }>;
      previous: { version: string; digest: string } | null;
      tool_count: number;
      /** `sha256:` + hex SHA-256 of JCS(`server`): equal to that of the manifest's `server_json`. */
      server_json_digest: string;
      /** True when `server` is the `server_json` of the signed manifest (false: a legacy version). */
      server_json_signed: boolean;
      /** Trust profile (trust-profile.ts): computed at this read from what the TA checked. */
      verified: boolean;
      verified_publisher: boolean;
      signed_manifest: boolean;
      server_signature: boolean;
      trust_level: number | null;
      capability_classes: CapabilityLabel[];
      status: { state: 'published' | 'deprecated' | 'yanked'; reason: string | null; at: string };
      profile: Profile | null;
    };
  };
}

const OFFICIAL_STATUS = { published: 'active', deprecated: 'deprecated', yanked: 'deleted' } as const;

/** A registry entry with the proofs the TA holds for it now. */
export interface ProvenEntry extends RegistryEntry {
  originProven: boolean;
  /** The server's namespace is verified and held by the server's publisher. */
  verifiedPublisher: boolean;
  /** Trust level of the server's active passport, or null. */
  trustLevel: number | null;
}

/**
 * Whether the TA still holds a proof for each entry's manifest origin, for its server's
 * publisher (a namespace it holds verified, or the server's admin approval of that origin):
 * one read of the namespaces for the whole page. `/v0.1` never presents an origin as vetted
 * without it.
 */
export async function withOriginProofs(p: Persistence, entries: RegistryEntry[]): Promise<ProvenEntry[]> {
  const origins = entries.map((e) => manifestOf(e.manifest).origin);
  const candidates = [...new Set([...origins.flatMap((o) => candidateNamespaces(o)), ...entries.map((e) => e.server.namespace)])];
  const verified = candidates.length === 0 ? [] : await p.stores.namespaces.findVerified(candidates);
  const now = p.clock.now();
  const levels = new Map<string, number | null>();
  for (const name of new Set(entries.map((e) => e.server.name))) {
    levels.set(name, (await p.stores.passports.findActiveBySubject('server', name, now))?.trustLevel ?? null);
  }
  return entries.map((e, i) => ({
    ...e,
    originProven: decideOriginProof({ origin: origins[i]!, publisherId: e.server.publisherId, approval: e.server.originApproval }, verified).proven,
    verifiedPublisher: verified.some((ns) => ns.namespace === e.server.namespace && ns.publisherId === e.server.publisherId),
    trustLevel: levels.get(e.server.name) ?? null,
  }));
}

/** One entry as the official registry shapes it. `baseUrl` makes the manifest link absolute. */
export function serverResponseOf(e: ProvenEntry, baseUrl: string): ServerResponse {
  const { manifest: m } = e;
  const doc = manifestOf(m);
  const { serverJson, signed } = servedServerJsonOf(m);
  const classes = capabilityClasses(doc.tools);
  return {
    server: serverJson,
    _meta: {
      [OFFICIAL_META_KEY]: {
        status: OFFICIAL_STATUS[m.state],
        ...(m.statusReason ? { statusMessage: m.statusReason } : {}),
        statusChangedAt: (m.statusChangedAt ?? m.publishedAt).toISOString(),
        publishedAt: m.publishedAt.toISOString(),
        updatedAt: m.updatedAt.toISOString(),
        isLatest: m.isLatest,
      },
      [TRUST_META_KEY]: {
        digest: m.digest,
        state: m.state,
        reason: m.statusReason,
        origin: doc.origin,
        origin_proven: e.originProven,
        manifest_url: `${baseUrl}/v1/manifests/${m.digest}`,
        payload_type: MANIFEST_PAYLOAD_TYPE,
        signatures: m.signatures,
        previous: doc.previous,
        tool_count: doc.tools.length,
        server_json_digest: serverJsonDigest(serverJson),
        server_json_signed: signed,
        verified: e.verifiedPublisher,
        verified_publisher: e.verifiedPublisher,
        signed_manifest: true,
        server_signature: doc.server_signature !== undefined,
        trust_level: e.trustLevel,
        capability_classes: classes,
        status: { state: m.state, reason: m.statusReason, at: (m.statusChangedAt ?? m.publishedAt).toISOString() },
        profile: profileOf({
          signedManifest: true,
          typedInputSchemas: inputSchemasTyped(doc.tools),
          originProven: e.originProven,
          verifiedPublisher: e.verifiedPublisher,
          trustLevel: e.trustLevel,
          serverSignature: doc.server_signature !== undefined,
          everyToolClassified: !classes.includes('unclassified'),
          active: m.state !== 'yanked',
        }),
      },
    },
  };
}

export interface RegistryPage {
  entries: ProvenEntry[];
  /** Keyset position to continue from, or null at the end. */
  next: { name: string; position: number } | null;
}

/**
 * A page of entries ordered by (server name, publish position). As in the official API, yanked
 * ("deleted") versions are included when asked, and always when `updatedSince` is given, so a
 * syncing mirror learns of yanks.
 */
export async function listRegistryServers(p: Persistence, q: Omit<RegistryQuery, 'includeDeleted'> & { includeDeleted?: boolean }): Promise<RegistryPage> {
  const includeDeleted = q.includeDeleted === true || q.updatedSince !== undefined;
  const rows = await p.stores.manifests.registryPage({ ...q, includeDeleted, limit: q.limit + 1 });
  const entries = rows.slice(0, q.limit);
  const last = entries[entries.length - 1];
  return {
    entries: await withOriginProofs(p, entries),
    next: rows.length > q.limit && last ? { name: last.server.name, position: last.manifest.position } : null,
  };
}

/** Every version of one server, newest publication first. */
export async function listRegistryVersions(p: Persistence, serverName: string, includeDeleted: boolean): Promise<ProvenEntry[]> {
  const server = await p.stores.servers.find(serverName);
  if (!server) throw new NotFoundError(`no server ${serverName}`);
  const versions = (await p.stores.manifests.listByServer(serverName)).filter((m) => includeDeleted || m.state !== 'yanked');
  if (versions.length === 0) throw new NotFoundError(`${serverName} has no published versions`);
  return withOriginProofs(p, versions.reverse().map((manifest) => ({ server, manifest })));
}

/** One version (or `latest`); a yanked version is "deleted" and found only with includeDeleted. */
export async function getRegistryVersion(p: Persistence, serverName: string, version: string, includeDeleted: boolean): Promise<ProvenEntry> {
  const manifest = await getManifest(p, serverName, version);
  if (manifest.state === 'yanked' && !includeDeleted) throw new NotFoundError(`${serverName}@${manifest.version} was yanked`);
  const server = (await p.stores.servers.find(serverName))!;
  const [entry] = await withOriginProofs(p, [{ server, manifest }]);
  return entry!;
}
