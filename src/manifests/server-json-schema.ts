// The project's own schema of server.json, written from the published rules of the official MCP
// Registry schema version 2025-12-11 (https://static.modelcontextprotocol.io/schemas/2025-12-11/
// server.schema.json, generated upstream from docs/reference/api/openapi.yaml): the same member
// names, types, required members, enums and patterns (name, fileSha256, icon sizes, transport URLs)
// and limits (name 3–200, description 1–100, title 1–100, version ≤ 255, icon src ≤ 255, https
// icons). Where the official schema leaves a size open we bound it (arrays, strings, `_meta`
// depth) so that what the TA signs stays small; those bounds are ours and named `LIMIT` below.
// The official schema allows unknown members; we refuse them at publication (a typo would be
// signed forever) and say which member.
import { z } from 'zod';
import { InvalidRequestError } from '../errors.js';

/** The official schema version these rules follow (also the `$schema` we serve). */
export const SERVER_JSON_SCHEMA_VERSION = '2025-12-11';
export const SERVER_JSON_SCHEMA = `https://static.modelcontextprotocol.io/schemas/${SERVER_JSON_SCHEMA_VERSION}/server.schema.json`;

/** The official server name pattern (mixed case allowed). */
export const OFFICIAL_SERVER_NAME_PATTERN = /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/;

/** `_meta` key under which publishers put their own data (official schema). */
export const PUBLISHER_PROVIDED_KEY = 'io.modelcontextprotocol.registry/publisher-provided';

/** Our bounds where the official schema sets none. */
export const LIMIT = {
  text: 4096,
  url: 2048,
  items: 64,
  metaDepth: 16,
  metaBytes: 64 * 1024,
} as const;

const text = () => z.string().max(LIMIT.text);
const httpUrl = () =>
  z
    .string()
    .min(1)
    .max(LIMIT.url)
    .refine(
      (u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol),
      'must be an absolute http(s) URL',
    );
const anyUri = () =>
  z
    .string()
    .min(1)
    .max(LIMIT.url)
    .refine((u) => URL.canParse(u), 'must be an absolute URI');
/** Transport URL templates: `^https?://[^\s]+$` (official), `{variables}` allowed. */
const transportUrl = () =>
  z
    .string()
    .max(LIMIT.url)
    .regex(/^https?:\/\/[^\s]+$/, 'must match ^https?://[^\\s]+$');

const isJsonObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
/** A free-form JSON object, passed through untouched (never copied member by member). */
const jsonObject = () =>
  z
    .custom<Record<string, unknown>>(isJsonObject, { message: 'must be a JSON object' })
    .meta({ type: 'object', additionalProperties: true });

const InputFields = {
  description: text().optional(),
  isRequired: z.boolean().optional(),
  format: z.enum(['string', 'number', 'boolean', 'filepath']).optional(),
  value: text().optional(),
  isSecret: z.boolean().optional(),
  default: text().optional(),
  placeholder: text().optional(),
  choices: z.array(text()).max(LIMIT.items).optional(),
};
const ConfigInput = z.strictObject(InputFields);
const variables = () => z.record(z.string().min(1).max(128), ConfigInput).optional();
const InputWithVariables = { ...InputFields, variables: variables() };

const KeyValueInput = z.strictObject({ ...InputWithVariables, name: z.string().min(1).max(256) });

const PositionalArgument = z
  .strictObject({
    ...InputWithVariables,
    type: z.literal('positional'),
    valueHint: z.string().min(1).max(256).optional(),
    isRepeated: z.boolean().optional(),
  })
  .refine(
    (a) => a.valueHint !== undefined || a.value !== undefined,
    'a positional argument needs valueHint or value',
  );
const NamedArgument = z.strictObject({
  ...InputWithVariables,
  type: z.literal('named'),
  name: z.string().min(1).max(256),
  isRepeated: z.boolean().optional(),
});
const Argument = z.discriminatedUnion('type', [PositionalArgument, NamedArgument]);

const headers = () => z.array(KeyValueInput).max(LIMIT.items).optional();
const StdioTransport = z.strictObject({ type: z.literal('stdio') });
const StreamableHttpTransport = z.strictObject({
  type: z.literal('streamable-http'),
  url: transportUrl(),
  headers: headers(),
});
const SseTransport = z.strictObject({
  type: z.literal('sse'),
  url: transportUrl(),
  headers: headers(),
});
const LocalTransport = z.discriminatedUnion('type', [
  StdioTransport,
  StreamableHttpTransport,
  SseTransport,
]);
export const RemoteTransport = z.discriminatedUnion('type', [
  StreamableHttpTransport.extend({ variables: variables() }),
  SseTransport.extend({ variables: variables() }),
]);

