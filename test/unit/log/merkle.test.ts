// RFC 9162 §2.1 hashing and proofs (src/log/merkle.ts) against the recursive definitions, for
// every tree size up to 40 and every leaf / every pair of sizes; a changed hash fails.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  appendLeaf,
  consistencyPath,
  frontierRoot,
  inclusionPath,
  leafHash,
  rangeHash,
  verifyConsistency,
  verifyInclusion,
  type FrontierNode,
  type NodeSource,
} from '../../../src/log/merkle.js';

const sha = (...p: Buffer[]) => createHash('sha256').update(Buffer.concat(p)).digest();
const mth = (d: Buffer[]): Buffer => {
  if (d.length === 0) return sha();
  if (d.length === 1) return d[0]!;
  const k = 2 ** Math.floor(Math.log2(d.length - 1));
  return sha(Buffer.of(1), mth(d.slice(0, k)), mth(d.slice(k)));
};
const N = 40;
const leaves = Array.from({ length: N }, (_, i) => leafHash(Buffer.from(`leaf ${i}`)));

// Complete-subtree hashes as the sequencer stores them.
const stored = new Map<string, Buffer>();
const frontier: FrontierNode[] = [];
const roots: Buffer[] = [sha()];
leaves.forEach((l, i) => {
  for (const n of appendLeaf(frontier, i, l)) stored.set(`${n.level}:${n.index}`, n.hash);
  roots.push(frontierRoot(frontier));
});
const nodes: NodeSource = (level, index) => stored.get(`${level}:${index}`)!;

describe('RFC 9162 Merkle tree', () => {
  it('builds the root of every size incrementally and from stored nodes, equal to MTH', () => {
    assert.deepEqual(leafHash(Buffer.from('x')), sha(Buffer.of(0), Buffer.from('x')));
    for (let n = 0; n <= N; n += 1) {
      assert.ok(roots[n]!.equals(mth(leaves.slice(0, n))), `frontier root ${n}`);
      assert.ok(rangeHash(nodes, 0, n).equals(roots[n]!), `stored root ${n}`);
    }
  });

  it('proves and verifies the inclusion of every leaf in every tree, and rejects a changed path', () => {
    for (let n = 1; n <= N; n += 1) {
      for (let m = 0; m < n; m += 1) {
        const path = inclusionPath(nodes, m, n);
        assert.ok(verifyInclusion(m, n, leaves[m]!, path, roots[n]!), `${m} in ${n}`);
        if (path.length)
          assert.ok(
            !verifyInclusion(
              m,
              n,
              leaves[m]!,
              [sha(Buffer.from('x')), ...path.slice(1)],
              roots[n]!,
            ),
          );
        assert.ok(!verifyInclusion(m, n, leaves[(m + 1) % N]!, path, roots[n]!) || n === 1);
      }
    }
  });

  it('proves and verifies consistency between every pair of sizes, and rejects another root', () => {
    for (let n = 1; n <= N; n += 1) {
      for (let m = 1; m <= n; m += 1) {
        const path = consistencyPath(nodes, m, n);
        assert.ok(verifyConsistency(m, n, roots[m]!, roots[n]!, path), `${m} → ${n}`);
        if (m < n)
          assert.ok(
            !verifyConsistency(m, n, sha(Buffer.from('forged')), roots[n]!, path),
            `forged ${m} → ${n}`,
          );
      }
    }
  });
});
