// DSSE: the pre-authentication encoding and envelope signatures.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { pae, signEnvelope, verifyEnvelopeSignature } from '../../../src/crypto/dsse.js';
import { createP256Signer } from '../../../src/crypto/signer.js';

describe('DSSE', () => {
  it('encodes PAE as in the DSSE protocol test vector', () => {
    assert.equal(
      pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString(),
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
    );
  });

  it('counts bytes, not characters', () => {
    assert.equal(pae('t', Buffer.from('é', 'utf8')).toString('utf8'), 'DSSEv1 1 t 2 é');
  });

  it('signs PAE(payloadType, payload) and verifies only the signed type and payload', () => {
    const signer = createP256Signer(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
    const env = signEnvelope('application/x-test', Buffer.from('{"a":1}'), signer);
    assert.equal(env.signatures[0]!.keyid, signer.kid);
    assert.ok(verifyEnvelopeSignature(env, signer.kid, signer.publicKey));
    assert.ok(
      !verifyEnvelopeSignature(
        { ...env, payloadType: 'application/x-other' },
        signer.kid,
        signer.publicKey,
      ),
    );
    assert.ok(
      !verifyEnvelopeSignature(
        { ...env, payload: Buffer.from('{"a":2}').toString('base64') },
        signer.kid,
        signer.publicKey,
      ),
    );
    assert.ok(!verifyEnvelopeSignature(env, 'another-kid', signer.publicKey));
  });
});
