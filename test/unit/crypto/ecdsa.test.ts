import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, it } from 'node:test';
import { isLowS, normaliseLowS, signP256, verifyP256 } from '../../../src/crypto/ecdsa.js';

const N = BigInt('0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551');
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const data = Buffer.from('hello');

function highSOf(sig: Buffer): Buffer {
  const s = BigInt(`0x${sig.subarray(32).toString('hex')}`);
  return Buffer.concat([
    sig.subarray(0, 32),
    Buffer.from((N - s).toString(16).padStart(64, '0'), 'hex'),
  ]);
}

describe('ECDSA P-256 low-S signatures', () => {
  it('signs 300 times and every signature is 64 bytes, low-S and verifies', () => {
    for (let i = 0; i < 300; i += 1) {
      const sig = signP256(privateKey, data);
      assert.equal(sig.length, 64);
      assert.ok(isLowS(sig));
      assert.ok(verifyP256(publicKey, data, sig));
    }
  });

  it('rejects the high-S twin of a valid signature although the maths accepts it', () => {
    const low = signP256(privateKey, data);
    const high = highSOf(low);
    assert.ok(!isLowS(high));
    assert.equal(verifyP256(publicKey, data, high), false);
    // node itself accepts the high-S form: proof that the rejection is ours
    assert.equal(verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, high), true);
  });

  it('normalises a raw high-S signature from node into its low-S form', () => {
    let raw: Buffer;
    do raw = sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
    while (isLowS(raw));
    const low = normaliseLowS(raw);
    assert.ok(isLowS(low));
    assert.ok(verifyP256(publicKey, data, low));
  });

  it('rejects signatures of the wrong length and over other data', () => {
    const sig = signP256(privateKey, data);
    assert.equal(verifyP256(publicKey, data, sig.subarray(0, 63)), false);
    assert.equal(verifyP256(publicKey, Buffer.from('other'), sig), false);
  });
});
