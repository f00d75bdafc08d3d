// Validators for what /v0.1 serves, built with ajv from the project's JSON Schemas in schemas/
// (server.json, the single-entry and the list envelope; draft 2020-12), and — when a copy is at
// hand — from the official MCP Registry server.json schema 2025-12-11 (draft-07). The official
// schema is not in this repository: point MCP_OFFICIAL_SERVER_SCHEMA at a copy of
// https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json to use it.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020Import from 'ajv/dist/2020.js';
import AjvDraft07Import from 'ajv';
import addFormatsImport from 'ajv-formats';

// ajv and ajv-formats are CommonJS; under ESM the export may sit on `.default`.
type Ajv2020Class = typeof Ajv2020Import.default;
type Ajv07Class = typeof AjvDraft07Import.default;
type AddFormats = typeof addFormatsImport.default;
const unwrap = <T>(m: unknown): T => ((m as { default?: T }).default ?? m) as T;
const Ajv2020 = unwrap<Ajv2020Class>(Ajv2020Import);
const Ajv07 = unwrap<Ajv07Class>(AjvDraft07Import);
const addFormats = unwrap<AddFormats>(addFormatsImport);

const SCHEMAS = path.resolve(import.meta.dirname, '../../schemas');
const load = (file: string) =>
  JSON.parse(readFileSync(path.join(SCHEMAS, file), 'utf8')) as Record<string, unknown>;

export const PROJECT_SCHEMA_FILES = [
  'server.schema.json',
  'server-response.schema.json',
  'server-list.schema.json',
] as const;

export const OFFICIAL_SCHEMA_ID =
  'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json';

export type Check = (value: unknown) => string | undefined;

function checkOf(validate: {
  (v: unknown): boolean;
  errors?: Array<{ instancePath: string; message?: string }> | null;
}): Check {
  return (value) => {
    if (validate(value)) return undefined;
    return (validate.errors ?? [])
      .map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`)
      .join('; ');
  };
}

/** The project's validators: a server.json, one entry, one list (strict mode, every format). */
export function projectValidators(): { server: Check; entry: Check; list: Check } {
  const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
  addFormats(ajv);
  for (const f of PROJECT_SCHEMA_FILES) ajv.addSchema(load(f));
  const get = (id: string) => checkOf(ajv.getSchema(id)!);
  return {
    server: get('urn:mcps-ta:schema:server.json'),
    entry: get('urn:mcps-ta:schema:server-response.json'),
    list: get('urn:mcps-ta:schema:server-list.json'),
  };
}

/**
 * The official server.json schema's validator (and the sha256 of the copy, to print), or the
 * reason there is none: the file named by MCP_OFFICIAL_SERVER_SCHEMA, which must be the
 * 2025-12-11 schema (its `$id`) in draft-07, as published.
 */
export function officialServerValidator(): { check: Check; sha256: string } | string {
  const file = process.env.MCP_OFFICIAL_SERVER_SCHEMA;
  if (!file)
    return 'MCP_OFFICIAL_SERVER_SCHEMA is not set (no copy of the official 2025-12-11 schema here)';
  const bytes = readFileSync(file);
  const schema = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  if (schema.$id !== OFFICIAL_SCHEMA_ID)
    throw new Error(`${file}: $id ${String(schema.$id)} is not ${OFFICIAL_SCHEMA_ID}`);
  if (schema.$schema !== 'http://json-schema.org/draft-07/schema#')
    throw new Error(`${file}: not the draft-07 schema published`);
  // The official schema uses OpenAPI's `example` keyword: not strict.
  const ajv = new Ajv07({ strict: false, allErrors: true });
  addFormats(ajv);
  return {
    check: checkOf(ajv.compile(schema)),
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}
