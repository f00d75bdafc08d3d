// The lock table (src/locks.ts) is the one list of advisory locks: each of its locks is documented
// in docs/locks.md with the same key, rank, scope and purpose, in the same order, and no
// advisory-lock SQL (nor a raw lock key) appears anywhere in src/ outside the one helper that
// checks the order (src/db/advisory-locks.ts).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { LOCK_TABLE, type LockName, type LockSpec } from '../../src/locks.js';

const root = path.resolve(import.meta.dirname, '../..');
const doc = readFileSync(path.join(root, 'docs/locks.md'), 'utf8');
const locks = Object.entries(LOCK_TABLE) as Array<[LockName, LockSpec]>;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry) ? [full] : [];
  });
}
const sources = sourceFiles(path.join(root, 'src')).map((file) => ({
  file: path.relative(root, file),
  text: readFileSync(file, 'utf8'),
}));

/** The documentation row of a lock, as docs/locks.md writes it. */
const rowOf = (name: string, l: LockSpec) =>
  `| ${l.rank} | \`${name}\` | ${l.key} | ${l.scope}${l.keyed ? ', one per id' : ''} | ${l.protects} |`;

describe('the lock table', () => {
  it('lists its locks by increasing rank, each with a key and a rank of its own', () => {
    const ranks = locks.map(([, l]) => l.rank);
    assert.deepEqual(
      ranks,
      [...ranks].sort((a, b) => a - b),
    );
    assert.equal(new Set(ranks).size, locks.length, 'two locks share a rank');
    assert.equal(new Set(locks.map(([, l]) => l.key)).size, locks.length, 'two locks share a key');
    for (const [name, l] of locks) {
      assert.ok(
        Number.isInteger(l.key) && l.key > 0 && l.key < 2 ** 31,
        `${name}: the key fits an int4`,
      );
    }
  });

  for (const [name, l] of locks) {
    it(`documents ${name} in docs/locks.md with its key, rank, scope and purpose`, () => {
      assert.ok(doc.includes(rowOf(name, l)), `docs/locks.md lacks the row:\n${rowOf(name, l)}`);
    });
  }

  it('documents no other lock, in the order of the table', () => {
    const documented = [...doc.matchAll(/^\| \d+ \| `([a-z-]+)` \| \d+ \|/gm)].map((m) => m[1]);
    assert.deepEqual(
      documented,
      locks.map(([name]) => name),
    );
  });

  it('is the only way to an advisory lock: no advisory-lock SQL in src/ outside the helper', () => {
    const helper = path.join('src', 'db', 'advisory-locks.ts');
    const users = sources
      .filter((s) => /pg_(try_)?advisory_\w*lock/i.test(s.text))
      .map((s) => s.file);
    assert.deepEqual(users, [helper]);
    // Nor a lock key written out anywhere but in the table.
    for (const [name, l] of locks) {
      const spelled = new RegExp(`\\b${String(l.key).replace(/(\d)(?=(\d{3})+$)/g, '$1_?')}\\b`);
      const found = sources.filter(
        (s) => s.file !== path.join('src', 'locks.ts') && spelled.test(s.text),
      );
      assert.deepEqual(
        found.map((s) => s.file),
        [],
        `${name}'s key ${l.key} outside src/locks.ts`,
      );
    }
  });

  it('names only locks of the table where src/ takes one', () => {
    for (const { file, text } of sources) {
      for (const m of text.matchAll(
        /\.(?:acquire|acquireFor|tryAcquire|withExclusiveSession)\('([^']+)'/g,
      )) {
        assert.ok(m[1]! in LOCK_TABLE, `${file}: '${m[1]}' is not in the lock table`);
      }
    }
  });
});
