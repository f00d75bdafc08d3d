// The signed tool manifest (DESIGN.md §6): its JSON shape, the content a version is pinned to, the
// digest (sha256 over JCS) and the stored record with its lifecycle state.
import { createHash } from 'node:crypto';
import { canonicalBytes, canonicalJson } from '../crypto/jcs.js';
import { signEnvelope, type DsseEnvelope, type DsseSignature } from '../crypto/dsse.js';
import type { P256Signer } from '../crypto/signer.js';
import type { PromptInput, ResourceInput, ToolInput } from './manifest-input.js';
import type { ServerJson } from './server-json.js';
import { attestTool } from './tool-attestation.js';
import { pinTool } from './tool-hash.js';

export const MANIFEST_PAYLOAD_TYPE = 'application/vnd.mcps.manifest+json';
export const MANIFEST_FORMAT_VERSION = '1.0';

export type SignedTool = ToolInput & { tool_hash: string; tool_signature: string };

/** The manifest document; its JCS bytes are the DSSE payload and the input of `digest`. */
export interface Manifest {
  mcps_manifest_version: typeof MANIFEST_FORMAT_VERSION;
  server: string;
  version: string;
  origin: string;
  published_at: string;
  /** Hash link to the version published before this one (publish order), null for the first. */
  previous: { version: string; digest: string } | null;
  tools: SignedTool[];
  prompts: PromptInput[];
  resources: ResourceInput[];
  /** Present when the server's passport key signed the content (server-keys.ts). */
  server_signature?: { keyid: string; payload_type: string; sig: string };
  /**
   * The exact server.json the MCP Registry API serves for this version (server-json.ts), fixed at
   * publication. Absent only in manifests published before it was signed (see legacyServerJson).
   */
  server_json?: ServerJson;
}

/**
 * What a version is pinned to and what a server signs: everything the publisher chose, nothing the
 * TA adds (time, hash link, its signatures). Same version + same content = identical re-publish.
 */
export interface ManifestContent {
  mcps_manifest_version: typeof MANIFEST_FORMAT_VERSION;
  server: string;
  version: string;
  origin: string;
  tools: ToolInput[];
  prompts: PromptInput[];
  resources: ResourceInput[];
}

export type ManifestState = 'published' | 'deprecated' | 'yanked';

/** An envelope a version was served with before its signatures were replaced (resign.ts). */
export interface ReplacedSignatures {
  signatures: DsseSignature[];
  replaced_at: string;
  /** kid of the key whose signature replaced them. */
  replaced_by: string;
  /** Why: e.g. `authority key <kid> revoked (keyCompromise)`. */
  reason: string;
}

/** A stored manifest version. `payload` is the exact JCS text that was signed. */
export interface ManifestRecord {
  digest: string;
  serverName: string;
  version: string;
  /** 1, 2, 3… in publish order within the server. */
  position: number;
  /** hex SHA-256 of JCS(ManifestContent). */
  contentDigest: string;
  payload: string;
  signatures: DsseSignature[];
  /**
   * For versions published before the manifest carried `server_json`: the server.json taken from
   * the server record when the migration ran, served unchanged since (not covered by the
   * signature). Null for every version whose payload has `server_json`.
   */
  legacyServerJson: ServerJson | null;
  /** Earlier envelopes of the same payload, oldest first (absent on a record not read back yet). */
  signatureHistory?: ReplacedSignatures[];
  state: ManifestState;
  statusReason: string | null;
  statusChangedAt: Date | null;
  isLatest: boolean;
  publishedAt: Date;
  updatedAt: Date;
}

/** `sha256:` + hex SHA-256 of the bytes. */
export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export function contentDigestOf(content: ManifestContent): string {
  return createHash('sha256').update(canonicalBytes(content)).digest('hex');
}

export interface BuildManifestInput {
  content: ManifestContent;
  publishedAt: Date;
  previous: Manifest['previous'];
  serverSignature?: Manifest['server_signature'];
  /** The server.json served for this version (buildServerJson). */
  serverJson: ServerJson;
}

/**
 * Builds, pins and signs a manifest: per-tool tool_hash/tool_signature and server-identity
 * attestation (tool-attestation.ts), digest and DSSE envelope.
 */
export function buildSignedManifest(
  b: BuildManifestInput,
  signer: P256Signer,
): { manifest: Manifest; payload: string; digest: string; envelope: DsseEnvelope } {
  const { content } = b;
  const manifest: Manifest = {
    mcps_manifest_version: MANIFEST_FORMAT_VERSION,
    server: content.server,
    version: content.version,
    origin: content.origin,
    published_at: b.publishedAt.toISOString(),
    previous: b.previous,
    tools: content.tools.map((t) => ({
      ...attestTool(t, signer, b.publishedAt),
      ...pinTool(t, content.origin, signer),
    })),
    prompts: content.prompts,
    resources: content.resources,
    ...(b.serverSignature ? { server_signature: b.serverSignature } : {}),
    server_json: b.serverJson,
  };
  const payload = canonicalJson(manifest);
  const bytes = Buffer.from(payload, 'utf8');
  return {
    manifest,
    payload,
    digest: sha256Digest(bytes),
    envelope: signEnvelope(MANIFEST_PAYLOAD_TYPE, bytes, signer),
  };
}

/** The manifest document of a record. */
export function manifestOf(r: ManifestRecord): Manifest {
  return JSON.parse(r.payload) as Manifest;
}

/** The server.json served for a record: the signed one, or the snapshot of a legacy version. */
export function servedServerJsonOf(r: ManifestRecord): { serverJson: ServerJson; signed: boolean } {
  const signed = manifestOf(r).server_json;
  if (signed) return { serverJson: signed, signed: true };
  if (!r.legacyServerJson)
    throw new Error(
      `${r.serverName}@${r.version} has neither a signed server_json nor a legacy snapshot`,
    );
  return { serverJson: r.legacyServerJson, signed: false };
}

/** The DSSE envelope of a record, rebuilt from the stored payload and signatures. */
export function envelopeOf(r: ManifestRecord): DsseEnvelope {
  return {
    payloadType: MANIFEST_PAYLOAD_TYPE,
    payload: Buffer.from(r.payload, 'utf8').toString('base64'),
    signatures: r.signatures,
  };
}