/** Package version: a specific version, never `latest` nor a range (official rule). */
const packageVersion = () =>
  z
    .string()
    .min(1)
    .max(255)
    .refine((v) => v !== 'latest', 'must be a specific version, not "latest"')
    .refine(
      (v) => !/^[\^~<>=]|\s|(^|\.)[x*](\.|$)/.test(v),
      'must be a specific version, not a range',
    );

export const PackageSchema = z.strictObject({
  registryType: z.string().min(1).max(64),
  registryBaseUrl: httpUrl().optional(),
  identifier: z.string().min(1).max(LIMIT.url),
  version: packageVersion().optional(),
  fileSha256: z
    .string()
    .regex(/^[a-f0-9]{64}$/, 'must be 64 lowercase hex digits')
    .optional(),
  runtimeHint: z.string().min(1).max(64).optional(),
  transport: LocalTransport,
  runtimeArguments: z.array(Argument).max(LIMIT.items).optional(),
  packageArguments: z.array(Argument).max(LIMIT.items).optional(),
  environmentVariables: z.array(KeyValueInput).max(LIMIT.items).optional(),
});

export const IconSchema = z.strictObject({
  src: z
    .string()
    .max(255)
    .refine((u) => URL.canParse(u) && new URL(u).protocol === 'https:', 'must be an https URL'),
  mimeType: z
    .enum(['image/png', 'image/jpeg', 'image/jpg', 'image/svg+xml', 'image/webp'])
    .optional(),
  sizes: z
    .array(z.string().regex(/^(\d+x\d+|any)$/, 'must be WxH or any'))
    .max(LIMIT.items)
    .optional(),
  theme: z.enum(['light', 'dark']).optional(),
});

export const RepositoryJson = z.strictObject({
  url: httpUrl(),
  source: z.string().min(1).max(64),
  subfolder: z.string().min(1).max(512).optional(),
  id: z.string().min(1).max(256).optional(),
});

/** `_meta` of server.json: only the publisher-provided key (the official one is the registry's). */
export const ServerJsonMeta = z.strictObject({ [PUBLISHER_PROVIDED_KEY]: jsonObject().optional() });

/**
 * The members a publisher chooses beside name, description and version (all optional). These are
 * what `server_json` of `POST /v1/servers/{ns}/{name}/manifests` accepts.
 */
export const ServerJsonExtras = z.strictObject({
  title: z.string().min(1).max(100).optional(),
  description: z.string().min(1).max(100).optional(),
  websiteUrl: httpUrl().optional(),
  icons: z.array(IconSchema).max(LIMIT.items).optional(),
  repository: RepositoryJson.optional(),
  packages: z.array(PackageSchema).max(LIMIT.items).optional(),
  remotes: z.array(RemoteTransport).max(LIMIT.items).optional(),
  _meta: ServerJsonMeta.optional(),
});
export type ServerJsonExtras = z.infer<typeof ServerJsonExtras>;

/** A whole server.json document, as `mcp-publisher publish` sends it. */
export const ServerJsonDocument = ServerJsonExtras.extend({
  $schema: anyUri().optional(),
  name: z
    .string()
    .min(3)
    .max(200)
    .regex(OFFICIAL_SERVER_NAME_PATTERN, 'must match ^[a-zA-Z0-9.-]+/[a-zA-Z0-9._-]+$'),
  description: z.string().min(1).max(100),
  version: z.string().min(1).max(255),
});
export type ServerJsonDocument = z.infer<typeof ServerJsonDocument>;

/** A server.json as served (what the project's schema says a `/v0.1` `server` member is). */
export const ServedServerJson = ServerJsonDocument.extend({ $schema: anyUri() });

/** Nesting depth of a JSON value (iterative: a hostile value cannot overflow the stack). */
export function jsonDepth(value: unknown, stopAt = Number.POSITIVE_INFINITY): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    max = Math.max(max, d);
    if (max > stopAt) return max;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

/**
 * The rules zod cannot state for the server.json members of a version: the free-form
 * publisher-provided `_meta` is bounded in depth and size before anything canonicalises it.
 * Throws InvalidRequestError naming `<field>._meta…`.
 */
export function checkServerJsonExtras(extras: ServerJsonExtras | undefined, field: string): void {
  const meta = extras?._meta?.[PUBLISHER_PROVIDED_KEY];
  if (meta === undefined) return;
  const f = `${field}._meta.${PUBLISHER_PROVIDED_KEY}`;
  if (jsonDepth(meta, LIMIT.metaDepth) > LIMIT.metaDepth)
    throw InvalidRequestError.field(f, `must nest at most ${LIMIT.metaDepth} levels`);
  if (JSON.stringify(meta).length > LIMIT.metaBytes)
    throw InvalidRequestError.field(f, `must be at most ${LIMIT.metaBytes} bytes of JSON`);
}
