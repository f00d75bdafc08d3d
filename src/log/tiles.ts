// The C2SP tlog-tiles read API over the stored tree (docs/transparency-log.md): a tile at level L
// is 256 consecutive hashes at tree height 8·L (level 0: leaf hashes), cut from the complete
// subtrees the sequencer stores; the rightmost tile of a level is partial (.p/W, 1–255 hashes).
// Every tile's content is fixed once its subtrees are complete, so tiles are immutable: a cache
// may keep them for ever. Entry bundles are the leaves themselves, uint16-length-prefixed.
import type { LogStore } from './store.js';

export const TILE_WIDTH = 256;
/** Tree levels a tile spans. */
export const TILE_HEIGHT = 8;
/** Levels a tile path may name (C2SP: 0–63). */
export const MAX_TILE_LEVEL = 63;
/** An entry in a bundle is prefixed by a big-endian uint16 length. */
export const MAX_BUNDLE_ENTRY = 0xffff;

export interface TileCoordinate {
  /** Tile level (0: leaf hashes). */
  level: number;
  /** Index of the tile within its level. */
  index: number;
  /** Hashes in it: TILE_WIDTH for a full tile, 1–255 for a partial one. */
  width: number;
}

/**
 * `<N>[.p/<W>]` of a tile path: N as zero-padded 3-digit elements, all but the last prefixed by
 * `x` (1234067 → `x001/x234/067`), canonical (no leading `x000`), then an optional partial width
 * 1–255 without leading zeros. A message saying what is wrong otherwise.
 */
export function parseTileIndex(text: string): { index: number; width: number } | string {
  const m = /^((?:x\d{3}\/)*)(\d{3})(?:\.p\/([1-9]\d{0,2}))?$/.exec(text);
  if (!m) return 'must be N as 3-digit path elements (x001/x234/067), optionally .p/W';
  const digits = m[1]!.replace(/[x/]/g, '') + m[2]!;
  if (m[1]!.startsWith('x000')) return 'must not have leading x000 elements';
  if (digits.length > 15) return 'is beyond any tree this log can hold';
  if (m[3] === undefined) return { index: Number(digits), width: TILE_WIDTH };
  const width = Number(m[3]);
  if (width >= TILE_WIDTH) return 'a partial width must be 1–255';
  return { index: Number(digits), width };
}

/** The `<N>[.p/<W>]` path of a tile index and width (the inverse of parseTileIndex). */
export function tileIndexPath(index: number, width: number): string {
  let n = String(index);
  n = n.padStart(Math.ceil(n.length / 3) * 3, '0');
  const groups = n.match(/\d{3}/g)!;
  const path = groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
  return width === TILE_WIDTH ? path : `${path}.p/${width}`;
}

/** How many hashes of tile level `level` a tree of `size` leaves has: floor(size / 256^level). */
export function hashesAtLevel(size: number, level: number): number {
  return Math.floor(size / TILE_WIDTH ** level);
}

/** Whether the tree of `size` leaves has every hash of tile `t` (it is then immutable). */
export function tileAvailable(size: number, t: TileCoordinate): boolean {
  return t.index * TILE_WIDTH + t.width <= hashesAtLevel(size, t.level);
}

/** The tile's hashes, concatenated (32 bytes each); undefined while the tree lacks some. */
export async function readTile(log: LogStore, t: TileCoordinate): Promise<Buffer | undefined> {
  if (!tileAvailable(await log.treeSize(), t)) return undefined;
  const start = t.index * TILE_WIDTH;
  const hashes = await log.levelHashes(t.level * TILE_HEIGHT, start, start + t.width);
  if (hashes.length !== t.width)
    throw new Error(`log tree level ${t.level * TILE_HEIGHT} lacks nodes of tile ${t.index}`);
  return Buffer.concat(hashes);
}

/**
 * An entry bundle: each leaf as a big-endian uint16 length and its bytes. A leaf longer than
 * 65,535 bytes cannot be written in one; its seq is returned instead.
 */
export function encodeEntryBundle(leaves: Array<{ seq: number; leaf: Buffer }>): Buffer | number {
  const parts: Buffer[] = [];
  for (const { seq, leaf } of leaves) {
    if (leaf.length > MAX_BUNDLE_ENTRY) return seq;
    const length = Buffer.alloc(2);
    length.writeUInt16BE(leaf.length);
    parts.push(length, leaf);
  }
  return Buffer.concat(parts);
}
