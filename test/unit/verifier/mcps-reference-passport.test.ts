// Issue 12, acceptance 6: a passport exactly as the MCPS reference's createPassport/signPassport
// produce it — no issuer_kid, no subject_type, times without milliseconds — verifies offline, with
// the library and with the CLI, against anchors holding its issuer's key. The fixture is built
// here from the draft's rules alone (its own JCS, node:crypto ECDSA, its own low-S step), not with
// the project's signing helpers. The strict checks still hold for such passports: high-S, non-UTC
// times, issued_at in the future and more than 8192 bytes are refused.
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import canonicalize from 'canonicalize';
import { createP256Signer } from '../../../src/crypto/signer.js';
import { anchorsBody, signAnchors, type AnchorsDocument } from '../../../src/keys/anchors.js';
import type { AuthorityKeyRecord } from '../../../src/keys/authority-key.js';
import { checkPassport, EXIT, trustedKeys } from '../../../src/verifier/index.js';
import { verifyCli } from '../../support/trust-kit.js';

const ISSUER = 'reference-ta.example';
const N = BigInt('0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551');
const NOW = new Date();

/** RFC 8785 for the values a passport holds (objects, arrays, strings, integers, booleans, null). */
function jcs(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(jcs).join(',')}]`;
  // Keys sorted by UTF-16 code units (RFC 8785 §3.2.3): JavaScript's default sort order.
  const keys = Object.keys(v)
    .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${jcs((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** Seconds precision, `Z`: what the reference writes. */
const refTime = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** createPassport: the draft's members, nothing of ours. */
function createPassport(
  subjectKey: KeyObject,
  over: Record<string, unknown> = {},
): Record<string, unknown> {
  const jwk = subjectKey.export({ format: 'jwk' }) as {
    kty: string;
    crv: string;
    x: string;
    y: string;
  };
  return {
    mcps_version: '1.0',
    passport_id: `asp_${randomBytes(16).toString('hex')}`,
    agent: { name: 'reference-agent', version: '1.0.0', capabilities: ['tools:read'] },
    public_key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y },
    origin: null,
    scan: null,
    trust_level: 2,
    issued_at: refTime(new Date(NOW.getTime() - 60_000)),
    expires_at: refTime(new Date(NOW.getTime() + 30 * 86_400_000)),
    issuer: ISSUER,
    issuer_chain: [],
    ...over,
  };
}

/** signPassport: ES256 over JCS(passport without signature), P1363 r‖s, s forced to the low half (or high, to test). */
function signPassport(
  doc: Record<string, unknown>,
  issuerKey: KeyObject,
  o: { highS?: boolean } = {},
): Record<string, unknown> {
  const { signature: _drop, ...body } = doc;
  const sig = sign('sha256', Buffer.from(jcs(body), 'utf8'), {
    key: issuerKey,
    dsaEncoding: 'ieee-p1363',
  });
  let s = BigInt(`0x${sig.subarray(32).toString('hex')}`);
  const low = s <= N / 2n;
  if (low === Boolean(o.highS)) s = N - s;
  const out = Buffer.concat([
    sig.subarray(0, 32),
    Buffer.from(s.toString(16).padStart(64, '0'), 'hex'),
  ]);
  return { ...body, signature: out.toString('base64') };
}

/** Self-signed anchors (version 1) publishing `keys` as active passport-signing keys. */
function anchorsWith(keys: KeyObject[]): AnchorsDocument {
  const signers = keys.map((k) => createP256Signer(k));
  const records: AuthorityKeyRecord[] = signers.map((s) => ({
    kid: s.kid,
    purpose: 'passport-signing',
    status: 'active',
    algorithm: 'ES256',
    publicJwk: s.publicJwk,
    certificatePem: null,
    sealedPrivateKey: 'unused',
    createdAt: NOW,
    notAfter: null,
  }));
  return signAnchors(
    anchorsBody({
      issuer: ISSUER,
      version: 1,
      now: new Date(NOW.getTime() - 3_600_000),
      keys: records,
    }),
    signers,
  );
}

describe('a passport as the MCPS reference makes it', () => {
  const issuerKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const subjectKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const passport = signPassport(createPassport(subjectKey), issuerKey);
  // The issuer's key second: every anchored key of the issuer is tried.
  const anchors = anchorsWith([otherKey, issuerKey]);
  let dir: string;
  const file = (name: string, v: unknown) => {
    const f = path.join(dir, name);
    writeFileSync(f, JSON.stringify(v));
    return f;
  };
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'mcps-ref-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('has the reference shape: no issuer_kid, no subject_type, second-precision times; our JCS matches the canonicalize package', () => {
    assert.equal('issuer_kid' in passport, false);
    assert.equal('subject_type' in passport, false);
    assert.match(passport.issued_at as string, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    assert.match(passport.signature as string, /^[A-Za-z0-9+/]{86}==$/);
    const { signature: _s, ...body } = passport;
    assert.equal(jcs(body), canonicalize(body));
  });

  it('library: verifies offline against anchors holding its issuer key, bare and as a {passport, status} response', () => {
    const keys = trustedKeys(anchors);
    const r = checkPassport(passport, { keys, now: NOW });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.value.passport.passport_id, passport.passport_id);
    const wrapped = checkPassport({ passport, status: { state: 'active' } }, { keys, now: NOW });
    assert.ok(wrapped.ok, JSON.stringify(wrapped));
  });

  it('CLI: `verify passport` accepts it offline, bare and wrapped', async () => {
    const anchorsFile = file('anchors.json', anchors);
    const r = await verifyCli(['passport', file('ref.json', passport), '--anchors', anchorsFile]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      new RegExp(
        `^OK passport ${passport.passport_id} \\(subject "reference-agent", trust level 2`,
      ),
    );
    const w = await verifyCli([
      'passport',
      file('wrapped.json', { passport, status: 'VALID' }),
      '--anchors',
      anchorsFile,
    ]);
    assert.equal(w.code, 0, w.stderr);
  });

  it('with anchors that do not hold its issuer key: the real cause (no anchored key verifies), not a missing member', async () => {
    const r = checkPassport(passport, { keys: trustedKeys(anchorsWith([otherKey])), now: NOW });
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.code, EXIT.passportSignature);
    assert.equal(!r.ok && r.reason, 'bad-signature');
    assert.match(
      !r.ok ? r.message : '',
      /verifies with none of the 1 anchored key\(s\) of issuer "reference-ta\.example" \(the passport names no issuer_kid\)/,
    );
    assert.doesNotMatch(!r.ok ? r.message : '', /required/);
    const cli = await verifyCli([
      'passport',
      file('ref2.json', passport),
      '--anchors',
      file('other-anchors.json', anchorsWith([otherKey])),
    ]);
    assert.equal(cli.code, EXIT.passportSignature);
    assert.match(cli.stderr, /none of the 1 anchored key/);
  });

  it('stays strict: tampered, high-S, non-UTC times, issued_at in the future and over 8192 bytes are refused', () => {
    const keys = trustedKeys(anchors);
    const reasonOf = (doc: unknown) => {
      const r = checkPassport(doc, { keys, now: NOW });
      return r.ok ? 'ok' : r.reason;
    };
    assert.equal(reasonOf({ ...passport, trust_level: 4 }), 'bad-signature');
    assert.equal(
      reasonOf(signPassport(createPassport(subjectKey), issuerKey, { highS: true })),
      'high-s',
    );
    assert.equal(
      reasonOf(
        signPassport(
          createPassport(subjectKey, { issued_at: '2026-01-01T00:00:00+00:00' }),
          issuerKey,
        ),
      ),
      'bad-time',
    );
    assert.equal(
      reasonOf(
        signPassport(
          createPassport(subjectKey, { expires_at: '2099-01-01T00:00:00.000z' }),
          issuerKey,
        ),
      ),
      'bad-time',
    );
    assert.equal(
      reasonOf(
        signPassport(
          createPassport(subjectKey, { issued_at: refTime(new Date(NOW.getTime() + 120_000)) }),
          issuerKey,
        ),
      ),
      'issued-in-future',
    );
    const big = createPassport(subjectKey, {
      agent: { name: 'x'.repeat(8200), version: '1.0.0', capabilities: [] },
    });
    assert.equal(reasonOf(signPassport(big, issuerKey)), 'too-large');
    // another TA's passport is still another TA's
    assert.equal(
      reasonOf(signPassport(createPassport(subjectKey, { issuer: 'other-ta.example' }), issuerKey)),
      'issuer-mismatch',
    );
  });
});
