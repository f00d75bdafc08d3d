// RFC 7638 thumbprints of certificate keys: the RFC's own RSA example, equality with the passport
// `kid` (jwkThumbprint) for P-256, and OKP per RFC 8037.
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { jwkThumbprint, keyThumbprint, toPublicJwk } from '../../../src/crypto/jwk.js';

describe('keyThumbprint', () => {
  it('gives the thumbprint of RFC 7638 §3.1 for its RSA example key', () => {
    const n =
      '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw';
    const key = createPublicKey({ key: { kty: 'RSA', n, e: 'AQAB' }, format: 'jwk' });
    assert.equal(keyThumbprint(key), 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  it('equals the passport kid (jwkThumbprint) for the same P-256 key', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    assert.equal(keyThumbprint(publicKey), jwkThumbprint(toPublicJwk(publicKey)));
  });

  it('covers Ed25519 (RFC 8037 §2: crv, kty, x) and tells different keys apart', () => {
    const a = generateKeyPairSync('ed25519').publicKey;
    const b = generateKeyPairSync('ed25519').publicKey;
    assert.match(keyThumbprint(a), /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(keyThumbprint(a), keyThumbprint(b));
  });
});
