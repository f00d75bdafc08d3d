// The raw-JSON scanner that runs before any parsing: depth, value count, control characters and
// unpaired surrogates, judged by what the escapes decode to, with the path of the offending field.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { badCharacter, MAX_JSON_DEPTH, scanJson } from '../../../src/http/input-limits.js';

const nested = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

describe('scanJson', () => {
  it('accepts ordinary documents, tabs and newlines, escaped backslashes and paired surrogates', () => {
    for (const text of [
      '{"a":[1,2,{"b":"c\\nd\\t"}]}',
      '"\\\\u0000"',
      '{"k":"{[[[["}',
      '"\\ud83d\\ude00 \ud83d\ude00"',
      'true',
      nested(MAX_JSON_DEPTH),
    ]) {
      assert.equal(scanJson(text), undefined, text);
    }
  });

  it('refuses nesting one level past the limit, naming the path to it', () => {
    assert.deepEqual(scanJson(nested(MAX_JSON_DEPTH + 1)), {
      path: Array(MAX_JSON_DEPTH).fill(0),
      message: `is nested deeper than ${MAX_JSON_DEPTH} levels`,
    });
    const v = scanJson('{"tools":[{"x":1},{"annotations":{"a":{"b":[[1]]}}}]}', { maxDepth: 5 });
    assert.deepEqual(v?.path, ['tools', 1, 'annotations', 'a', 'b']);
  });

  it('refuses escaped and raw control characters and unpaired surrogates, naming the member', () => {
    assert.deepEqual(scanJson('{"a":{"b":["ok","x\\u0000"]}}'), {
      path: ['a', 'b', 1],
      message: 'contains the control character U+0000',
    });
    assert.deepEqual(scanJson('{"a":"\\u001B[31m"}')?.path, ['a']);
    assert.deepEqual(scanJson('{"a":"\x7f"}')?.message, 'contains the control character U+007F');
    assert.equal(scanJson('{"a":"\\ud800"}')?.message, 'contains an unpaired UTF-16 surrogate');
    assert.equal(
      scanJson('{"a":"\\udc00\\ud800"}')?.message,
      'contains an unpaired UTF-16 surrogate',
    );
    assert.deepEqual(scanJson('{"ok":1,"b\\u0000":2}'), {
      path: [],
      message: 'has a member name that contains the control character U+0000',
    });
  });

  it('refuses more values than the limit', () => {
    assert.match(
      scanJson(`[${Array(11).fill('1').join(',')}]`, { maxValues: 10 })?.message ?? '',
      /more than 10 values/,
    );
    assert.equal(scanJson(`[${Array(9).fill('"s"').join(',')}]`, { maxValues: 10 }), undefined);
  });

  it('badCharacter judges decoded strings the same way', () => {
    assert.equal(badCharacter('line\r\n\ttab'), undefined);
    assert.match(badCharacter('a\u0000') ?? '', /U\+0000/);
    assert.match(badCharacter('\ud800') ?? '', /surrogate/);
  });
});
