// Admin password hashes: scrypt with a random salt, PHC-style string, checked against Python's
// hashlib.scrypt as an independent implementation.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashPassword, SCRYPT_COST, verifyPassword } from '../../../src/crypto/password.js';
import { runPython } from '../../support/tools.js';

describe('admin password hashes', () => {
  it('verify the right password only', async () => {
    const h = await hashPassword('correct horse battery staple');
    assert.equal(await verifyPassword('correct horse battery staple', h), true);
    assert.equal(await verifyPassword('correct horse battery stapl', h), false);
    assert.equal(await verifyPassword('', h), false);
  });

  it('carry their cost and a fresh 128-bit salt, so equal passwords hash differently', async () => {
    const [a, b] = await Promise.all([
      hashPassword('same password here'),
      hashPassword('same password here'),
    ]);
    assert.notEqual(a, b);
    const m = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(a)!;
    assert.deepEqual(
      [Number(m[1]), Number(m[2]), Number(m[3])],
      [SCRYPT_COST.ln, SCRYPT_COST.r, SCRYPT_COST.p],
    );
    assert.equal(Buffer.from(m[4]!, 'base64').length, 16);
    assert.equal(Buffer.from(m[5]!, 'base64').length, 32);
  });

  it('match what Python hashlib.scrypt derives from the same salt and cost', async () => {
    const h = await hashPassword('pässwörd with ünïcode');
    const out = runPython(
      [
        'import sys, hashlib, base64',
        'h = sys.stdin.read().strip()',
        '_, _, params, salt, key = h.split("$")',
        'p = dict(kv.split("=") for kv in params.split(","))',
        'pad = lambda s: s + "=" * (-len(s) % 4)',
        'k = hashlib.scrypt("pässwörd with ünïcode".encode(), salt=base64.b64decode(pad(salt)), n=2**int(p["ln"]), r=int(p["r"]), p=int(p["p"]), maxmem=2**26, dklen=32)',
        'print(k == base64.b64decode(pad(key)))',
      ].join('\n'),
      h,
    );
    assert.equal(out.trim(), 'True');
  });

  it('treat malformed or absurd-cost hashes as non-matching instead of throwing', async () => {
    for (const bad of [
      '',
      'plaintext',
      '$scrypt$ln=40,r=8,p=1$AAAA$AAAA',
      '$argon2id$v=19$m=1,t=1,p=1$AAAA$AAAA',
    ]) {
      assert.equal(await verifyPassword('anything', bad), false, bad);
    }
  });
});
