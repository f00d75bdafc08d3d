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
import {
  capabilityClasses,
  inputSchemasTyped,
  profileOf,
  type CapabilityLabel,
  type Profile,
} from './trust-profile.js';
import type { RegistryEntry, RegistryQuery } from './store.js';
import type { MirroredEntry } from '../registry/mirror-store.js';

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
      /** `ta`: published and signed here; `mirror`: imported from another registry, unverified. */
      source: 'ta' | 'mirror';
      /** For mirrored entries: the import source. */
      mirror_source?: string;
      digest: string;
      state: 'published' | 'deprecated' | 'yanked';
      reason: string | null;
      origin: string | null;
      /** The TA holds a current proof for `origin` (DESIGN.md §9); false once the namespace is rejected or moved. */
      origin_proven: boolean;
      manifest_url: string | null;
      payload_type: string | null;
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

const OFFICIAL_STATUS = {
  published: 'active',
  deprecated: 'deprecated',
  yanked: 'deleted',
} as const;

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
export async function withOriginProofs(
  p: Persistence,
  entries: RegistryEntry[],
): Promise<ProvenEntry[]> {
  const origins = entries.map((e) => manifestOf(e.manifest).origin);
  const candidates = [
    ...new Set([
      ...origins.flatMap((o) => candidateNamespaces(o)),
      ...entries.map((e) => e.server.namespace),
    ]),
  ];
  const verified =
    candidates.length === 0 ? [] : await p.stores.namespaces.findVerified(candidates);
  const now = p.clock.now();
  const levels = new Map<string, number | null>();
  for (const name of new Set(entries.map((e) => e.server.name))) {
    levels.set(
      name,
      (await p.stores.passports.findActiveBySubject('server', name, now))?.trustLevel ?? null,
    );
  }
  return entries.map((e, i) => ({
    ...e,
    originProven: decideOriginProof(
      { origin: origins[i]!, publisherId: e.server.publisherId, approval: e.server.originApproval },
      verified,
    ).proven,
    verifiedPublisher: verified.some(
      (ns) => ns.namespace === e.server.namespace && ns.publisherId === e.server.publisherId,
    ),
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
        source: 'ta',
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
        status: {
          state: m.state,
          reason: m.statusReason,
          at: (m.statusChangedAt ?? m.publishedAt).toISOString(),
        },
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
  entries: Array<ProvenEntry | MirroredEntry>;
  /** Keyset position to continue from, or null at the end. */
  next: { name: string; position: number } | null;
}

export const isMirrored = (e: ProvenEntry | MirroredEntry): e is MirroredEntry =>
  'contentDigest' in e && !('manifest' in e);
const keyOf = (e: RegistryEntry | MirroredEntry) =>
  'manifest' in e
    ? { name: e.server.name, position: e.manifest.position }
    : { name: e.name, position: e.position };

/**
 * A page of entries ordered by (server name, publish position): the TA's own versions merged
 * with mirrored ones (a name registered here hides its mirrored copy). As in the official API,
 * yanked ("deleted") versions are included when asked, and always when `updatedSince` is given,
 * so a syncing mirror learns of yanks.
 */
export async function listRegistryServers(
  p: Persistence,
  q: Omit<RegistryQuery, 'includeDeleted'> & { includeDeleted?: boolean },
): Promise<RegistryPage> {
  const includeDeleted = q.includeDeleted === true || q.updatedSince !== undefined;
  const query = { ...q, includeDeleted, limit: q.limit + 1 };
  const [own, mirrored] = await Promise.all([
    p.stores.manifests.registryPage(query),
    p.stores.mirror.page(query),
  ]);
  const merged: Array<RegistryEntry | MirroredEntry> = [...own, ...mirrored].sort((a, b) => {
    const x = keyOf(a);
    const y = keyOf(b);
    return x.name < y.name ? -1 : x.name > y.name ? 1 : x.position - y.position;
  });
  const page = merged.slice(0, q.limit);
  const proven = await withOriginProofs(
    p,
    page.filter((e): e is RegistryEntry => 'manifest' in e),
  );
  let i = 0;
  const entries = page.map((e) => ('manifest' in e ? proven[i++]! : e));
  const last = page[page.length - 1];
  return { entries, next: merged.length > q.limit && last ? keyOf(last) : null };
}

/** A mirrored entry as the official registry shapes it: unverified, unsigned, no profile. */
export function mirroredResponseOf(e: MirroredEntry): ServerResponse {
  const claimed = e.claimedBy !== null;
  const state =
    e.official.status === 'deleted'
      ? 'yanked'
      : e.official.status === 'deprecated'
        ? 'deprecated'
        : 'published';
  return {
    server: e.serverJson as unknown as ServerJson,
    _meta: {
      [OFFICIAL_META_KEY]: {
        status: e.official.status,
        ...(e.official.statusMessage ? { statusMessage: e.official.statusMessage } : {}),
        statusChangedAt: e.official.updatedAt,
        publishedAt: e.official.publishedAt,
        updatedAt: e.official.updatedAt,
        isLatest: e.official.isLatest,
      },
      [TRUST_META_KEY]: {
        source: 'mirror',
        mirror_source: e.source,
        digest: e.contentDigest,
        state,
        reason: e.official.statusMessage ?? null,
        origin: null,
        origin_proven: false,
        manifest_url: null,
        payload_type: null,
        signatures: [],
        previous: null,
        tool_count: 0,
        server_json_digest: serverJsonDigest(e.serverJson),
        server_json_signed: false,
        verified: claimed,
        verified_publisher: claimed,
        signed_manifest: false,
        server_signature: false,
        trust_level: null,
        capability_classes: [],
        status: { state, reason: e.official.statusMessage ?? null, at: e.official.updatedAt },
        profile: null,
      },
    },
  };
}

/** An entry of either source as served. */
export function registryResponseOf(
  e: ProvenEntry | MirroredEntry,
  baseUrl: string,
): ServerResponse {
  return isMirrored(e) ? mirroredResponseOf(e) : serverResponseOf(e, baseUrl);
}

/** Every version of one server, newest publication first. */
export async function listRegistryVersions(
  p: Persistence,
  serverName: string,
  includeDeleted: boolean,
): Promise<Array<ProvenEntry | MirroredEntry>> {
  const server = await p.stores.servers.find(serverName);
  if (!server) {
    const mirrored = (await p.stores.mirror.findByName(serverName)).filter(
      (e) => includeDeleted || e.official.status !== 'deleted',
    );
    if (mirrored.length === 0) throw new NotFoundError(`no server ${serverName}`);
    return mirrored.reverse();
  }
  const versions = (await p.stores.manifests.listByServer(serverName)).filter(
    (m) => includeDeleted || m.state !== 'yanked',
  );
  if (versions.length === 0) throw new NotFoundError(`${serverName} has no published versions`);
  return withOriginProofs(
    p,
    versions.reverse().map((manifest) => ({ server, manifest })),
  );
}

/** One version (or `latest`); a yanked version is "deleted" and found only with includeDeleted. */
export async function getRegistryVersion(
  p: Persistence,
  serverName: string,
  version: string,
  includeDeleted: boolean,
): Promise<ProvenEntry | MirroredEntry> {
  if (!(await p.stores.servers.find(serverName))) {
    const mirrored = (await p.stores.mirror.findByName(serverName)).filter(
      (e) => includeDeleted || e.official.status !== 'deleted',
    );
    const hit =
      version === 'latest'
        ? mirrored.find((e) => e.official.isLatest)
        : mirrored.find((e) => e.version === version);
    if (!hit) throw new NotFoundError(`no version ${version} of ${serverName}`);
    return hit;
  }
  const manifest = await getManifest(p, serverName, version);
  if (manifest.state === 'yanked' && !includeDeleted)
    throw new NotFoundError(`${serverName}@${manifest.version} was yanked`);
  const server = (await p.stores.servers.find(serverName))!;
  const [entry] = await withOriginProofs(p, [{ server, manifest }]);
  return entry!;
}
