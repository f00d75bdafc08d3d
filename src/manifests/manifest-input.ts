// What a publisher submits for a manifest version (DESIGN.md §4.1, §6): the shape (zod, also the
// route contract) and the rules zod cannot state — semver, real JSON Schemas, unique names, sizes.
// Every failure names its field (`body.tools.2.inputSchema`) and nothing is stored.
import semver from 'semver';
import { z } from 'zod';
import { canonicalBytes } from '../crypto/jcs.js';
import { InvalidRequestError, type FieldIssue } from '../errors.js';
import { createSchemaChecker } from './json-schema.js';
import { jsonDepth, ServerJsonExtras } from './server-json-schema.js';

/** MCP tool names: 1–128 of A–Z a–z 0–9 _ - . (MCP specification, Tool names). */
export const TOOL_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,128}$/;

export const LIMITS = {
  tools: 512,
  prompts: 256,
  resources: 512,
  descriptionChars: 16_384,
  titleChars: 256,
  /** Bytes of JCS of one inputSchema / outputSchema. */
  schemaBytes: 64 * 1024,
  /** Nesting depth of one JSON Schema. */
  schemaDepth: 32,
  /** Bytes of JCS of the whole manifest content. */
  manifestBytes: 512 * 1024,
  /** Icons of one tool, prompt or resource, and the length of one icon's `src` (URL or data URI). */
  icons: 16,
  iconSrcChars: 16_384,
} as const;

const isJsonObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

// z.custom passes the caller's object through untouched (no copying through assignment, which
// would silently drop a `__proto__` member and change what gets signed).
// `.meta({type})` documents it for the OpenAPI generator, which cannot infer a custom type.
const jsonObject = () =>
  z
    .custom<Record<string, unknown>>(isJsonObject, { message: 'must be a JSON object' })
    .meta({ type: 'object', additionalProperties: true });
const title = () => z.string().min(1).max(LIMITS.titleChars);
const description = () => z.string().max(LIMITS.descriptionChars);

// Tools, prompts and resources are taken exactly as an MCP server lists them (tools/list,
// prompts/list, resources/list): the members of the current MCP Tool, Prompt and Resource objects
// are type-checked, and members this TA does not know yet (a later MCP revision, a vendor's) are
// kept as published — signed, hashed into the digest and served unchanged. Validation runs
// over the caller's objects but parseManifestInput returns those objects themselves, not zod's
// copies, so nothing is dropped or reordered between what was sent and what is signed.
const icons = () =>
  z
    .array(
      z.looseObject({
        src: z.string().min(1).max(LIMITS.iconSrcChars),
        mimeType: z.string().min(1).max(255).optional(),
        sizes: z.array(z.string().min(1).max(64)).max(16).optional(),
        theme: z.enum(['light', 'dark']).optional(),
      }),
    )
    .max(LIMITS.icons);

export const ToolInput = z.looseObject({
  name: z
    .string()
    .regex(TOOL_NAME_PATTERN, 'must be 1–128 characters of A–Z, a–z, 0–9, "_", "-" and "."'),
  title: title().optional(),
  description: description().optional(),
  inputSchema: jsonObject(),
  outputSchema: jsonObject().optional(),
  annotations: jsonObject().optional(),
  execution: z
    .looseObject({ taskSupport: z.enum(['required', 'optional', 'forbidden']).optional() })
    .optional(),
  icons: icons().optional(),
  _meta: jsonObject().optional(),
});

export const PromptInput = z.looseObject({
  name: z.string().min(1).max(128),
  title: title().optional(),
  description: description().optional(),
  arguments: z
    .array(
      z.looseObject({
        name: z.string().min(1).max(128),
        title: title().optional(),
        description: description().optional(),
        required: z.boolean().optional(),
      }),
    )
    .max(64)
    .optional(),
  icons: icons().optional(),
  _meta: jsonObject().optional(),
});

export const ResourceInput = z.looseObject({
  uri: z
    .string()
    .min(1)
    .max(2048)
    .refine((u) => URL.canParse(u), 'must be an absolute URI'),
  name: z.string().min(1).max(128),
  title: title().optional(),
  description: description().optional(),
  mimeType: z.string().min(1).max(255).optional(),
  size: z.number().int().min(0).optional(),
  annotations: jsonObject().optional(),
  icons: icons().optional(),
  _meta: jsonObject().optional(),
});

/** Members of a tool that the TA writes into the signed manifest itself (tool-hash.ts). */
export const RESERVED_TOOL_MEMBERS = ['tool_hash', 'tool_signature'] as const;

export const PublishManifestInput = z.strictObject({
  version: z
    .string()
    .min(1)
    .max(64)
    .describe(
      'Semantic version without build metadata, e.g. 1.2.0 or 2.0.0-rc.1; immutable once published',
    ),
  tools: z.array(ToolInput).max(LIMITS.tools),
  prompts: z.array(PromptInput).max(LIMITS.prompts).optional(),
  resources: z.array(ResourceInput).max(LIMITS.resources).optional(),
  server_signature: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe(
      "Optional. Standard base64 of the 64-byte low-S P1363 ES256 signature by the server's active passport key over " +
        'PAE("application/vnd.mcps.manifest-content+json", JCS({mcps_manifest_version:"1.0", server, version, origin, tools, prompts, resources})) ' +
        '— the content as submitted, with the registered origin, prompts and resources defaulting to [].',
    ),
  server_json: ServerJsonExtras.optional().describe(
    'Optional server.json members for this version (official schema 2025-12-11): title, description, websiteUrl, icons, repository, packages, remotes, ' +
      '_meta["io.modelcontextprotocol.registry/publisher-provided"]. Signed inside the manifest and served on /v0.1 as they are; every remotes[].url host must be proven like the origin.',
  ),
});

