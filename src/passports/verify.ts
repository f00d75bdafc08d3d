// The strict passport verifier (DESIGN.md §5), for the service and for clients: no storage, no
// network, no framework. It checks a passport and its issuer chain (MCPS delegated issuers):
//   - JCS size ≤ 8192 bytes, well-formed members, times RFC 3339 UTC (times.ts);
//   - issuer_chain ≤ 5 links; issuer_chain[0] is the direct issuer, the last is signed by the TA;
//   - every link: signature low-S and valid for the key its `issuer`/`issuer_kid` names (a
//     passport signed by the TA without `issuer_kid`, as the MCPS reference writes them, must
//     verify with one of the TA's anchored keys), issued_at not in the future, unexpired, unrevoked;
//   - every child no wider than its parent: trust level, capabilities (subset), origin (within
//     the parent's origin pattern), and the parent holds the issuing capability.
// Links are checked from the TA down, so nothing is trusted before what vouches for it is.
import type { KeyObject } from 'node:crypto';
import { isLowS, verifyP256 } from '../crypto/ecdsa.js';
import { canonicalBytes } from '../crypto/jcs.js';
import { jwkThumbprint } from '../crypto/jwk.js';
import { originWithin, parseOrigin } from './origin-pattern.js';
import {
  ISSUE_CAPABILITY,
  MAX_CAPABILITIES,
  MAX_CHAIN_DEPTH,
  MAX_PASSPORT_BYTES,
  MCPS_VERSION,
  PASSPORT_ID_PATTERN,
  type PassportDocument,
} from './passport.js';
import { isValidSubjectJwk, parseSubjectKey } from './public-key.js';
import { parseUtc } from './times.js';

export interface VerifyPassportOptions {
  /** The TA's name: the `issuer` of passports it signs itself. */
  issuer: string;
  /** TA keys by kid (the JWKS). */
  taKeyFor(kid: string): KeyObject | undefined;
  /**
   * Every anchored TA key: tried in turn for a passport that names no `issuer_kid`. Without it
   * such a passport is refused (unknown-kid).
   */
  taKeys?(): KeyObject[];
  now: Date;
  /** True for passports known to be revoked (e.g. from GET /api/crl). */
  isRevoked?(passportId: string): boolean;
  /** Allowance for clocks running behind the issuer's; default 0. */
  clockToleranceSeconds?: number;
}

export type PassportProblem =
  | 'malformed'
  | 'too-large'
  | 'bad-time'
  | 'issued-in-future'
  | 'expired'
  | 'revoked'
  | 'chain-too-long'
  | 'issuer-mismatch'
  | 'not-an-issuer'
  | 'wider-than-parent'
  | 'unknown-kid'
  | 'high-s'
  | 'bad-signature';

export type PassportVerification =
  | { ok: true; passport: PassportDocument; /** Direct issuer first. */ chain: PassportDocument[] }
  | {
      ok: false;
      problem: PassportProblem;
      message: string;
      /** 0 for the passport itself, n for issuer_chain[n - 1]. */
      depth: number;
    };

class Rejection extends Error {
  constructor(
    readonly problem: PassportProblem,
    message: string,
    readonly depth: number,
  ) {
    super(message);
  }
}

const SIGNATURE_B64 = /^[A-Za-z0-9+/]{86}==$/;
/** JCS bytes of each checked document without its `signature`: what its signature covers. */
const signedBytes = new WeakMap<object, Buffer>();

/** Verifies `input` (a parsed passport) and its issuer chain. Never throws. */
export function verifyPassport(input: unknown, o: VerifyPassportOptions): PassportVerification {
  try {
    const leaf = checkShape(input, 0);
    const entries = leaf.issuer_chain;
    if (entries.length > MAX_CHAIN_DEPTH) {
      throw new Rejection(
        'chain-too-long',
        `issuer_chain has ${entries.length} links; at most ${MAX_CHAIN_DEPTH}`,
        0,
      );
    }
    const chain = entries.map((entry, i) => decodeEntry(entry, entries.slice(i + 1), i + 1));
    const docs = [leaf, ...chain];
    for (let depth = docs.length - 1; depth >= 0; depth -= 1) {
      checkLink(docs[depth]!, docs[depth + 1], depth, o);
    }
    return { ok: true, passport: leaf, chain };
  } catch (err) {
    if (err instanceof Rejection)
      return { ok: false, problem: err.problem, message: err.message, depth: err.depth };
    throw err;
  }
}

