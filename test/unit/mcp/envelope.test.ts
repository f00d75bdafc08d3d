// MCPS per-message envelopes: the shared test vectors (computed independently from the draft's
// rules), and a second implementation in Python `cryptography` with JCS written by hand — our
// signatures verify there, and its signatures verify here.
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isLowS } from '../../../src/crypto/ecdsa.js';
import { jwkThumbprint } from '../../../src/crypto/jwk.js';
import {
  createReplayCache,
  messageHash,
  signingPayload,
  signMessage,
  verifyMessage,
} from '../../../src/mcp/index.js';
import { pythonSign, pythonVerify } from '../../support/mcps-python.js';

const V = JSON.parse(
  readFileSync(new URL('../../fixtures/mcps-envelope-and-tool-hash.json', import.meta.url), 'utf8'),
);
const jwk = V.key.public_jwk;
const publicKey = createPublicKey({ key: jwk, format: 'jwk' });
const d = Buffer.from(V.key.private_scalar_hex, 'hex').toString('base64url');
const privateKey = createPrivateKey({ key: { ...jwk, d }, format: 'jwk' });
const vectorTime = new Date(V.envelope.signed_envelope.mcps.timestamp);
const clone = <T>(x: T): T => structuredClone(x);

describe('MCPS envelope: shared vectors', () => {
  it('the vector key is the one it says (RFC 7638 thumbprint)', () => {
    assert.equal(jwkThumbprint(jwk), V.key.rfc7638_thumbprint);
  });

  it('message_hash and the signing payload are byte for byte the vectors', () => {
    assert.equal(messageHash(V.envelope.message), V.envelope.message_hash);
    assert.equal(
      messageHash(V.envelope.signed_envelope),
      V.envelope.message_hash,
      'the mcps member is not hashed',
    );
    const env = V.envelope.signed_envelope.mcps;
    assert.equal(
      signingPayload({ message_hash: V.envelope.message_hash, ...env }).toString('utf8'),
      V.envelope.signing_payload,
    );
  });

  it('the vector envelope verifies and yields the message without mcps', () => {
    const r = verifyMessage(V.envelope.signed_envelope, { publicKey, now: vectorTime });
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.message, V.envelope.message);
  });

  it('the high-S twin of the vector signature is refused', () => {
    const m = clone(V.envelope.signed_envelope);
    m.mcps.signature = V.envelope.signature_high_s_twin_must_be_rejected;
    const r = verifyMessage(m, { publicKey, now: vectorTime });
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.problem, 'high-s');
  });

  it('must_fail: a tampered argument and id "1" for 1 break the signature', () => {
    const tampered = clone(V.envelope.signed_envelope);
    tampered.params.arguments.path = '/etc/shadow';
    const idType = clone(V.envelope.signed_envelope);
    idType.id = '1';
    for (const m of [tampered, idType]) {
      const r = verifyMessage(m, { publicKey, now: vectorTime });
      assert.equal(!r.ok && r.problem, 'bad-signature');
    }
  });

  it('must_fail: a timestamp more than 5 minutes from the clock, either way, is refused', () => {
    const late = new Date(vectorTime.getTime() + 5 * 60_000 + 1);
    const early = new Date(vectorTime.getTime() - 5 * 60_000 - 1);
    assert.equal(
      (verifyMessage(V.envelope.signed_envelope, { publicKey, now: late }) as { problem: string })
        .problem,
      'stale',
    );
    assert.equal(
      (verifyMessage(V.envelope.signed_envelope, { publicKey, now: early }) as { problem: string })
        .problem,
      'future',
    );
    assert.ok(
      verifyMessage(V.envelope.signed_envelope, {
        publicKey,
        now: new Date(vectorTime.getTime() + 5 * 60_000),
      }).ok,
      'exactly 5 min is inside',
    );
  });

  it('must_fail: the same nonce twice within the window is a replay', () => {
    const cache = createReplayCache();
    const env = V.envelope.signed_envelope.mcps;
    const t = vectorTime.getTime();
    assert.equal(cache.checkAndRemember(env.passport_id, env.nonce, t, t), true);
    assert.equal(cache.checkAndRemember(env.passport_id, env.nonce, t, t + 1000), false);
    assert.equal(
      cache.checkAndRemember('asp_' + 'f'.repeat(32), env.nonce, t, t + 1000),
      true,
      'nonces are per sender',
    );
  });

  it('malformed envelopes are named: nonce not 32 hex, bad passport id, non-UTC time, missing envelope', () => {
    const cases: Array<[(m: any) => void, string]> = [
      [(m) => (m.mcps.nonce = 'ABCDEF00112233445566778899aabbcc'), 'malformed'],
      [(m) => (m.mcps.passport_id = 'asp_123'), 'malformed'],
      [(m) => (m.mcps.timestamp = '2026-03-14T12:00:00+01:00'), 'malformed'],
      [(m) => delete m.mcps, 'unsigned'],
    ];
    for (const [mutate, problem] of cases) {
      const m = clone(V.envelope.signed_envelope);
      mutate(m);
      assert.equal(
        (verifyMessage(m, { publicKey, now: vectorTime }) as { problem: string }).problem,
        problem,
      );
    }
  });
});

describe('MCPS envelope: an independent implementation (Python cryptography, JCS by hand)', () => {
  it('Python verifies the vector, and refuses its high-S twin', () => {
    assert.deepEqual(pythonVerify(V.envelope.signed_envelope, jwk), {
      ok: true,
      message_hash: V.envelope.message_hash,
    });
    const twin = clone(V.envelope.signed_envelope);
    twin.mcps.signature = V.envelope.signature_high_s_twin_must_be_rejected;
    assert.equal(pythonVerify(twin, jwk).ok, false);
  });

  it('an envelope this library signs verifies in Python, with the same message_hash; a tampered one does not', () => {
    const message = {
      jsonrpc: '2.0',
      id: 'req-7',
      method: 'tools/call',
      params: {
        name: 'get_forecast',
        arguments: { city: 'Zürich "centre"\n', days: 3, flags: [true, null] },
        _meta: { b: 1, a: 2 },
      },
    };
    const signed = signMessage(message, {
      passportId: V.envelope.signed_envelope.mcps.passport_id,
      privateKey,
    });
    assert.match(signed.mcps.nonce, /^[0-9a-f]{32}$/);
    assert.ok(isLowS(Buffer.from(signed.mcps.signature, 'base64')));
    assert.deepEqual(pythonVerify(signed, jwk), { ok: true, message_hash: messageHash(message) });
    const tampered = clone(signed);
    tampered.params.arguments.days = 4;
    assert.equal(pythonVerify(tampered, jwk).ok, false);
  });

  it('an envelope Python signs verifies with this library; its signature is low-S', () => {
    const timestamp = new Date().toISOString();
    const message = {
      jsonrpc: '2.0',
      id: 42,
      method: 'tools/call',
      params: { name: 'read_file', arguments: { path: '/srv/data/ü.txt' } },
    };
    const signed = pythonSign(message, {
      passportId: V.envelope.signed_envelope.mcps.passport_id,
      timestamp,
      nonce: '0123456789abcdef0123456789abcdef',
      scalarHex: V.key.private_scalar_hex,
    });
    const r = verifyMessage(signed, { publicKey });
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.message, message);
  });
});