export type ToolInput = z.infer<typeof ToolInput>;
export type PromptInput = z.infer<typeof PromptInput>;
export type ResourceInput = z.infer<typeof ResourceInput>;
export type PublishManifestInput = z.infer<typeof PublishManifestInput>;

/** A problem with a version string, or undefined for a plain semver version. */
export function versionProblem(version: string): string | undefined {
  if (semver.valid(version) !== version)
    return 'must be a semantic version such as 1.2.3 or 2.0.0-rc.1 (https://semver.org)';
  if (version.includes('+'))
    return 'must not carry build metadata: versions must differ in precedence';
  return undefined;
}

function duplicates(values: string[]): Set<number> {
  const seen = new Set<string>();
  const dup = new Set<number>();
  values.forEach((v, i) => (seen.has(v) ? dup.add(i) : seen.add(v)));
  return dup;
}

/**
 * Parses and checks a manifest submission. Throws InvalidRequestError listing every bad field;
 * returns the input with `prompts` and `resources` defaulted to [] — the tool, prompt and resource
 * objects are the caller's own, unknown members included.
 */
export function parseManifestInput(
  raw: unknown,
): Required<Omit<PublishManifestInput, 'server_signature' | 'server_json'>> &
  Pick<PublishManifestInput, 'server_signature' | 'server_json'> {
  const parsed = PublishManifestInput.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({
      field: ['body', ...i.path.map(String)].join('.'),
      message: i.message,
    }));
    throw new InvalidRequestError(issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues);
  }
  // The caller's own objects (see above): zod checked them, but its output copies drop nothing
  // only by accident of implementation; what is signed must be exactly what was sent.
  const sent = raw as { tools: ToolInput[]; prompts?: PromptInput[]; resources?: ResourceInput[] };
  const input = {
    ...parsed.data,
    tools: sent.tools,
    prompts: sent.prompts ?? [],
    resources: sent.resources ?? [],
  };
  const issues: FieldIssue[] = [];
  const problem = versionProblem(input.version);
  if (problem) issues.push({ field: 'body.version', message: problem });

  const checkSchema = createSchemaChecker();
  input.tools.forEach((tool, i) => {
    for (const key of ['inputSchema', 'outputSchema'] as const) {
      const schema = tool[key];
      if (schema === undefined) continue;
      const field = `body.tools.${i}.${key}`;
      // Depth first: canonicalisation recurses, so a deep value must never reach it.
      if (schema.type !== 'object')
        issues.push({ field, message: 'must be a JSON Schema with "type": "object" (MCP)' });
      else if (jsonDepth(schema, LIMITS.schemaDepth) > LIMITS.schemaDepth)
        issues.push({ field, message: `must nest at most ${LIMITS.schemaDepth} levels` });
      else if (canonicalBytes(schema).length > LIMITS.schemaBytes)
        issues.push({ field, message: `must be at most ${LIMITS.schemaBytes} bytes` });
      else {
        const bad = checkSchema(schema);
        if (bad) issues.push({ field, message: bad });
      }
    }
  });
  // Every other member — free-form ones (annotations, _meta) and members this TA does not know —
  // is signed and served as it is: bound its depth like a schema's, so that no later step (JCS,
  // signing, serving) can overflow the stack on it.
  const members = (kind: string, items: Array<Record<string, unknown>>, skip: readonly string[]) =>
    items.flatMap((item, i) =>
      Object.entries(item)
        .filter(([k]) => !skip.includes(k))
        .map(([k, v]): [string, unknown] => [`body.${kind}.${i}.${k}`, v]),
    );
  const freeForm = [
    ...members('tools', input.tools, ['inputSchema', 'outputSchema']),
    ...members('prompts', input.prompts, []),
    ...members('resources', input.resources, []),
  ];
  for (const [field, value] of freeForm) {
    if (
      typeof value === 'object' &&
      value !== null &&
      jsonDepth(value, LIMITS.schemaDepth) > LIMITS.schemaDepth
    )
      issues.push({ field, message: `must nest at most ${LIMITS.schemaDepth} levels` });
  }
  input.tools.forEach((tool, i) => {
    for (const k of RESERVED_TOOL_MEMBERS) {
      if (Object.hasOwn(tool, k))
        issues.push({
          field: `body.tools.${i}.${k}`,
          message: 'is written by the TA into the signed manifest; leave it out',
        });
    }
  });
  for (const i of duplicates(input.tools.map((t) => t.name)))
    issues.push({ field: `body.tools.${i}.name`, message: 'duplicates an earlier tool name' });
  for (const i of duplicates(input.prompts.map((t) => t.name)))
    issues.push({ field: `body.prompts.${i}.name`, message: 'duplicates an earlier prompt name' });
  for (const i of duplicates(input.resources.map((r) => r.uri)))
    issues.push({
      field: `body.resources.${i}.uri`,
      message: 'duplicates an earlier resource URI',
    });

  if (issues.length > 0)
    throw new InvalidRequestError(issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues);
  return input;
}
