// Acceptance 5 (unit level): invalid JSON Schemas, bad tool names, non-semver versions, duplicates
// and oversize parts are refused with the offending field named.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidRequestError } from '../../../src/errors.js';
import { LIMITS, parseManifestInput } from '../../../src/manifests/manifest-input.js';

const tool = (over: Record<string, unknown> = {}) => ({
  name: 'read_file',
  description: 'Read a file',
  inputSchema: { type: 'object', properties: { path: { type: 'string' } } },
  ...over,
});

function fieldsOf(raw: unknown): string[] {
  try {
    parseManifestInput(raw);
  } catch (err) {
    assert.ok(err instanceof InvalidRequestError, String(err));
    return err.issues.map((i) => i.field);
  }
  assert.fail('expected the input to be refused');
}

describe('manifest input', () => {
  it('accepts a valid manifest and defaults prompts and resources', () => {
    const input = parseManifestInput({ version: '1.0.0', tools: [tool()] });
    assert.deepEqual(input.prompts, []);
    assert.deepEqual(input.resources, []);
  });

  it('accepts 2020-12 (default) and draft-07 schemas with local $refs', () => {
    const s2020 = {
      type: 'object',
      $defs: { p: { type: 'string' } },
      properties: { path: { $ref: '#/$defs/p' } },
      unevaluatedProperties: false,
    };
    const s07 = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      definitions: { p: { type: 'string' } },
      properties: { path: { $ref: '#/definitions/p' } },
    };
    parseManifestInput({
      version: '1.0.0',
      tools: [
        tool({ inputSchema: s2020 }),
        tool({ name: 'b', inputSchema: s07, outputSchema: { type: 'object' } }),
      ],
    });
  });

  it('accepts the same $id in two tools', () => {
    const schema = { $id: 'https://example.com/s.json', type: 'object' };
    parseManifestInput({
      version: '1.0.0',
      tools: [tool({ inputSchema: schema }), tool({ name: 'b', inputSchema: { ...schema } })],
    });
  });

  it('refuses schemas that are not valid JSON Schemas, naming the tool and member', () => {
    assert.deepEqual(
      fieldsOf({
        version: '1.0.0',
        tools: [tool({ inputSchema: { type: 'object', properties: { a: { type: 'strnig' } } } })],
      }),
      ['body.tools.0.inputSchema'],
    );
    assert.deepEqual(
      fieldsOf({
        version: '1.0.0',
        tools: [tool(), tool({ name: 'b', outputSchema: { type: 'object', required: 'a' } })],
      }),
      ['body.tools.1.outputSchema'],
    );
    assert.deepEqual(
      fieldsOf({
        version: '1.0.0',
        tools: [
          tool({ inputSchema: { type: 'object', properties: { a: { $ref: '#/$defs/missing' } } } }),
        ],
      }),
      ['body.tools.0.inputSchema'],
    );
    assert.deepEqual(
      fieldsOf({
        version: '1.0.0',
        tools: [
          tool({
            inputSchema: {
              type: 'object',
              properties: { a: { $ref: 'https://example.com/remote.json' } },
            },
          }),
        ],
      }),
      ['body.tools.0.inputSchema'],
    );
    assert.deepEqual(
      fieldsOf({
        version: '1.0.0',
        tools: [
          tool({
            inputSchema: { type: 'object', properties: { a: { type: 'string', pattern: '([' } } },
          }),
        ],
      }),
      ['body.tools.0.inputSchema'],
    );
    assert.deepEqual(
      fieldsOf({ version: '1.0.0', tools: [tool({ inputSchema: { type: 'string' } })] }),
      ['body.tools.0.inputSchema'],
    );
    assert.deepEqual(
      fieldsOf({
        version: '1.0.0',
        tools: [
          tool({
            inputSchema: { $schema: 'http://json-schema.org/draft-04/schema#', type: 'object' },
          }),
        ],
      }),
      ['body.tools.0.inputSchema'],
    );
    assert.deepEqual(fieldsOf({ version: '1.0.0', tools: [tool({ inputSchema: [] })] }), [
      'body.tools.0.inputSchema',
    ]);
  });

  it('refuses tool names outside 1–128 of [A-Za-z0-9_.-] and duplicate names', () => {
    for (const name of ['', 'read file', 'read/file', 'x'.repeat(129), 'ünïcode']) {
      assert.deepEqual(
        fieldsOf({ version: '1.0.0', tools: [tool({ name })] }),
        ['body.tools.0.name'],
        JSON.stringify(name),
      );
    }
    parseManifestInput({
      version: '1.0.0',
      tools: [tool({ name: 'A.b_c-9' }), tool({ name: 'x'.repeat(128) })],
    });
    assert.deepEqual(fieldsOf({ version: '1.0.0', tools: [tool(), tool()] }), [
      'body.tools.1.name',
    ]);
  });

  it('refuses versions that are not plain semver', () => {
    for (const version of [
      '1.0',
      'v1.0.0',
      '1.0.0.0',
      'latest',
      '01.0.0',
      '1.0.0+build.1',
      '=1.0.0',
    ]) {
      assert.deepEqual(fieldsOf({ version, tools: [] }), ['body.version'], version);
    }
    parseManifestInput({ version: '2.0.0-rc.1', tools: [] });
  });

  it('keeps unknown tool members as sent (forward-compatible), refuses unknown top-level members, oversize descriptions and schemas, deep nesting and too many tools', () => {
    // Members of tools the TA does not know (a later MCP revision's) are kept, the very object sent.
    const sent = tool({ 'x-later': { kept: true } });
    assert.equal(parseManifestInput({ version: '1.0.0', tools: [sent] }).tools[0], sent);
    assert.deepEqual(fieldsOf({ version: '1.0.0', tools: [tool({ tool_hash: 'forged' })] }), [
      'body.tools.0.tool_hash',
    ]);
    assert.deepEqual(fieldsOf({ version: '1.0.0', tools: [], extra: 1 }), ['body']);
    assert.deepEqual(
      fieldsOf({
        version: '1.0.0',
        tools: [tool({ description: 'x'.repeat(LIMITS.descriptionChars + 1) })],
      }),
      ['body.tools.0.description'],
    );
    const wide = {
      type: 'object',
      properties: Object.fromEntries(
        Array.from({ length: 3000 }, (_, i) => [`p${i}`, { type: 'string' }]),
      ),
    };
    assert.deepEqual(fieldsOf({ version: '1.0.0', tools: [tool({ inputSchema: wide })] }), [
      'body.tools.0.inputSchema',
    ]);
    let deep: Record<string, unknown> = { type: 'object' };
    for (let i = 0; i < 40; i += 1) deep = { type: 'object', properties: { x: deep } };
    assert.deepEqual(fieldsOf({ version: '1.0.0', tools: [tool({ inputSchema: deep })] }), [
      'body.tools.0.inputSchema',
    ]);
    const many = Array.from({ length: LIMITS.tools + 1 }, (_, i) => tool({ name: `t${i}` }));
    assert.deepEqual(fieldsOf({ version: '1.0.0', tools: many }), ['body.tools']);
  });

  it('validates prompts and resources', () => {
    assert.deepEqual(
      fieldsOf({ version: '1.0.0', tools: [], prompts: [{ name: 'p' }, { name: 'p' }] }),
      ['body.prompts.1.name'],
    );
    assert.deepEqual(
      fieldsOf({ version: '1.0.0', tools: [], resources: [{ uri: 'not a uri', name: 'r' }] }),
      ['body.resources.0.uri'],
    );
    parseManifestInput({
      version: '1.0.0',
      tools: [],
      prompts: [{ name: 'summarise', arguments: [{ name: 'text', required: true }] }],
      resources: [{ uri: 'file:///etc/motd', name: 'motd' }],
    });
  });
});
