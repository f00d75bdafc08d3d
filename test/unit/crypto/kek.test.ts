import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { KekMismatchError, kekId, open, seal } from '../../../src/crypto/kek.js';

describe('sealing private keys under the KEK (AES-256-GCM)', () => {
  const kek = randomBytes(32);
  const secret = randomBytes(138);

  it('opens what it sealed with the same KEK and AAD', () => {
    assert.deepEqual(open(kek, seal(kek, secret, 'row-1'), 'row-1'), secret);
  });

  it('the sealed form does not contain the plaintext in any common encoding', () => {
    const sealed = seal(kek, secret, 'row-1');
    for (const enc of ['hex', 'base64', 'base64url'] as const) {
      assert.ok(!sealed.includes(secret.subarray(0, 24).toString(enc)));
    }
  });

  it('refuses another KEK and names both KEK ids', () => {
    const other = randomBytes(32);
    const sealed = seal(kek, secret, 'row-1');
    assert.throws(
      () => open(other, sealed, 'row-1'),
      (e: unknown) => {
        assert.ok(e instanceof KekMismatchError);
        assert.match(e.message, new RegExp(kekId(kek)));
        assert.match(e.message, new RegExp(kekId(other)));
        return true;
      },
    );
  });

  it('refuses a blob moved to another row (AAD) or altered by one bit', () => {
    const sealed = seal(kek, secret, 'row-1');
    assert.throws(() => open(kek, sealed, 'row-2'), KekMismatchError);
    const parts = sealed.split('.');
    const ct = Buffer.from(parts[3]!, 'base64url');
    ct[0]! ^= 1;
    parts[3] = ct.toString('base64url');
    assert.throws(() => open(kek, parts.join('.'), 'row-1'), KekMismatchError);
  });
});
