// Tile paths of C2SP tlog-tiles: the index encoding and which tiles a tree holds.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  hashesAtLevel,
  parseTileIndex,
  tileAvailable,
  tileIndexPath,
} from '../../../src/log/tiles.js';

describe('tile index paths', () => {
  it('encodes and parses the spec examples and round-trips', () => {
    assert.equal(tileIndexPath(1234067, 256), 'x001/x234/067');
    assert.equal(tileIndexPath(5, 256), '005');
    assert.equal(tileIndexPath(1000, 17), 'x001/000.p/17');
    assert.deepEqual(parseTileIndex('x001/x234/067'), { index: 1234067, width: 256 });
    for (const [index, width] of [
      [0, 256],
      [0, 1],
      [999, 255],
      [1000, 256],
      [123456789, 42],
    ] as const)
      assert.deepEqual(parseTileIndex(tileIndexPath(index, width)), { index, width });
  });
  it('refuses non-canonical and malformed paths', () => {
    for (const bad of [
      '5',
      '0005',
      'x000/005',
      '001/002',
      'x1/002',
      '000.p/0',
      '000.p/256',
      '000.p/07',
      '000.p/',
      '000/',
      '-01',
    ])
      assert.equal(typeof parseTileIndex(bad), 'string', bad);
  });
  it('the spec example: a tree of 70,000 leaves', () => {
    // 273 full level-0 tiles and a partial one of 112; one full level-1 tile and a partial of 17;
    // a partial level-2 tile of 1.
    assert.equal(hashesAtLevel(70_000, 0), 273 * 256 + 112);
    assert.equal(hashesAtLevel(70_000, 1), 256 + 17);
    assert.equal(hashesAtLevel(70_000, 2), 1);
    assert.ok(tileAvailable(70_000, { level: 0, index: 272, width: 256 }));
    assert.ok(!tileAvailable(70_000, { level: 0, index: 273, width: 256 }));
    assert.ok(tileAvailable(70_000, { level: 0, index: 273, width: 112 }));
    assert.ok(!tileAvailable(70_000, { level: 0, index: 273, width: 113 }));
    assert.ok(tileAvailable(70_000, { level: 1, index: 1, width: 17 }));
    assert.ok(tileAvailable(70_000, { level: 2, index: 0, width: 1 }));
    assert.ok(!tileAvailable(70_000, { level: 2, index: 0, width: 2 }));
  });
});
