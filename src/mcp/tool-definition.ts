// Compares the tools a live MCP server lists with the tools signed in its manifest: every tool's
// whole definition, and the set itself. `tool_hash` covers only name, description, inputSchema and
// author origin, so a changed title, outputSchema or annotations would pass a hash check: here
// every member is compared by JCS.
import { canonicalJson } from '../crypto/jcs.js';
import type { SignedTool } from '../manifests/manifest.js';
import { SERVER_IDENTITY_META_KEY, withoutAttestation } from '../manifests/tool-attestation.js';

/** Members always compared, present or absent on either side. */
export const PINNED_MEMBERS = [
  'name',
  'title',
  'description',
  'inputSchema',
  'outputSchema',
  'annotations',
] as const;
/** Members the TA adds when signing: not part of the server's definition. */
const TA_MEMBERS = new Set(['tool_hash', 'tool_signature']);

export type LiveTool = Record<string, unknown> & { name: string };

export type ToolSetProblem =
  | { kind: 'unsigned'; tool: string }
  | { kind: 'removed'; tool: string }
  | { kind: 'changed'; tool: string; members: string[] };

/** The server's definition of a signed tool (without the TA's pins). */
export function signedDefinition(tool: SignedTool): Record<string, unknown> {
  return Object.fromEntries(Object.entries(tool).filter(([k]) => !TA_MEMBERS.has(k)));
}

const same = (a: unknown, b: unknown) =>
  a === undefined || b === undefined ? a === b : canonicalJson(a) === canonicalJson(b);

/**
 * Members of `live` that differ from `signed`: the pinned members, and every other member the
 * signed tool carries. A live member outside PINNED_MEMBERS that the signed tool does not carry
 * (e.g. `execution`, which MCP SDKs add to every tool, or `icons`, `_meta`) is not compared: the
 * manifest did not sign it, so it can neither be checked nor be relied on.
 */
export function changedMembers(
  live: Record<string, unknown>,
  signed: Record<string, unknown>,
): string[] {
  // The server-identity attestation in `_meta` (the TA's, added at publication) is a signature
  // over pinned members: a live tool may leave it out, or serve exactly the signed one — any
  // other value under that key is a change of `_meta`.
  const liveAttestation = metaMember(live);
  const attestationChanged =
    liveAttestation !== undefined && !same(liveAttestation, metaMember(signed));
  const l = withoutAttestation(live);
  const s = withoutAttestation(signed);
  const names = new Set<string>([...PINNED_MEMBERS, ...Object.keys(s)]);
  const changed = [...names].filter((m) => !TA_MEMBERS.has(m) && !same(l[m], s[m]));
  if (attestationChanged && !changed.includes('_meta')) changed.push('_meta');
  return changed.sort();
}

const metaMember = (tool: Record<string, unknown>): unknown => {
  const meta = tool._meta;
  return typeof meta === 'object' && meta !== null
    ? (meta as Record<string, unknown>)[SERVER_IDENTITY_META_KEY]
    : undefined;
};

/** Compares one tool; undefined when it matches. */
export function compareTool(
  live: LiveTool,
  signed: SignedTool | undefined,
): ToolSetProblem | undefined {
  if (!signed) return { kind: 'unsigned', tool: live.name };
  const members = changedMembers(live, signedDefinition(signed));
  return members.length ? { kind: 'changed', tool: live.name, members } : undefined;
}

/**
 * Compares a complete live tool list with the signed tools: no tool added (or renamed — a rename
 * is an added and a removed tool), none removed, none changed. Returns every problem found.
 */
export function compareToolSet(
  live: LiveTool[],
  signed: Map<string, SignedTool>,
): ToolSetProblem[] {
  const problems: ToolSetProblem[] = [];
  const listed = new Set<string>();
  for (const tool of live) {
    if (listed.has(tool.name))
      problems.push({ kind: 'changed', tool: tool.name, members: ['name (listed twice)'] });
    listed.add(tool.name);
    const p = compareTool(tool, signed.get(tool.name));
    if (p) problems.push(p);
  }
  for (const name of signed.keys())
    if (!listed.has(name)) problems.push({ kind: 'removed', tool: name });
  return problems;
}
