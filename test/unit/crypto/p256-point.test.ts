// isP256Point: the arithmetic on-curve check verifiers use instead of importing a key, compared
// with what node:crypto (OpenSSL) accepts.
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { isP256Point } from '../../../src/crypto/ecdsa.js';

const P = Buffer.from('ffffffff00000001000000000000000000000000ffffffffffffffffffffffff', 'hex');

function opensslAccepts(x: Buffer, y: Buffer): boolean {
  try {
    createPublicKey({
      key: { kty: 'EC', crv: 'P-256', x: x.toString('base64url'), y: y.toString('base64url') },
      format: 'jwk',
    });
    return true;
  } catch {
    return false;
  }
}

describe('isP256Point', () => {
  it('accepts the points of generated keys, as OpenSSL does', () => {
    for (let i = 0; i < 50; i += 1) {
      const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
        format: 'jwk',
      }) as { x: string; y: string };
      const x = Buffer.from(jwk.x, 'base64url');
      const y = Buffer.from(jwk.y, 'base64url');
      assert.equal(isP256Point(x, y), true);
      assert.equal(opensslAccepts(x, y), true);
    }
  });

  it('refuses what OpenSSL refuses: off-curve points, coordinates ≥ p, wrong lengths', () => {
    const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
      format: 'jwk',
    }) as { x: string; y: string };
    const x = Buffer.from(jwk.x, 'base64url');
    const y = Buffer.from(jwk.y, 'base64url');
    const flipped = Buffer.from(y);
    flipped[31]! ^= 1;
    for (const [a, b] of [
      [x, flipped],
      [P, y],
      [x, P],
      [randomBytes(32), randomBytes(32)],
      [Buffer.alloc(32), Buffer.alloc(32)],
    ] as Array<[Buffer, Buffer]>) {
      assert.equal(isP256Point(a, b), false);
      assert.equal(opensslAccepts(a, b), false);
    }
    assert.equal(isP256Point(x.subarray(1), y), false);
  });
});
