// Issue 17, acceptance 5 (the rules): each boundary of the profile table — one missing condition
// drops exactly one level — and the capability classes derived from annotations.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  capabilityClasses,
  inputSchemasTyped,
  PROFILE_RULES,
  profileOf,
  toolClasses,
  type TrustFacts,
} from '../../../src/manifests/trust-profile.js';

const GOLD: TrustFacts = {
  active: true,
  signedManifest: true,
  typedInputSchemas: true,
  verifiedPublisher: true,
  originProven: true,
  trustLevel: 4,
  serverSignature: true,
  everyToolClassified: true,
};

describe('trust profiles', () => {
  it('all conditions: Gold', () => assert.equal(profileOf(GOLD), 'Gold'));

  const drops: Array<[string, Partial<TrustFacts>, string | null]> = [
    ['no server signature', { serverSignature: false }, 'Silver'],
    ['trust level 3 (no audit approval)', { trustLevel: 3 }, 'Silver'],
    ['a tool unclassified', { everyToolClassified: false }, 'Silver'],
    ['origin proof lost', { originProven: false }, 'Bronze'],
    ['namespace no longer verified for the publisher', { verifiedPublisher: false }, 'Bronze'],
    ['trust level 2', { trustLevel: 2 }, 'Bronze'],
    ['no active server passport', { trustLevel: null }, 'Bronze'],
    ['an untyped input schema', { typedInputSchemas: false }, null],
    ['not signed by the TA (mirrored)', { signedManifest: false }, null],
    ['yanked', { active: false }, null],
  ];
  for (const [what, change, expected] of drops) {
    it(`${what}: ${expected ?? 'no profile'}`, () =>
      assert.equal(profileOf({ ...GOLD, ...change }), expected));
  }

  it('a level is never reached without the one below it (Gold facts without Bronze: none)', () => {
    assert.equal(profileOf({ ...GOLD, typedInputSchemas: false }), null);
    assert.equal(profileOf({ ...GOLD, originProven: false, serverSignature: true }), 'Bronze');
  });

  it('the table has three levels, each with its conditions, and docs/registry.md prints exactly it', () => {
    assert.deepEqual(
      PROFILE_RULES.map((l) => l.profile),
      ['Bronze', 'Silver', 'Gold'],
    );
    for (const l of PROFILE_RULES) assert.ok(l.requires.length >= 2);
    const docs = readFileSync(new URL('../../../docs/registry.md', import.meta.url), 'utf8');
    const rows = PROFILE_RULES.flatMap((l) =>
      l.requires.map((r) => `| ${l.profile} | ${r.fact} |`),
    );
    const table = docs.split('\n').filter((line) => /^\| (Bronze|Silver|Gold) \|/.test(line));
    assert.deepEqual(table, rows);
  });

  it('derives capability classes from annotations and declared classes; unknown is unclassified', () => {
    const t = (annotations?: Record<string, unknown>, _meta?: Record<string, unknown>) => ({
      name: 'x',
      inputSchema: { type: 'object' },
      annotations,
      _meta,
    });
    assert.deepEqual(toolClasses(t({ readOnlyHint: true })), ['read']);
    assert.deepEqual(toolClasses(t({ readOnlyHint: true, destructiveHint: true })), ['read']);
    assert.deepEqual(toolClasses(t({ readOnlyHint: false })), ['write']);
    assert.deepEqual(toolClasses(t({ destructiveHint: true })), ['write']);
    assert.deepEqual(toolClasses(t({ readOnlyHint: true, openWorldHint: true })), [
      'read',
      'network',
    ]);
    assert.deepEqual(
      toolClasses(t(undefined, { 'dev.mcps-ta/capability_classes': ['execute', 'bogus'] })),
      ['execute'],
    );
    assert.deepEqual(toolClasses(t()), ['unclassified']);
    assert.deepEqual(toolClasses(t({ openWorldHint: false, title: 'x' })), ['unclassified']);
    assert.deepEqual(capabilityClasses([t({ readOnlyHint: true }), t()]), ['read', 'unclassified']);
    assert.deepEqual(capabilityClasses([]), []);
  });

  it('typed input schemas: every property says what it holds', () => {
    const tool = (inputSchema: Record<string, unknown>) => ({ name: 'x', inputSchema });
    assert.equal(
      inputSchemasTyped([
        tool({
          type: 'object',
          properties: { a: { type: 'string' }, b: { enum: [1] }, c: { $ref: '#/$defs/c' } },
        }),
      ]),
      true,
    );
    assert.equal(inputSchemasTyped([tool({ type: 'object' })]), true);
    assert.equal(inputSchemasTyped([tool({ type: 'object', properties: { a: {} } })]), false);
    assert.equal(
      inputSchemasTyped([tool({ type: 'object', properties: { a: { description: 'anything' } } })]),
      false,
    );
  });
});