function decodeEntry(entry: string, expectedChain: string[], depth: number): PassportDocument {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(entry)) throw new Error('not base64');
    parsed = JSON.parse(Buffer.from(entry, 'base64').toString('utf8'));
  } catch {
    throw new Rejection('malformed', 'issuer_chain entry is not base64 JSON', depth);
  }
  const doc = checkShape(parsed, depth);
  // An intermediate either carries no chain of its own or exactly the rest of this one.
  const own = doc.issuer_chain;
  if (
    own.length > 0 &&
    (own.length !== expectedChain.length || own.some((e, i) => e !== expectedChain[i]))
  ) {
    throw new Rejection(
      'issuer-mismatch',
      'an intermediate carries an issuer_chain that differs from the rest of the chain',
      depth,
    );
  }
  return doc;
}

function checkLink(
  doc: PassportDocument,
  parent: PassportDocument | undefined,
  depth: number,
  o: VerifyPassportOptions,
): void {
  const reject = (problem: PassportProblem, message: string) =>
    new Rejection(problem, message, depth);
  const issuerKid = (doc as { issuer_kid?: string }).issuer_kid;
  let keys: KeyObject[];
  if (!parent) {
    if (doc.issuer !== o.issuer)
      throw reject(
        'issuer-mismatch',
        `issuer ${JSON.stringify(doc.issuer)} is neither this TA nor in the issuer chain`,
      );
    if (issuerKid === undefined) {
      keys = o.taKeys?.() ?? [];
      if (keys.length === 0)
        throw reject(
          'unknown-kid',
          `the passport names no issuer_kid and no key of issuer ${JSON.stringify(doc.issuer)} is anchored`,
        );
    } else {
      const key = o.taKeyFor(issuerKid);
      if (!key) throw reject('unknown-kid', `issuer_kid ${issuerKid} is not a key of the TA`);
      keys = [key];
    }
  } else {
    if (doc.issuer !== parent.passport_id)
      throw reject('issuer-mismatch', 'issuer does not name the passport that signed it');
    if (issuerKid !== undefined && issuerKid !== jwkThumbprint(parent.public_key))
      throw reject('issuer-mismatch', "issuer_kid is not the issuer's key");
    if (!parent.agent.capabilities.includes(ISSUE_CAPABILITY))
      throw reject('not-an-issuer', `issuer ${parent.passport_id} lacks ${ISSUE_CAPABILITY}`);
    keys = [parseSubjectKey(parent.public_key, 'issuer').key];
  }
  const signature = Buffer.from(doc.signature, 'base64');
  if (!isLowS(signature)) throw reject('high-s', 'signature is not in low-S form');
  const bytes =
    signedBytes.get(doc) ?? canonicalBytes((({ signature: _omit, ...body }) => body)(doc));
  if (!keys.some((key) => verifyP256(key, bytes, signature))) {
    throw reject(
      'bad-signature',
      issuerKid === undefined && !parent
        ? `signature verifies with none of the ${keys.length} anchored key(s) of issuer ${JSON.stringify(doc.issuer)} (the passport names no issuer_kid)`
        : 'signature does not verify',
    );
  }

  const issuedAt = parseUtc(doc.issued_at)!;
  const expiresAt = parseUtc(doc.expires_at)!;
  const now = o.now.getTime();
  if (issuedAt.getTime() > now + (o.clockToleranceSeconds ?? 0) * 1000)
    throw reject('issued-in-future', 'issued_at is in the future');
  if (expiresAt.getTime() <= now) throw reject('expired', `expired at ${doc.expires_at}`);
  if (o.isRevoked?.(doc.passport_id)) throw reject('revoked', `${doc.passport_id} is revoked`);

  if (parent) {
    if (doc.trust_level > parent.trust_level)
      throw reject('wider-than-parent', 'trust_level exceeds the issuer’s');
    const allowed = new Set(parent.agent.capabilities);
    const extra = doc.agent.capabilities.filter((c) => !allowed.has(c));
    if (extra.length > 0)
      throw reject('wider-than-parent', `capabilities not held by the issuer: ${extra.join(', ')}`);
    if (doc.origin !== null) {
      const childOrigin = parseOrigin(doc.origin, true)!;
      const parentOrigin = parent.origin === null ? undefined : parseOrigin(parent.origin, true);
      if (!parentOrigin || !originWithin(childOrigin, parentOrigin))
        throw reject('wider-than-parent', 'origin is outside the issuer’s origin');
    }
  }
}

