// Publishing a manifest version: validate, check the optional server signature, link to the
// previous version, fix the version's server.json, pin and sign, store, move `latest`, audit — one
// transaction, serialised per server by a row lock so the hash chain of versions never forks.
import { appendAuditEvent } from '../audit/append.js';
import { canonicalBytes, canonicalJson } from '../crypto/jcs.js';
import { jwkThumbprint } from '../crypto/jwk.js';
import type { P256Signer } from '../crypto/signer.js';
import { ConflictError, ForbiddenError, InvalidRequestError, NotFoundError } from '../errors.js';
import { actorOf, assertActsFor, type Principal } from '../auth/principal.js';
import { originNotProven } from '../registry/origin-proof.js';
import { proveServerOrigin, requireOwnedVerifiedNamespace } from '../registry/server.js';
import type { Persistence } from '../stores.js';
import { pickLatest } from './latest.js';
import { LIMITS, parseManifestInput } from './manifest-input.js';
import {
  buildSignedManifest,
  contentDigestOf,
  MANIFEST_FORMAT_VERSION,
  type Manifest,
  type ManifestContent,
  type ManifestRecord,
  servedServerJsonOf,
} from './manifest.js';
import { requireProvenRemotes } from './remote-proof.js';
import { buildServerJson, serverJsonDigest, type ServerJson } from './server-json.js';
import { checkServerJsonExtras } from './server-json-schema.js';
import {
  MANIFEST_CONTENT_PAYLOAD_TYPE,
  verifyServerSignature,
  type ServerKeyDirectory,
} from './server-keys.js';

export interface PublishDeps {
  /** The TA passport-signing key (keyring.documentSigner). */
  signer: P256Signer;
  serverKeys: ServerKeyDirectory;
}

export interface PublishResult {
  record: ManifestRecord;
  /** False when an identical version already existed and was returned unchanged. */
  created: boolean;
}

/** The server.json members that differ between two documents, by name. */
function changedMembers(a: ServerJson, b: ServerJson): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const rec = (x: ServerJson) => x as unknown as Record<string, unknown>;
  return keys.filter((k) => canonicalJson(rec(a)[k] ?? null) !== canonicalJson(rec(b)[k] ?? null));
}

/**
 * Publishes a version of `serverName`. An identical re-publish returns the stored version
 * (created: false); the same version with other content is a 409 — versions are immutable.
 * "Identical" covers the tools, prompts and resources (contentDigest) and the server.json the
 * version would be served with: after a server PATCH of its description or repository, the same
 * version is no longer identical and a new version must be published to serve the new text.
 */
