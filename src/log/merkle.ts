// RFC 9162 §2.1 Merkle tree hashing, proofs and their verification. Pure functions over a node
// source, so the service (nodes in the database) and the verifier (hashes it was sent) share them.
import { createHash } from 'node:crypto';

/** SHA-256(0x00 ‖ leaf): RFC 9162 §2.1.1 leaf hash. */
export function leafHash(leaf: Uint8Array): Buffer {
  return createHash('sha256').update(Buffer.of(0)).update(leaf).digest();
}

/** SHA-256(0x01 ‖ left ‖ right): RFC 9162 §2.1.1 interior node. */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(Buffer.of(1)).update(left).update(right).digest();
}

/** The hash of the empty tree: SHA-256 of the empty string. */
export const EMPTY_ROOT = createHash('sha256').digest();

/** Largest power of two strictly smaller than n (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

const isPow2 = (n: number) => n > 0 && 2 ** Math.round(Math.log2(n)) === n;

/** Hash of a complete, aligned subtree: level l, index i covers leaves [i·2^l, (i+1)·2^l). */
export type NodeSource = (level: number, index: number) => Buffer;

/** MTH(D[start:end]) from complete-subtree hashes; ranges are those RFC 9162 proofs use. */
export function rangeHash(nodes: NodeSource, start: number, end: number): Buffer {
  const n = end - start;
  if (n <= 0) return EMPTY_ROOT;
  if (isPow2(n) && start % n === 0) return nodes(Math.log2(n), start / n);
  const k = splitPoint(n);
  return nodeHash(rangeHash(nodes, start, start + k), rangeHash(nodes, start + k, end));
}

/** RFC 9162 §2.1.3.1 PATH(m, D[0:n]): the inclusion proof of leaf m in the tree of size n. */
export function inclusionPath(nodes: NodeSource, m: number, n: number): Buffer[] {
  const path = (m: number, start: number, end: number): Buffer[] => {
    const size = end - start;
    if (size <= 1) return [];
    const k = splitPoint(size);
    if (m < k) return [...path(m, start, start + k), rangeHash(nodes, start + k, end)];
    return [...path(m - k, start + k, end), rangeHash(nodes, start, start + k)];
  };
  return path(m, 0, n);
}

/** RFC 9162 §2.1.4.1 PROOF(m, D[0:n]): the consistency proof from size m to size n. */
export function consistencyPath(nodes: NodeSource, m: number, n: number): Buffer[] {
  if (m <= 0 || m >= n) return [];
  const subproof = (m: number, start: number, end: number, b: boolean): Buffer[] => {
    const size = end - start;
    if (m === size) return b ? [] : [rangeHash(nodes, start, end)];
    const k = splitPoint(size);
    if (m <= k) return [...subproof(m, start, start + k, b), rangeHash(nodes, start + k, end)];
    return [...subproof(m - k, start + k, end, false), rangeHash(nodes, start, start + k)];
  };
  return subproof(m, 0, n, true);
}

/**
 * The (level, index) keys a computation reads: run it once against this recorder, fetch the keys,
 * then run it against the fetched hashes (the shape of a proof never depends on hash values).
 */
export function recordingSource(): { source: NodeSource; keys: Array<[number, number]> } {
  const keys: Array<[number, number]> = [];
  const seen = new Set<string>();
  const zero = Buffer.alloc(32);
  return {
    keys,
    source: (level, index) => {
      const k = `${level}:${index}`;
      if (!seen.has(k)) {
        seen.add(k);
        keys.push([level, index]);
      }
      return zero;
    },
  };
}

/** RFC 9162 §2.1.3.2: does `path` prove leaf `index` (hash `leaf`) in the tree of `size` with `root`? */
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Uint8Array,
  path: Uint8Array[],
  root: Uint8Array,
): boolean {
  if (index >= size || index < 0) return false;
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leaf);
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(Buffer.from(root));
}

/** RFC 9162 §2.1.4.2: does `path` prove the tree (size1, root1) is a prefix of (size2, root2)? */
export function verifyConsistency(
  size1: number,
  size2: number,
  root1: Uint8Array,
  root2: Uint8Array,
  path: Uint8Array[],
): boolean {
  if (size1 > size2 || size1 < 0) return false;
  if (size1 === size2) return path.length === 0 && Buffer.from(root1).equals(Buffer.from(root2));
  if (size1 === 0) return path.length === 0;
  if (path.length === 0) return false;
  let p: Buffer[] = path.map((x) => Buffer.from(x));
  if (isPow2(size1)) p = [Buffer.from(root1), ...p];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr: Buffer = p[0]!;
  let sr: Buffer = p[0]!;
  for (const c of p.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && fr.equals(Buffer.from(root1)) && sr.equals(Buffer.from(root2));
}

/** A complete subtree on the right edge of a tree being built (compact range). */
export interface FrontierNode {
  level: number;
  hash: Buffer;
}

/** The keys of the frontier of a tree of `size`: one complete subtree per set bit, largest first. */
export function frontierKeys(size: number): Array<[number, number]> {
  const keys: Array<[number, number]> = [];
  for (let level = 52; level >= 0; level -= 1) {
    const span = 2 ** level;
    if (Math.floor(size / span) % 2 === 1) keys.push([level, Math.floor(size / span) - 1]);
  }
  return keys;
}

/**
 * Appends a leaf hash at index `size` to the frontier (mutated) and returns every complete subtree
 * the append completes (the leaf itself at level 0, then each parent it closes).
 */
export function appendLeaf(
  frontier: FrontierNode[],
  size: number,
  leaf: Buffer,
): Array<{ level: number; index: number; hash: Buffer }> {
  const made = [{ level: 0, index: size, hash: leaf }];
  frontier.push({ level: 0, hash: leaf });
  while (
    frontier.length >= 2 &&
    frontier[frontier.length - 1]!.level === frontier[frontier.length - 2]!.level
  ) {
    const right = frontier.pop()!;
    const left = frontier.pop()!;
    const level = left.level + 1;
    const hash = nodeHash(left.hash, right.hash);
    frontier.push({ level, hash });
    made.push({ level, index: Math.floor(size / 2 ** level), hash });
  }
  return made;
}

/** MTH of the tree whose frontier this is: fold right to left. */
export function frontierRoot(frontier: FrontierNode[]): Buffer {
  if (frontier.length === 0) return EMPTY_ROOT;
  let r = frontier[frontier.length - 1]!.hash;
  for (let i = frontier.length - 2; i >= 0; i -= 1) r = nodeHash(frontier[i]!.hash, r);
  return r;
}