function checkShape(value: unknown, depth: number): PassportDocument {
  const malformed = (message: string) => new Rejection('malformed', message, depth);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw malformed('a passport is a JSON object');
  let size: number;
  try {
    // JCS once: the signed bytes (all but `signature`), kept for checkLink; the size of the whole
    // document follows from them, as JCS only adds `,"signature":<JSON string>` to them.
    const { signature, ...body } = value as Record<string, unknown>;
    const bytes = canonicalBytes(body);
    signedBytes.set(value, bytes);
    size =
      typeof signature === 'string'
        ? bytes.length +
          (Object.keys(body).length ? 1 : 0) +
          '"signature":'.length +
          Buffer.byteLength(JSON.stringify(signature))
        : canonicalBytes(value).length;
  } catch {
    throw malformed('not representable as JSON');
  }
  if (size > MAX_PASSPORT_BYTES)
    throw new Rejection('too-large', `${size} bytes of JCS; at most ${MAX_PASSPORT_BYTES}`, depth);
  const d = value as Record<string, unknown>;
  const isString = (v: unknown, max = 1024): v is string =>
    typeof v === 'string' && v.length > 0 && v.length <= max;

  if (d.mcps_version !== MCPS_VERSION) throw malformed(`mcps_version must be "${MCPS_VERSION}"`);
  if (typeof d.passport_id !== 'string' || !PASSPORT_ID_PATTERN.test(d.passport_id))
    throw malformed('passport_id is malformed');
  const agent = d.agent as Record<string, unknown> | null;
  if (
    typeof agent !== 'object' ||
    agent === null ||
    !isString(agent.name) ||
    typeof agent.version !== 'string'
  ) {
    throw malformed('agent must have a name and a version');
  }
  const caps = agent.capabilities;
  if (
    !Array.isArray(caps) ||
    caps.length > MAX_CAPABILITIES ||
    !caps.every((c) => isString(c, 256))
  ) {
    throw malformed(`agent.capabilities must be at most ${MAX_CAPABILITIES} strings`);
  }
  // Checked without importing the key: only an issuer's key is ever used here (checkLink).
  if (!isValidSubjectJwk(d.public_key)) throw malformed('public_key is not a P-256 public JWK');
  if (
    d.origin !== null &&
    (typeof d.origin !== 'string' || !parseOrigin(d.origin, caps.includes(ISSUE_CAPABILITY)))
  ) {
    throw malformed('origin must be null or an origin (a pattern only for issuers)');
  }
  if (
    !Number.isInteger(d.trust_level) ||
    (d.trust_level as number) < 0 ||
    (d.trust_level as number) > 4
  ) {
    throw malformed('trust_level must be an integer 0–4');
  }
  const issuedAt = parseUtc(d.issued_at);
  const expiresAt = parseUtc(d.expires_at);
  if (!issuedAt || !expiresAt)
    throw new Rejection(
      'bad-time',
      'issued_at and expires_at must be RFC 3339 UTC: YYYY-MM-DDTHH:MM:SS[.fraction]Z',
      depth,
    );
  if (expiresAt <= issuedAt)
    throw new Rejection('bad-time', 'expires_at must be after issued_at', depth);
  if (d.key_rotation !== undefined) {
    const kr = d.key_rotation as Record<string, unknown> | null;
    if (typeof kr !== 'object' || kr === null || !isString(kr.previous_key_hash, 64))
      throw malformed('key_rotation is malformed');
    if (!parseUtc(kr.rotated_at))
      throw new Rejection(
        'bad-time',
        'key_rotation.rotated_at must be RFC 3339 UTC: YYYY-MM-DDTHH:MM:SS[.fraction]Z',
        depth,
      );
  }
  if (!isString(d.issuer)) throw malformed('issuer must name the TA or the issuing passport');
  // issuer_kid is ours (DESIGN.md §5); the MCPS reference omits it, so a missing one is tried
  // against the issuer's keys (checkLink), a present one must be a key id.
  if (d.issuer_kid !== undefined && !isString(d.issuer_kid, 64))
    throw malformed('issuer_kid must be a key id (RFC 7638 thumbprint)');
  if (!Array.isArray(d.issuer_chain) || !d.issuer_chain.every((e) => typeof e === 'string')) {
    throw malformed('issuer_chain must be an array of base64 strings');
  }
  if (typeof d.signature !== 'string' || !SIGNATURE_B64.test(d.signature))
    throw malformed('signature must be base64 of 64 bytes');
  return value as PassportDocument;
}
