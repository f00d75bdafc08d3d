// Drift test: schemas/server.schema.json (the project's JSON Schema of server.json, written by
// hand from the official 2025-12-11 rules) and the zod schema the TA validates with
// (src/manifests/server-json-schema.ts) name the same members, require the same ones, and give
// the same verdict on every document of a corpus of valid and broken server.json documents.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { z } from 'zod';
import {
  IconSchema,
  PackageSchema,
  RepositoryJson,
  SERVER_JSON_SCHEMA,
  ServedServerJson,
  ServerJsonDocument,
} from '../../../src/manifests/server-json-schema.js';
import { projectValidators } from '../../support/registry-schemas.js';

const file = JSON.parse(
  readFileSync(new URL('../../../schemas/server.schema.json', import.meta.url), 'utf8'),
);
const v = projectValidators();

type Shape = Record<string, z.ZodType>;
const keys = (shape: Shape) => Object.keys(shape).sort();
const requiredKeys = (shape: Shape) =>
  Object.entries(shape)
    .filter(([, s]) => !s.safeParse(undefined).success)
    .map(([k]) => k)
    .sort();

const BASE = {
  $schema: SERVER_JSON_SCHEMA,
  name: 'com.example/weather',
  description: 'Weather',
  version: '1.0.0',
};
const FULL = {
  ...BASE,
  title: 'Weather',
  websiteUrl: 'https://example.com/weather',
  icons: [
    {
      src: 'https://example.com/icon.png',
      mimeType: 'image/png',
      sizes: ['48x48', 'any'],
      theme: 'dark',
    },
  ],
  repository: {
    url: 'https://github.com/example/weather',
    source: 'github',
    subfolder: 'srv',
    id: 'R_1',
  },
  packages: [
    {
      registryType: 'npm',
      registryBaseUrl: 'https://registry.npmjs.org',
      identifier: '@example/weather',
      version: '1.2.0',
      runtimeHint: 'npx',
      transport: { type: 'stdio' },
      runtimeArguments: [{ type: 'named', name: '--yes', isRepeated: false }],
      packageArguments: [
        {
          type: 'positional',
          valueHint: 'city',
          isRequired: true,
          variables: { a: { default: 'x' } },
        },
      ],
      environmentVariables: [
        { name: 'KEY', isSecret: true, format: 'string', choices: ['a', 'b'] },
      ],
    },
    {
      registryType: 'mcpb',
      identifier: 'https://example.com/w.mcpb',
      fileSha256: 'a'.repeat(64),
      transport: { type: 'streamable-http', url: 'https://127.0.0.1:{port}/mcp' },
    },
  ],
  remotes: [
    {
      type: 'streamable-http',
      url: 'https://mcp.example.com/mcp',
      headers: [
        { name: 'Authorization', value: 'Bearer {t}', variables: { t: { isSecret: true } } },
      ],
    },
    {
      type: 'sse',
      url: 'https://eu.example.com/{tenant}/sse',
      variables: { tenant: { default: 'acme' } },
    },
  ],
  _meta: { 'io.modelcontextprotocol.registry/publisher-provided': { build: { commit: 'abc' } } },
};

/** [label, document]: each must get the same verdict from both schemas. */
const set = (patch: Record<string, unknown>) => ({ ...FULL, ...patch });
const pkg = (patch: Record<string, unknown>) =>
  set({ packages: [{ ...FULL.packages[0], ...patch }] });