export async function publishManifest(
  p: Persistence,
  deps: PublishDeps,
  principal: Principal,
  serverName: string,
  raw: unknown,
): Promise<PublishResult> {
  const server = await p.stores.servers.find(serverName);
  if (!server) throw new NotFoundError(`no server ${serverName}`);
  assertActsFor(principal, server.publisherId);

  const input = parseManifestInput(raw);
  checkServerJsonExtras(input.server_json, 'body.server_json');
  const content: ManifestContent = {
    mcps_manifest_version: MANIFEST_FORMAT_VERSION,
    server: server.name,
    version: input.version,
    origin: server.origin,
    tools: input.tools,
    prompts: input.prompts,
    resources: input.resources,
  };
  const contentBytes = canonicalBytes(content);
  if (contentBytes.length > LIMITS.manifestBytes) {
    throw InvalidRequestError.field(
      'body',
      `the manifest is ${contentBytes.length} bytes of JCS; the limit is ${LIMITS.manifestBytes}`,
    );
  }
  const contentDigest = contentDigestOf(content);

  let serverSignature: Manifest['server_signature'];
  if (input.server_signature !== undefined) {
    const key = await deps.serverKeys.activeServerKey(server.name);
    if (!key)
      throw InvalidRequestError.field('body.server_signature', 'server has no active passport');
    if (!verifyServerSignature(contentBytes, input.server_signature, key)) {
      throw InvalidRequestError.field(
        'body.server_signature',
        `does not verify with the key of the server's active passport (expected a low-S ES256 signature over PAE("${MANIFEST_CONTENT_PAYLOAD_TYPE}", JCS(content)))`,
      );
    }
    serverSignature = {
      keyid: jwkThumbprint(key),
      payload_type: MANIFEST_CONTENT_PAYLOAD_TYPE,
      sig: input.server_signature,
    };
  }

  return p.transact(async (s) => {
    const locked = await s.servers.findForUpdate(serverName);
    if (!locked) throw new NotFoundError(`no server ${serverName}`);
    const owner = await requireOwnedVerifiedNamespace(s, principal, locked.namespace);
    if (owner !== locked.publisherId)
      throw new ForbiddenError(`namespace ${locked.namespace} now belongs to another publisher`);
    if (locked.origin !== server.origin)
      throw new ConflictError(`the origin of ${serverName} changed while publishing; try again`);
    // Proof before signature: the manifest's `origin` (and every tool_hash's author_origin) is
    // the server's origin, signed only while the TA holds its proof — re-read here, in the
    // signing transaction, so a namespace rejected or moved since is refused.
    const proof = await proveServerOrigin(s, locked);
    if (!proof.proven)
      throw originNotProven(
        `cannot publish ${serverName}@${input.version}`,
        locked.origin,
        proof.reason,
        'path.name',
      );

    // Remote hosts are signed too (server_json.remotes): the same proof as the origin, same transaction.
    await requireProvenRemotes(s, locked, input.server_json, 'body.server_json');

    // From the locked row: the server.json is the one current when this version is signed.
    const serverJson = buildServerJson(locked, input.version, input.server_json);
    const existing = await s.manifests.findByVersion(serverName, input.version);
    if (existing) {
      const served = servedServerJsonOf(existing).serverJson;
      const changed = changedMembers(served, serverJson);
      if (existing.contentDigest === contentDigest && changed.length === 0)
        return { record: existing, created: false };
      const what =
        existing.contentDigest === contentDigest
          ? `with other server.json ${changed.join(', ')} (the server record changed since)`
          : 'with other content';
      throw new ConflictError(
        `${serverName}@${input.version} is already published ${what}; versions are immutable`,
        [
          {
            field: 'body.version',
            message: `already published (${existing.digest}); publish a new version`,
          },
        ],
      );
    }

    const last = await s.manifests.last(serverName);
    const now = p.clock.now();
    const built = buildSignedManifest(
      {
        content,
        publishedAt: now,
        previous: last ? { version: last.version, digest: last.digest } : null,
        serverSignature,
        serverJson,
      },
      deps.signer,
    );
    const record: ManifestRecord = {
      digest: built.digest,
      serverName,
      version: input.version,
      position: (last?.position ?? 0) + 1,
      contentDigest,
      payload: built.payload,
      signatures: built.envelope.signatures,
      legacyServerJson: null,
      state: 'published',
      statusReason: null,
      statusChangedAt: null,
      isLatest: false,
      publishedAt: now,
      updatedAt: now,
    };
    await s.manifests.insert(record);
    const latest = pickLatest([...(await s.manifests.listByServer(serverName))]);
    await s.manifests.setLatest(serverName, latest, now);
    record.isLatest = latest === record.version;
    await appendAuditEvent(s, p.clock, {
      actor: actorOf(principal),
      action: 'manifest.published',
      subject: `manifest:${serverName}@${input.version}`,
      data: {
        digest: record.digest,
        previous_digest: last?.digest ?? null,
        content_digest: contentDigest,
        server_json_digest: serverJsonDigest(serverJson),
        tools: input.tools.length,
        server_signed: serverSignature !== undefined,
      },
    });
    return { record, created: true };
  });
}
