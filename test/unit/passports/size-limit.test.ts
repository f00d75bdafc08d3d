// The 8192-byte limit applies to the UTF-8 bytes of JCS(passport), exactly at the boundary and with
// multi-byte characters: the verifier derives the size from the signed bytes (one JCS per
// document) and must agree with serialising the whole document.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { canonicalBytes } from '../../../src/crypto/jcs.js';
import { signDocument } from '../../../src/crypto/signed-document.js';
import { createP256Signer } from '../../../src/crypto/signer.js';
import { passportBody } from '../../../src/passports/document.js';
import { verifyPassport, type PassportDocument } from '../../../src/passports/index.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const ta = createP256Signer(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
const options = {
  issuer: 'ta.example',
  taKeyFor: (kid: string) => (kid === ta.kid ? ta.publicKey : undefined),
  now: NOW,
};

/** A signed passport padded (capabilities of `fill`, then of 'a') to exactly `bytes` bytes of JCS. */
function passportOfSize(bytes: number, fill: string): PassportDocument {
  const subject = createP256Signer(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
  const make = (capabilities: string[]) =>
    signDocument(
      passportBody({
        passportId: `asp_${'1'.repeat(32)}`,
        subjectType: 'agent',
        name: 'padded',
        version: '1.0.0',
        capabilities,
        publicKey: subject.publicJwk,
        origin: null,
        trustLevel: 2,
        issuedAt: new Date(NOW.getTime() - 1000),
        expiresAt: new Date(NOW.getTime() + 86_400_000),
        issuer: 'ta.example',
        issuerChain: [],
      }),
      ta,
    ) as PassportDocument;
  const size = (caps: string[]) => canonicalBytes(make(caps)).length;
  const caps: string[] = [];
  const block = fill.repeat(Math.floor(240 / fill.length)); // capabilities: at most 64, of at most 256 characters
  while (size([...caps, block]) <= bytes) caps.push(block);
  let last = '';
  while (size([...caps, last + fill]) <= bytes) last += fill;
  while (size([...caps, last + 'a']) <= bytes) last += 'a';
  return make([...caps, last]);
}

describe('passport size limit', () => {
  it('accepts exactly 8192 bytes and refuses 8193, counting UTF-8 bytes of JCS', () => {
    for (const fill of ['a', 'é', '€', '😀', '\u0001']) {
      const at = passportOfSize(8192, fill);
      assert.equal(canonicalBytes(at).length, 8192, JSON.stringify(fill));
      assert.equal(verifyPassport(at, options).ok, true, `8192 bytes with ${JSON.stringify(fill)}`);
      const over = signDocument(
        { ...at, signature: undefined, agent: { ...at.agent, name: `${at.agent.name}a` } },
        ta,
      ) as PassportDocument;
      assert.equal(canonicalBytes(over).length, 8193);
      const r = verifyPassport(over, options);
      assert.equal(!r.ok && r.problem, 'too-large', JSON.stringify(fill));
    }
  });

  it('a non-string signature is measured as it is, and refused as malformed', () => {
    const doc = passportOfSize(1000, 'a') as unknown as Record<string, unknown>;
    const r = verifyPassport({ ...doc, signature: { padding: 'x'.repeat(9000) } }, options);
    assert.equal(!r.ok && r.problem, 'too-large');
    const s = verifyPassport({ ...doc, signature: 42 }, options);
    assert.equal(!s.ok && s.problem, 'malformed');
  });
});
