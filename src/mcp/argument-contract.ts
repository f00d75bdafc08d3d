// Default-deny typed contracts: each tool call's `arguments` must validate against the
// inputSchema signed in the manifest (never the one the server lists now). Schemas are JSON
// Schema 2020-12 or draft-07 (what MCP SDKs emit), compiled once per tool; nothing is fetched.
// Closed by default: an object schema at the top level that does not say `additionalProperties`
// accepts only the properties it names, so a server cannot receive arguments nobody signed.
import Ajv2020Import from 'ajv/dist/2020.js';
import draft07MetaSchema from 'ajv/dist/refs/json-schema-draft-07.json' with { type: 'json' };
import type { ErrorObject, ValidateFunction } from 'ajv';

type Ajv2020Class = typeof Ajv2020Import.default;
const Ajv2020 = ((Ajv2020Import as unknown as { default?: Ajv2020Class }).default ??
  Ajv2020Import) as Ajv2020Class;

export type ArgumentCheck =
  { ok: true } | { ok: false; errors: Array<{ path: string; message: string }> };

export interface ArgumentContracts {
  /** Checks `args` against the signed schema of `tool` (which must be one of the signed tools). */
  check(tool: string, args: unknown): ArgumentCheck;
}

function closeTopLevel(schema: Record<string, unknown>): Record<string, unknown> {
  const isObject =
    schema.type === 'object' ||
    (schema.type === undefined && typeof schema.properties === 'object');
  if (
    !isObject ||
    'additionalProperties' in schema ||
    'unevaluatedProperties' in schema ||
    'patternProperties' in schema
  )
    return schema;
  return { ...schema, additionalProperties: false };
}

const describe = (e: ErrorObject) => ({
  path: e.instancePath || '/',
  message:
    e.keyword === 'additionalProperties'
      ? `unexpected argument ${JSON.stringify((e.params as { additionalProperty?: string }).additionalProperty)}`
      : (e.message ?? e.keyword),
});

/** Compiles the signed input schemas of a manifest's tools. Throws when one does not compile. */
export function compileArgumentContracts(
  tools: Array<{ name: string; inputSchema: Record<string, unknown> }>,
): ArgumentContracts {
  const ajv = new Ajv2020({
    strict: false,
    logger: false,
    allErrors: true,
    validateFormats: false,
    validateSchema: false,
    addUsedSchema: false,
  });
  ajv.addMetaSchema(draft07MetaSchema);
  const validators = new Map<string, ValidateFunction>();
  for (const t of tools) validators.set(t.name, ajv.compile(closeTopLevel(t.inputSchema)));
  return {
    check: (tool, args) => {
      const validate = validators.get(tool);
      if (!validate)
        return {
          ok: false,
          errors: [
            { path: '/', message: `no signed inputSchema for tool ${JSON.stringify(tool)}` },
          ],
        };
      // An absent `arguments` is an empty object in MCP.
      if (validate(args ?? {})) return { ok: true };
      return { ok: false, errors: (validate.errors ?? []).slice(0, 10).map(describe) };
    },
  };
}
