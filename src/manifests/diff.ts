// What changed between two manifest versions: tools, prompts and resources added, removed and
// changed — naming the changed fields, so a description swap ("rug pull") is visible at a glance.
import { canonicalJson } from '../crypto/jcs.js';
import { diffFields, type FieldChange } from './field-diff.js';
import type { Manifest } from './manifest.js';
import { withoutAttestation } from './tool-attestation.js';

export interface ChangedItem {
  /** The tool/prompt name or resource URI. */
  key: string;
  fields: string[];
  /** The old and new text of each field in `fields`, with a word-level diff. */
  field_changes: FieldChange[];
}

export interface ItemDiff {
  added: string[];
  removed: string[];
  changed: ChangedItem[];
}

/** A changed tool; its tool_hash changes with its description, inputSchema or the origin. */
export interface ToolChange extends ChangedItem {
  tool_hash: { from: string; to: string };
}

export interface ManifestDiff {
  origin_changed: boolean;
  /**
   * The server.json members (other than `version`) that differ, e.g. description, repository;
   * null when either version was published before its server.json was signed.
   */
  server_json_changed: string[] | null;
  tools: { added: string[]; removed: string[]; changed: ToolChange[] };
  prompts: ItemDiff;
  resources: ItemDiff;
}

const same = (a: unknown, b: unknown) =>
  a === undefined || b === undefined ? a === b : canonicalJson(a) === canonicalJson(b);

function diffItems<T extends object>(
  from: T[],
  to: T[],
  keyOf: (t: T) => string,
  fields: ReadonlyArray<keyof T & string>,
  alsoChanged: (a: T, b: T) => boolean = () => false,
): ItemDiff {
  const a = new Map(from.map((t) => [keyOf(t), t]));
  const b = new Map(to.map((t) => [keyOf(t), t]));
  const changed: ChangedItem[] = [];
  for (const [key, next] of b) {
    const prev = a.get(key);
    if (!prev) continue;
    const f = fields.filter((k) => !same(prev[k], next[k]));
    if (f.length > 0 || alsoChanged(prev, next))
      changed.push({ key, fields: f, field_changes: diffFields(prev, next, f) });
  }
  return {
    added: [...b.keys()].filter((k) => !a.has(k)).sort(),
    removed: [...a.keys()].filter((k) => !b.has(k)).sort(),
    changed: changed.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0)),
  };
}

function serverJsonChanges(from: Manifest, to: Manifest): string[] | null {
  if (!from.server_json || !to.server_json) return null;
  const a = from.server_json as unknown as Record<string, unknown>;
  const b = to.server_json as unknown as Record<string, unknown>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((k) => k !== 'version' && !same(a[k], b[k]))
    .sort();
}

/**
 * Every member name the items carry (known MCP members and any a server added), sorted, minus
 * `skip`: a change in an unknown member (e.g. a future MCP field) is a change too.
 */
function memberNames<T extends object>(items: T[], skip: string[]): Array<keyof T & string> {
  const names = new Set<string>();
  for (const item of items) for (const k of Object.keys(item)) if (!skip.includes(k)) names.add(k);
  return [...names].sort() as Array<keyof T & string>;
}

/** The differences from `from` to `to`. Tool changes carry both tool hashes. */
export function diffManifests(from: Manifest, to: Manifest): ManifestDiff {
  // The TA's server-identity attestation (signed at each publication) is not content.
  const fromTools = from.tools.map(withoutAttestation);
  const toTools = to.tools.map(withoutAttestation);
  const tools = diffItems(
    fromTools,
    toTools,
    (t) => t.name,
    memberNames([...fromTools, ...toTools], ['name', 'tool_hash', 'tool_signature']),
    (x, y) => x.tool_hash !== y.tool_hash,
  );
  const hashOf = (m: Manifest, name: string) =>
    m.tools.find((t) => t.name === name)?.tool_hash ?? '';
  return {
    origin_changed: from.origin !== to.origin,
    server_json_changed: serverJsonChanges(from, to),
    tools: {
      ...tools,
      changed: tools.changed.map((c) => ({
        ...c,
        tool_hash: { from: hashOf(from, c.key), to: hashOf(to, c.key) },
      })),
    },
    prompts: diffItems(
      from.prompts,
      to.prompts,
      (p) => p.name,
      memberNames([...from.prompts, ...to.prompts], ['name']),
    ),
    resources: diffItems(
      from.resources,
      to.resources,
      (r) => r.uri,
      memberNames([...from.resources, ...to.resources], ['uri']),
    ),
  };
}
