// The trust profile of a registry entry (`_meta["dev.mcps-ta/trust"]` on /v0.1): computed at
// every read, only from what the TA checked — its own signature on the manifest, the tools'
// schemas and annotations, the proofs it holds now (namespace, origin), the server passport's
// trust level and the manifest's server signature. A lost proof lowers the profile at the next
// read. The profile table below is the one the docs print (docs/registry.md).

/** Standardised capability classes of a tool. */
export const CAPABILITY_CLASSES = ['read', 'write', 'execute', 'network'] as const;
export type CapabilityClass = (typeof CAPABILITY_CLASSES)[number];
export type CapabilityLabel = CapabilityClass | 'unclassified';

/** Where a tool declares its classes itself: `_meta["dev.mcps-ta/capability_classes"]`. */
export const DECLARED_CLASSES_KEY = 'dev.mcps-ta/capability_classes';

interface ToolLike {
  name: string;
  inputSchema: Record<string, unknown>;
  annotations?: Record<string, unknown> | undefined;
  _meta?: Record<string, unknown> | undefined;
}

/**
 * A tool's classes: from its annotations (readOnlyHint true → read; readOnlyHint false or
 * destructiveHint true on a tool not read-only → write; openWorldHint true → network) and the
 * classes it declares. A tool that states none of these is `unclassified` — the MCP defaults
 * (destructive, open-world) are what a client must assume, not something the TA checked.
 */
export function toolClasses(tool: ToolLike): CapabilityLabel[] {
  const a = tool.annotations ?? {};
  const out = new Set<CapabilityClass>();
  if (a.readOnlyHint === true) out.add('read');
  if (a.readOnlyHint === false) out.add('write');
  if (a.destructiveHint === true && a.readOnlyHint !== true) out.add('write');
  if (a.openWorldHint === true) out.add('network');
  const declared = tool._meta?.[DECLARED_CLASSES_KEY];
  if (Array.isArray(declared))
    for (const c of declared)
      if ((CAPABILITY_CLASSES as readonly unknown[]).includes(c)) out.add(c as CapabilityClass);
  if (out.size === 0) return ['unclassified'];
  return CAPABILITY_CLASSES.filter((c) => out.has(c));
}

/** The union of the tools' classes, in a fixed order (`unclassified` last when any tool is). */
export function capabilityClasses(tools: readonly ToolLike[]): CapabilityLabel[] {
  const all = new Set(tools.flatMap(toolClasses));
  return [...CAPABILITY_CLASSES, 'unclassified' as const].filter((c) => all.has(c));
}

const TYPING_KEYWORDS = ['type', 'enum', 'const', '$ref', 'anyOf', 'oneOf', 'allOf'];

/** Every tool's inputSchema is an object schema whose every property says what it holds. */
export function inputSchemasTyped(tools: readonly ToolLike[]): boolean {
  return tools.every((t) => {
    if (t.inputSchema.type !== 'object') return false;
    const props = t.inputSchema.properties;
    if (props === undefined) return true;
    if (typeof props !== 'object' || props === null) return false;
    return Object.values(props).every(
      (p) => typeof p === 'object' && p !== null && TYPING_KEYWORDS.some((k) => k in p),
    );
  });
}

/** What the profile is computed from. */
export interface TrustFacts {
  /** The TA signed the manifest (false for mirrored entries). */
  signedManifest: boolean;
  typedInputSchemas: boolean;
  /** The TA holds a current proof for the origin. */
  originProven: boolean;
  /** The server's namespace is verified and held by its publisher. */
  verifiedPublisher: boolean;
  /** Trust level of the server's active passport, or null when it has none. */
  trustLevel: number | null;
  /** The manifest carries a signature by the server's passport key (checked at publication). */
  serverSignature: boolean;
  everyToolClassified: boolean;
  /** Yanked (and mirrored-deleted) entries have no profile. */
  active: boolean;
}

export type Profile = 'Bronze' | 'Silver' | 'Gold';

/** The profile table: each level needs the one before it and its own conditions. */
export const PROFILE_RULES: ReadonlyArray<{
  profile: Profile;
  requires: ReadonlyArray<{ fact: string; holds: (f: TrustFacts) => boolean }>;
}> = [
  {
    profile: 'Bronze',
    requires: [
      { fact: 'not yanked', holds: (f) => f.active },
      { fact: 'signed_manifest: the TA signed the manifest', holds: (f) => f.signedManifest },
      {
        fact: 'every tool inputSchema is typed (type object; every property has type/enum/const/$ref/anyOf/oneOf/allOf)',
        holds: (f) => f.typedInputSchemas,
      },
    ],
  },
  {
    profile: 'Silver',
    requires: [
      {
        fact: 'verified_publisher: the namespace is verified and held by the publisher',
        holds: (f) => f.verifiedPublisher,
      },
      {
        fact: 'origin_proven: the TA holds a current proof for the origin',
        holds: (f) => f.originProven,
      },
      {
        fact: 'trust_level ≥ 3: the server has an active passport at L3 or above',
        holds: (f) => (f.trustLevel ?? 0) >= 3,
      },
    ],
  },
  {
    profile: 'Gold',
    requires: [
      {
        fact: 'server_signature: the server passport key signed the manifest content',
        holds: (f) => f.serverSignature,
      },
      {
        fact: 'trust_level = 4: an admin audit approval of the server passport',
        holds: (f) => f.trustLevel === 4,
      },
      {
        fact: 'every tool classified (no `unclassified` in capability_classes)',
        holds: (f) => f.everyToolClassified,
      },
    ],
  },
];

/** The highest profile whose conditions (and those of every level below) hold, or null. */
export function profileOf(f: TrustFacts): Profile | null {
  let reached: Profile | null = null;
  for (const level of PROFILE_RULES) {
    if (!level.requires.every((r) => r.holds(f))) break;
    reached = level.profile;
  }
  return reached;
}
