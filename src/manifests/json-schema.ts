// Checks that a tool's inputSchema/outputSchema is itself a valid JSON Schema: valid against its
// meta-schema (2020-12 by default, draft-07 when it says so — what most MCP SDKs emit) and
// compilable (every $ref resolves locally; nothing is ever fetched).
import Ajv2020Import from 'ajv/dist/2020.js';
import draft07MetaSchema from 'ajv/dist/refs/json-schema-draft-07.json' with { type: 'json' };

// ajv is CommonJS; under ESM its class may sit on `.default`.
type Ajv2020Class = typeof Ajv2020Import.default;
const Ajv2020 = ((Ajv2020Import as unknown as { default?: Ajv2020Class }).default ??
  Ajv2020Import) as Ajv2020Class;

const SUPPORTED = new Set([
  'https://json-schema.org/draft/2020-12/schema',
  'http://json-schema.org/draft-07/schema',
  'http://json-schema.org/draft-07/schema#',
]);

function newAjv(validateSchema: boolean) {
  const ajv = new Ajv2020({
    strict: false,
    logger: false,
    allErrors: false,
    addUsedSchema: false,
    validateFormats: false,
    validateSchema,
  });
  ajv.addMetaSchema(draft07MetaSchema);
  return ajv;
}

// Validating against a meta-schema adds nothing to the instance, so one instance (with its
// meta-schema validators compiled once) serves every request.
let metaValidator: ReturnType<typeof newAjv> | undefined;

/**
 * A checker for the schemas of one manifest: returns a problem message, or undefined for a valid
 * schema. Compiling uses one fresh Ajv instance per manifest (`addUsedSchema: false`), so a
 * schema's `$id` never collides with another tool's and nothing is retained between publishes.
 */
export function createSchemaChecker(): (schema: Record<string, unknown>) => string | undefined {
  const meta = (metaValidator ??= newAjv(true));
  const ajv = newAjv(false);
  return (schema) => {
    const declared = schema.$schema;
    if (declared !== undefined && (typeof declared !== 'string' || !SUPPORTED.has(declared))) {
      return 'has an unsupported $schema: use JSON Schema 2020-12 (the default) or draft-07';
    }
    let valid: boolean;
    try {
      valid = meta.validateSchema(schema) as boolean;
    } catch (err) {
      return `is not a valid JSON Schema: ${(err as Error).message}`;
    }
    if (!valid) {
      const first = meta.errors?.[0];
      const where = first?.instancePath ? ` at ${first.instancePath}` : '';
      return `is not a valid JSON Schema${where}: ${first?.message ?? 'rejected by the meta-schema'}`;
    }
    try {
      ajv.compile(schema);
    } catch (err) {
      return `is not a usable JSON Schema: ${(err as Error).message}`;
    }
    return undefined;
  };
}
