// Per-tool signatures in the shape of the MCP ext-auth draft "Server Identity and Tool Attestation"
// (SEP, extension `io.modelcontextprotocol/server-identity`, §2.1): a tool carries
//   _meta["io.modelcontextprotocol/server-identity"] = {signature, kid, signedAt}
// where `signature` is base64url (no padding) of a signature over the RFC 8785 bytes of
// {name, description, inputSchema} plus `outputSchema` when the tool has one. The TA signs as the
// publisher: `kid` names a key of its JWKS (RFC 7638 thumbprint), the algorithm is that key's —
// ES256, the 64-byte low-S P1363 r‖s (the draft's own examples use Ed25519 keys). `signedAt` is
// the manifest's published_at. A server that publishes a tool already carrying its own attestation
// under that key keeps it as published; the TA adds none to that tool.
// The attestation is a signature, not content: it covers only members that are pinned anyway, so
// tool comparisons (guardClient, manifest diff) leave it out (withoutAttestation).
import { canonicalBytes } from '../crypto/jcs.js';
import type { P256Signer } from '../crypto/signer.js';
import { verifyP256 } from '../crypto/ecdsa.js';
import type { KeyObject } from 'node:crypto';

export const SERVER_IDENTITY_META_KEY = 'io.modelcontextprotocol/server-identity';

export interface ToolAttestation {
  signature: string;
  kid: string;
  signedAt: string;
}

interface AttestableTool {
  name: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  _meta?: Record<string, unknown>;
}

/** The signed bytes: JCS of name, description, inputSchema[, outputSchema] (draft §2.1 steps 1–4). */
export function toolAttestationInput(tool: AttestableTool): Buffer {
  return canonicalBytes({
    name: tool.name,
    description: tool.description,
    inputSchema: tool.inputSchema,
    ...(tool.outputSchema !== undefined ? { outputSchema: tool.outputSchema } : {}),
  });
}

/** The attestation a tool carries under SERVER_IDENTITY_META_KEY, when it is well-formed. */
export function attestationOf(tool: { _meta?: unknown }): ToolAttestation | undefined {
  const meta = tool._meta;
  if (typeof meta !== 'object' || meta === null) return undefined;
  const a = (meta as Record<string, unknown>)[SERVER_IDENTITY_META_KEY] as
    Partial<ToolAttestation> | undefined;
  if (
    typeof a !== 'object' ||
    a === null ||
    typeof a.signature !== 'string' ||
    typeof a.kid !== 'string' ||
    typeof a.signedAt !== 'string'
  )
    return undefined;
  return { signature: a.signature, kid: a.kid, signedAt: a.signedAt };
}

/**
 * `tool` with the TA's attestation in `_meta` (other `_meta` members kept), or unchanged when the
 * publisher already put something under that key.
 */
export function attestTool<T extends AttestableTool>(
  tool: T,
  signer: P256Signer,
  signedAt: Date,
): T & { _meta: Record<string, unknown> } {
  if (tool._meta && SERVER_IDENTITY_META_KEY in tool._meta)
    return tool as T & { _meta: Record<string, unknown> };
  const attestation: ToolAttestation = {
    signature: signer.sign(toolAttestationInput(tool)).toString('base64url'),
    kid: signer.kid,
    signedAt: signedAt.toISOString(),
  };
  return { ...tool, _meta: { ...tool._meta, [SERVER_IDENTITY_META_KEY]: attestation } };
}

/** Whether the attestation's signature verifies with `key` over the tool's members. */
export function verifyToolAttestation(
  tool: AttestableTool,
  attestation: ToolAttestation,
  key: KeyObject,
): boolean {
  if (!/^[A-Za-z0-9_-]{86}$/.test(attestation.signature)) return false;
  return verifyP256(
    key,
    toolAttestationInput(tool),
    Buffer.from(attestation.signature, 'base64url'),
  );
}

/**
 * The tool without the server-identity attestation in `_meta` (and without `_meta` when nothing
 * else is in it): what is compared and diffed.
 */
export function withoutAttestation<T extends { _meta?: unknown }>(tool: T): T {
  const meta = tool._meta;
  if (typeof meta !== 'object' || meta === null || !(SERVER_IDENTITY_META_KEY in meta)) return tool;
  const { [SERVER_IDENTITY_META_KEY]: _a, ...rest } = meta as Record<string, unknown>;
  const { _meta: _m, ...others } = tool;
  return (Object.keys(rest).length ? { ...others, _meta: rest } : others) as T;
}
