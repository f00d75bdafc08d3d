// fast-check arbitraries of hostile input: wrong types, huge strings, deep nesting, duplicate
// keys, lone surrogates, prototype-pollution keys, and near-valid bodies built from a schema.
import fc from 'fast-check';

const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\ud800',
  '\udfff\ud800',
  '../../../etc/passwd',
  '..%2F..%2Fadmin',
  '%00',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '{"$ne": null}',
  '__proto__',
  'constructor',
  'prototype',
  '\u202e\u0041',
  '9'.repeat(400),
  '-1',
  'NaN',
  '1e309',
  'sha256:' + 'g'.repeat(64),
  'asp_' + '0'.repeat(32),
  'asp_' + 'F'.repeat(32),
];

export const hostileString = fc.oneof(
  fc.constantFrom(...NASTY_STRINGS),
  fc.string({ maxLength: 64 }),
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.nat({ max: 200_000 }).map((n) => 'x'.repeat(n)),
);

export const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.constantFrom(null, true, false, -0, Number.MAX_SAFE_INTEGER + 2, 1e308),
);

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { depthSize: 'small' },
  hostileScalar,
  fc.jsonValue({ maxDepth: 4 }),
  fc.array(hostileScalar, { maxLength: 5 }),
  fc.dictionary(hostileString, hostileScalar, { maxKeys: 5 }),
);

/** Raw request bodies that are not a plain JSON document of the right shape. */
export const rawHostileBody = fc.oneof(
  fc.nat({ max: 5000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.nat({ max: 5000 }).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)),
  fc.constantFrom(
    '{',
    '}',
    '{"a":1,}',
    'nul',
    '"\\ud800"',
    '{"__proto__":{"polluted":1}}',
    '{"a":1,"a":2}',
    '\u0000',
    '[1,2',
    'true',
  ),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

/** Objects with the schema's property names (and prototype keys) bound to hostile values. */
export function nearValidBody(propertyNames: string[]): fc.Arbitrary<string> {
  const keys = [...propertyNames, '__proto__', 'constructor'];
  return fc
    .array(fc.tuple(fc.constantFrom(...keys), hostileValue), { maxLength: keys.length + 2 })
    .map(
      (pairs) =>
        `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`,
    );
}
