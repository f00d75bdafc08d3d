// The README's "How it is built" tree is generated from nothing, so this test holds it to src/:
// every folder and top-level file of src/ is named in it, and everything it names under src/
// exists. A new folder (or a moved file) fails here until the README says what it is.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The code block under "## How it is built". */
export function treeBlock(readme: string): string {
  const section = readme.split(/^## How it is built\s*$/m)[1];
  if (section === undefined) throw new Error('README has no "## How it is built" section');
  const block = /```\n([\s\S]*?)\n```/.exec(section);
  if (!block) throw new Error('"How it is built" has no code block');
  return block[1]!;
}

/** Names the src/ part of the tree mentions: `foo/` folders and `foo.ts` files. */
export function srcNames(tree: string): Set<string> {
  const lines = tree.split('\n');
  const start = lines.findIndex((l) => l.trim() === 'src/');
  if (start < 0) throw new Error('the tree has no src/ line');
  const names = new Set<string>();
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line)) break; // the next top-level entry: src/ ends
    // The name column: what comes before the first run of two spaces after the indent.
    const column = line.trim().split(/\s{2,}/)[0] ?? '';
    for (const token of column.split(/\s+/)) {
      const name = token.replace(/,$/, '');
      if (/^[a-z][a-z0-9-]*\/$/.test(name) || /^[a-z][a-z0-9-]*\.ts$/.test(name))
        names.add(name.replace(/\/$/, ''));
    }
  }
  return names;
}

describe('README "How it is built"', () => {
  const tree = treeBlock(readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
  const named = srcNames(tree);
  const actual = readdirSync(path.join(ROOT, 'src'), { withFileTypes: true })
    .filter((e) => e.isDirectory() || e.name.endsWith('.ts'))
    .map((e) => e.name);

  it('names every folder and top-level file of src/', () => {
    const missing = actual.filter((n) => !named.has(n));
    assert.deepEqual(missing, [], `add to the README tree: ${missing.join(', ')}`);
  });

  it('names nothing under src/ that does not exist', () => {
    const gone = [...named].filter((n) => !existsSync(path.join(ROOT, 'src', n)));
    assert.deepEqual(gone, [], `the README tree names what src/ no longer has: ${gone.join(', ')}`);
  });

  it('reads names from the name column only (a check of the parser on a sample)', () => {
    const sample =
      'src/\n  a.ts, b.ts   wiring: mentions c.ts and d/ in prose\n  e/ f/        domain\nmigrations/  sql\n  g.ts  not src';
    assert.deepEqual([...srcNames(sample)].sort(), ['a.ts', 'b.ts', 'e', 'f']);
  });
});