const VALID: Array<[string, unknown]> = [
  ['minimal', BASE],
  ['full', FULL],
  ['mixed-case name', set({ name: 'io.github.jUXTAPOSITION1/vape' })],
  ['positional with value only', pkg({ packageArguments: [{ type: 'positional', value: 'x' }] })],
  ['pre-release package version', pkg({ version: '1.0.0-rc.1' })],
];
const INVALID: Array<[string, unknown]> = [
  ['no name', { ...BASE, name: undefined }],
  [
    'no description',
    {
      description: undefined,
      ...{ $schema: BASE.$schema, name: BASE.name, version: BASE.version },
    },
  ],
  ['no version', { $schema: BASE.$schema, name: BASE.name, description: 'x' }],
  ['name without a slash', set({ name: 'weather' })],
  ['name too short', set({ name: 'a/' })],
  ['description too long', set({ description: 'x'.repeat(101) })],
  ['empty title', set({ title: '' })],
  ['version too long', set({ version: '1'.repeat(256) })],
  ['unknown member', set({ status: 'active' })],
  ['website not http(s)', set({ websiteUrl: 'ftp://example.com' })],
  ['icon over http', set({ icons: [{ src: 'http://example.com/i.png' }] })],
  ['icon src too long', set({ icons: [{ src: `https://example.com/${'a'.repeat(250)}` }] })],
  ['icon size', set({ icons: [{ src: 'https://example.com/i.png', sizes: ['big'] }] })],
  ['icon mime type', set({ icons: [{ src: 'https://example.com/i.png', mimeType: 'image/gif' }] })],
  ['icon unknown member', set({ icons: [{ src: 'https://example.com/i.png', alt: 'x' }] })],
  ['repository without source', set({ repository: { url: 'https://github.com/x/y' } })],
  ['package version latest', pkg({ version: 'latest' })],
  ['package version caret range', pkg({ version: '^1.2.0' })],
  ['package version tilde range', pkg({ version: '~1.2.0' })],
  ['package version >=', pkg({ version: '>=1.2.0' })],
  ['package version 1.x', pkg({ version: '1.x' })],
  ['package version 1.*', pkg({ version: '1.*' })],
  ['package fileSha256 upper case', pkg({ fileSha256: 'A'.repeat(64) })],
  ['package without transport', pkg({ transport: undefined })],
  ['package unknown member', pkg({ extra: 1 })],
  ['package transport url not http', pkg({ transport: { type: 'sse', url: 'ws://x' } })],
  ['positional without valueHint or value', pkg({ packageArguments: [{ type: 'positional' }] })],
  ['named without name', pkg({ runtimeArguments: [{ type: 'named' }] })],
  ['argument of unknown type', pkg({ runtimeArguments: [{ type: 'flag', name: '-x' }] })],
  ['input format', pkg({ environmentVariables: [{ name: 'K', format: 'date' }] })],
  ['env var without name', pkg({ environmentVariables: [{ value: 'x' }] })],
  [
    'nested variables in a variable',
    pkg({ environmentVariables: [{ name: 'K', variables: { a: { variables: {} } } }] }),
  ],
  ['remote stdio', set({ remotes: [{ type: 'stdio' }] })],
  ['remote without url', set({ remotes: [{ type: 'sse' }] })],
  ['remote url with a space', set({ remotes: [{ type: 'sse', url: 'https://a b' }] })],
  ['too many remotes', set({ remotes: Array.from({ length: 65 }, () => FULL.remotes[0]) })],
  ['official _meta key', set({ _meta: { 'io.modelcontextprotocol.registry/official': {} } })],
  [
    'publisher-provided not an object',
    set({ _meta: { 'io.modelcontextprotocol.registry/publisher-provided': [] } }),
  ],
];

describe('schemas/server.schema.json agrees with the zod schema (drift test)', () => {
  it('follows the official 2025-12-11 schema and is a draft 2020-12 JSON Schema', () => {
    assert.equal(file.$schema, 'https://json-schema.org/draft/2020-12/schema');
    assert.ok(
      String(file.$comment).includes(SERVER_JSON_SCHEMA),
      'names the official schema version it follows',
    );
  });

  it('names the same members and requires the same ones', () => {
    const pairs: Array<[string, Record<string, any>, Shape]> = [
      ['server.json', file, ServerJsonDocument.shape as Shape],
      ['Package', file.$defs.Package, PackageSchema.shape as Shape],
      ['Icon', file.$defs.Icon, IconSchema.shape as Shape],
      ['Repository', file.$defs.Repository, RepositoryJson.shape as Shape],
    ];
    for (const [label, json, shape] of pairs) {
      assert.deepEqual(Object.keys(json.properties).sort(), keys(shape), `${label} members`);
      assert.deepEqual([...json.required].sort(), requiredKeys(shape), `${label} required`);
      assert.equal(json.additionalProperties, false, `${label} refuses unknown members`);
    }
  });

  it('gives the same verdict as zod on every document of the corpus', () => {
    for (const [label, doc] of VALID) {
      assert.equal(v.server(doc), undefined, `JSON Schema refuses valid "${label}"`);
      assert.ok(ServedServerJson.safeParse(doc).success, `zod refuses valid "${label}"`);
    }
    for (const [label, raw] of INVALID) {
      const doc = JSON.parse(JSON.stringify(raw));
      assert.notEqual(v.server(doc), undefined, `JSON Schema accepts invalid "${label}"`);
      assert.equal(
        ServerJsonDocument.safeParse(doc).success,
        false,
        `zod accepts invalid "${label}"`,
      );
    }
  });
});
