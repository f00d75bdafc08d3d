// pipelined (src/pipelined.ts): all steps settle before it answers; the first failure in
// argument order wins, whatever order the failures happened in.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pipelined } from '../../src/pipelined.js';

const after = <T>(ms: number, fn: () => T): Promise<T> =>
  new Promise((resolve, reject) =>
    setTimeout(() => {
      try {
        resolve(fn());
      } catch (e) {
        reject(e as Error);
      }
    }, ms),
  );

describe('pipelined', () => {
  it('gives the values in argument order', async () => {
    assert.deepEqual(await pipelined([after(20, () => 1), after(1, () => 'b')] as const), [1, 'b']);
  });
  it('fails with the first failure in argument order, after every step settled', async () => {
    let lateDone = false;
    await assert.rejects(
      pipelined([
        after(30, () => {
          throw new Error('first');
        }),
        after(1, () => {
          throw new Error('aborted');
        }),
        after(50, () => {
          lateDone = true;
        }),
      ] as const),
      /first/,
    );
    assert.equal(lateDone, true);
  });
});
