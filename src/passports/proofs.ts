// Proof of possession and rotation statements: standard compact JWS (RFC 7515) made by the
// subject's own key, checked with jose. Standard JOSE signers do not normalise S, so high-S is
// accepted here (unlike in passports and TA documents, which are strictly low-S).
//   proof:    typ "mcps-pop+jwt",      payload {nonce, aud: <TA name>, iat}
//   rotation: typ "mcps-rotation+jwt", payload {passport_id, new_kid, nonce, iat}  (old key)
import type { KeyObject } from 'node:crypto';
import { compactVerify, decodeProtectedHeader, errors } from 'jose';
import { ForbiddenError, InvalidRequestError } from '../errors.js';

export const POP_TYP = 'mcps-pop+jwt';
export const ROTATION_TYP = 'mcps-rotation+jwt';
/** A proof's iat may be this old… */
export const MAX_PROOF_AGE_SECONDS = 300;
/** …and this far in the future (clock skew between client and TA). */
export const MAX_PROOF_SKEW_SECONDS = 60;
const NONCE = /^[A-Za-z0-9_-]{43}$/;

export interface PossessionProof {
  nonce: string;
  iat: number;
}

export interface RotationStatement {
  passport_id: string;
  new_kid: string;
  nonce: string;
  iat: number;
}

/** RFC 7515 §4.1.9: `typ` is a media type, compared case-insensitively, `application/` optional. */
function typMatches(typ: unknown, expected: string): boolean {
  if (typeof typ !== 'string') return false;
  const t = typ.toLowerCase();
  return t === expected || t === `application/${expected}`;
}

export type JwsFailure = 'malformed' | 'signature';

/** Verifies a compact ES256 JWS of media type `typ` with `key`; never throws. */
export async function verifyJws(
  jws: string,
  key: KeyObject,
  typ: string,
): Promise<
  { ok: true; payload: Record<string, unknown> } | { ok: false; why: JwsFailure; message: string }
> {
  let header;
  try {
    header = decodeProtectedHeader(jws);
  } catch {
    return { ok: false, why: 'malformed', message: 'is not a compact JWS' };
  }
  if (header.alg !== 'ES256') return { ok: false, why: 'malformed', message: 'alg must be ES256' };
  if (!typMatches(header.typ, typ))
    return { ok: false, why: 'malformed', message: `typ must be "${typ}"` };
  try {
    const { payload } = await compactVerify(jws, key, { algorithms: ['ES256'] });
    const parsed: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return { ok: false, why: 'malformed', message: 'payload must be a JSON object' };
    }
    return { ok: true, payload: parsed as Record<string, unknown> };
  } catch (err) {
    if (err instanceof errors.JWSSignatureVerificationFailed) {
      return {
        ok: false,
        why: 'signature',
        message: 'signature does not verify with the expected key',
      };
    }
    return { ok: false, why: 'malformed', message: 'is not a valid JWS' };
  }
}

function checkIat(iat: unknown, now: Date, field: string): number {
  if (typeof iat !== 'number' || !Number.isInteger(iat))
    throw InvalidRequestError.field(field, 'iat must be an integer (seconds)');
  const nowSeconds = now.getTime() / 1000;
  if (iat > nowSeconds + MAX_PROOF_SKEW_SECONDS)
    throw InvalidRequestError.field(field, 'iat is in the future');
  if (iat < nowSeconds - MAX_PROOF_AGE_SECONDS)
    throw InvalidRequestError.field(field, `iat is older than ${MAX_PROOF_AGE_SECONDS} s`);
  return iat;
}

function checkNonce(nonce: unknown, field: string): string {
  if (typeof nonce !== 'string' || !NONCE.test(nonce))
    throw InvalidRequestError.field(field, 'nonce must be a nonce from /v1/passports/challenge');
  return nonce;
}

/**
 * Verifies a proof of possession made by `key` for this TA (`aud`). The nonce is returned for the
 * caller to consume atomically; this function does not touch storage.
 */
export async function verifyPossessionProof(
  jws: string,
  key: KeyObject,
  o: { audience: string; now: Date; field: string },
): Promise<PossessionProof> {
  const r = await verifyJws(jws, key, POP_TYP);
  if (!r.ok) {
    const message = r.why === 'signature' ? 'is not signed by public_key' : r.message;
    throw InvalidRequestError.field(o.field, message);
  }
  const { aud } = r.payload;
  const audOk =
    aud === o.audience || (Array.isArray(aud) && aud.length === 1 && aud[0] === o.audience);
  if (!audOk) throw InvalidRequestError.field(o.field, `aud must be ${JSON.stringify(o.audience)}`);
  return {
    nonce: checkNonce(r.payload.nonce, o.field),
    iat: checkIat(r.payload.iat, o.now, o.field),
  };
}

/**
 * Verifies a rotation statement against the passport's current (old) key. A statement signed by
 * any other key is a 403: the caller has not shown control of the identity being rotated.
 */
export async function verifyRotationStatement(
  jws: string,
  oldKey: KeyObject,
  o: { passportId: string; newKid: string; now: Date; field: string },
): Promise<RotationStatement> {
  const r = await verifyJws(jws, oldKey, ROTATION_TYP);
  if (!r.ok) {
    if (r.why === 'signature')
      throw new ForbiddenError(
        'the rotation statement is not signed by the key of the passport being rotated',
      );
    throw InvalidRequestError.field(o.field, r.message);
  }
  const p = r.payload;
  if (p.passport_id !== o.passportId)
    throw InvalidRequestError.field(o.field, 'passport_id must name the passport being rotated');
  if (p.new_kid !== o.newKid)
    throw InvalidRequestError.field(
      o.field,
      'new_kid must be the RFC 7638 thumbprint of public_key',
    );
  return {
    passport_id: o.passportId,
    new_kid: o.newKid,
    nonce: checkNonce(p.nonce, o.field),
    iat: checkIat(p.iat, o.now, o.field),
  };
}
