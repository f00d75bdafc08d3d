// Acceptance (passports) 6: the strict verifier rejects — each on its own — a high-S signature, a
// child wider than its issuer, an expired or revoked intermediate, a chain of 6, a future
// issued_at, a non-UTC time and a passport over 8192 bytes; and accepts what is right.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { canonicalBytes } from '../../../src/crypto/jcs.js';
import { signDocument } from '../../../src/crypto/signed-document.js';
import { createP256Signer, type P256Signer } from '../../../src/crypto/signer.js';
import { passportBody } from '../../../src/passports/document.js';
import {
  signDelegatedPassport,
  verifyPassport,
  type PassportDocument,
  type PassportVerification,
} from '../../../src/passports/index.js';

const N = BigInt('0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551');
const NOW = new Date('2026-03-01T12:00:00.000Z');
const DAY = 86_400_000;
const newSigner = () =>
  createP256Signer(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
const ta = newSigner();
const options = {
  issuer: 'ta.example',
  taKeyFor: (kid: string) => (kid === ta.kid ? ta.publicKey : undefined),
  now: NOW,
};
let counter = 0;
const nextId = () => `asp_${(++counter).toString(16).padStart(32, '0')}`;

interface Held {
  doc: PassportDocument;
  signer: P256Signer;
  /** The issuer chain of `doc` (direct issuer first), embedded or not. */
  chain: string[];
}

/** A passport signed by the TA, with `over` replacing any member. */
function taPassport(over: Record<string, unknown> = {}, caps = ['tools:read']): Held {
  const signer = newSigner();
  const body = passportBody({
    passportId: nextId(),
    subjectType: 'agent',
    name: 'agent',
    version: '1.0.0',
    capabilities: caps,
    publicKey: signer.publicJwk,
    origin: null,
    trustLevel: 2,
    issuedAt: new Date(NOW.getTime() - DAY),
    expiresAt: new Date(NOW.getTime() + 30 * DAY),
    issuer: 'ta.example',
    issuerChain: [],
  });
  const doc = signDocument({ ...body, ...over }, ta) as PassportDocument;
  return { doc, signer, chain: [] };
}

/** A TA-signed delegated issuer bounded to L3, two capabilities and *.example.com. */
function rootIssuer(over: Record<string, unknown> = {}): Held {
  const h = taPassport(
    { subject_type: 'issuer', trust_level: 3, origin: 'https://*.example.com', ...over },
    ['mcps:issue', 'tools:read', 'tools:write'],
  );
  return { ...h, chain: [] };
}

function under(
  parent: Held,
  o: {
    trustLevel?: 0 | 1 | 2 | 3 | 4;
    capabilities?: string[];
    origin?: string | null;
    issuer?: boolean;
    issuedAt?: Date;
  } = {},
): Held {
  const signer = newSigner();
  const { passport, issuerChain } = signDelegatedPassport({
    issuerPassport: parent.doc,
    issuerChain: parent.chain,
    signer: parent.signer,
    subjectType: o.issuer ? 'issuer' : 'agent',
    name: o.issuer ? 'sub-issuer' : 'leaf',
    capabilities: o.capabilities ?? (o.issuer ? ['mcps:issue', 'tools:read'] : ['tools:read']),
    publicKey: signer.publicJwk,
    origin: o.origin === undefined ? 'https://api.example.com' : o.origin,
    trustLevel: o.trustLevel ?? 2,
    issuedAt: o.issuedAt ?? new Date(NOW.getTime() - 1000),
    expiresAt: new Date(NOW.getTime() + DAY),
    passportId: nextId(),
    embedChain: !o.issuer,
  });
  return { doc: passport, signer, chain: issuerChain };
}

/** A chain of `depth` issuers below the TA, and a leaf under the last. */
function leafUnder(depth: number): Held {
  let parent = rootIssuer();
  for (let i = 1; i < depth; i += 1) parent = under(parent, { issuer: true });
  return under(parent);
}

function problemOf(r: PassportVerification) {
  return r.ok ? { ok: true } : { problem: r.problem, depth: r.depth };
}

/** Re-signs a TA passport body after changing members (so only the change is wrong). */
function resignedWith(over: Record<string, unknown>): PassportDocument {
  return taPassport(over).doc;
}

describe('strict passport verifier', () => {
  it('accepts a TA passport', () => {
    assert.deepEqual(problemOf(verifyPassport(taPassport().doc, options)), { ok: true });
  });

  it('accepts a leaf under a chain of 5 delegated issuers, within 8192 bytes', () => {
    const leaf = leafUnder(5);
    assert.equal(leaf.doc.issuer_chain.length, 5);
    assert.ok(canonicalBytes(leaf.doc).length <= 8192);
    const r = verifyPassport(leaf.doc, options);
    assert.deepEqual(problemOf(r), { ok: true });
    assert.equal(r.ok && r.chain.length, 5);
  });

  it('rejects a high-S signature (the twin of a valid one)', () => {
    const doc = taPassport().doc;
    const sig = Buffer.from(doc.signature, 'base64');
    const s = BigInt(`0x${sig.subarray(32).toString('hex')}`);
    const high = Buffer.concat([
      sig.subarray(0, 32),
      Buffer.from((N - s).toString(16).padStart(64, '0'), 'hex'),
    ]);
    assert.deepEqual(
      problemOf(verifyPassport({ ...doc, signature: high.toString('base64') }, options)),
      { problem: 'high-s', depth: 0 },
    );
  });

  it('rejects a child with a higher trust level than its issuer', () => {
    assert.deepEqual(
      problemOf(verifyPassport(under(rootIssuer(), { trustLevel: 4 }).doc, options)),
      { problem: 'wider-than-parent', depth: 0 },
    );
  });

  it('rejects a child with a capability its issuer does not hold', () => {
    assert.deepEqual(
      problemOf(
        verifyPassport(under(rootIssuer(), { capabilities: ['tools:admin'] }).doc, options),
      ),
      { problem: 'wider-than-parent', depth: 0 },
    );
  });

  it("rejects a child whose origin is outside its issuer's pattern", () => {
    for (const origin of [
      'https://example.org',
      'https://example.com',
      'http://api.example.com',
      'https://api.example.com:8443',
    ]) {
      assert.deepEqual(
        problemOf(verifyPassport(under(rootIssuer(), { origin }).doc, options)),
        { problem: 'wider-than-parent', depth: 0 },
        origin,
      );
    }
    assert.deepEqual(
      problemOf(
        verifyPassport(under(rootIssuer(), { origin: 'https://a.b.example.com' }).doc, options),
      ),
      { ok: true },
    );
  });

  it('rejects a sub-issuer wider than the issuer above it (depth 1)', () => {
    const sub = under(rootIssuer(), { issuer: true, capabilities: ['mcps:issue', 'tools:delete'] });
    assert.deepEqual(problemOf(verifyPassport(under(sub, { capabilities: [] }).doc, options)), {
      problem: 'wider-than-parent',
      depth: 1,
    });
  });

  it('rejects an expired intermediate', () => {
    const expired = rootIssuer({
      issued_at: '2025-01-01T00:00:00.000Z',
      expires_at: '2026-02-01T00:00:00.000Z',
    });
    assert.deepEqual(problemOf(verifyPassport(under(expired).doc, options)), {
      problem: 'expired',
      depth: 1,
    });
  });

  it('rejects a revoked intermediate', () => {
    const issuer = rootIssuer();
    const r = verifyPassport(under(issuer).doc, {
      ...options,
      isRevoked: (id) => id === issuer.doc.passport_id,
    });
    assert.deepEqual(problemOf(r), { problem: 'revoked', depth: 1 });
  });

  it('rejects a chain of 6', () => {
    assert.deepEqual(problemOf(verifyPassport(leafUnder(6).doc, options)), {
      problem: 'chain-too-long',
      depth: 0,
    });
  });

  it('rejects an issued_at in the future', () => {
    const doc = resignedWith({ issued_at: new Date(NOW.getTime() + 60_000).toISOString() });
    assert.deepEqual(problemOf(verifyPassport(doc, options)), {
      problem: 'issued-in-future',
      depth: 0,
    });
  });

  it('rejects times that are not RFC 3339 UTC', () => {
    for (const t of [
      '2026-02-28T12:00:00.000+00:00',
      '2026-02-28T12:00:00+01:00',
      '2026-02-28 12:00:00.000Z',
      '2026-02-30T12:00:00.000Z',
      '2026-02-28T12:00:00.000z',
      1772280000000,
    ]) {
      assert.deepEqual(
        problemOf(verifyPassport(resignedWith({ issued_at: t }), options)),
        { problem: 'bad-time', depth: 0 },
        String(t),
      );
    }
  });

  it('accepts RFC 3339 UTC times without fractional seconds or with more digits (the MCPS reference writes none)', () => {
    for (const t of [
      '2026-02-28T12:00:00Z',
      '2026-02-28T12:00:00.5Z',
      '2026-02-28T12:00:00.123456Z',
    ]) {
      const r = verifyPassport(resignedWith({ issued_at: t }), options);
      assert.equal(r.ok, true, `${t}: ${JSON.stringify(r)}`);
    }
  });

  it('rejects a passport over 8192 bytes of JCS', () => {
    const doc = resignedWith({ agent: { name: 'x'.repeat(8200), version: '1', capabilities: [] } });
    assert.deepEqual(problemOf(verifyPassport(doc, options)), { problem: 'too-large', depth: 0 });
  });

  it('rejects an `issuer` that does not name the signer, and a signer without mcps:issue', () => {
    const leaf = under(rootIssuer()).doc;
    const lying = signDocument(
      { ...leaf, issuer: nextId(), signature: undefined },
      ta,
    ) as PassportDocument;
    assert.equal(
      problemOf(verifyPassport({ ...lying, issuer_kid: leaf.issuer_kid }, options)).problem,
      'issuer-mismatch',
    );
    const plain = taPassport();
    const child = under({ ...plain, chain: [] });
    assert.deepEqual(problemOf(verifyPassport(child.doc, options)), {
      problem: 'not-an-issuer',
      depth: 0,
    });
  });

  it('rejects a tampered passport, an unknown TA key and a passport of another TA', () => {
    const doc = taPassport().doc;
    assert.equal(
      problemOf(verifyPassport({ ...doc, trust_level: 4 }, options)).problem,
      'bad-signature',
    );
    assert.equal(
      problemOf(verifyPassport(doc, { ...options, taKeyFor: () => undefined })).problem,
      'unknown-kid',
    );
    assert.equal(
      problemOf(verifyPassport(doc, { ...options, issuer: 'other-ta' })).problem,
      'issuer-mismatch',
    );
  });

  it('rejects an expired passport and malformed documents without throwing', () => {
    assert.equal(
      problemOf(
        verifyPassport(
          resignedWith({
            expires_at: '2026-02-01T00:00:00.000Z',
            issued_at: '2026-01-01T00:00:00.000Z',
          }),
          options,
        ),
      ).problem,
      'expired',
    );
    for (const bad of [
      null,
      [],
      'passport',
      { ...taPassport().doc, passport_id: 'asp_../x' },
      { ...taPassport().doc, issuer_chain: ['%%%'] },
    ]) {
      assert.equal(problemOf(verifyPassport(bad, options)).problem, 'malformed');
    }
  });
});
