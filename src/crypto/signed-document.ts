// The one signing scheme of every signed JSON document (passports, status documents, /api/crl,
// revocation feed, audit checkpoints — DESIGN.md §4): a signed top-level `issuer_kid` names the
// JWKS key, and `signature` = standard base64 (padded) of the low-S P1363 ES256 signature over
// the UTF-8 bytes of JCS(document without `signature`).
import type { KeyObject } from 'node:crypto';
import { verifyP256 } from './ecdsa.js';
import { canonicalBytes } from './jcs.js';
import type { P256Signer } from './signer.js';

export type Signed<T> = T & { issuer_kid: string; signature: string };

/** Adds `issuer_kid` and `signature` to a document. */
export function signDocument<T extends Record<string, unknown>>(
  doc: T,
  signer: P256Signer,
): Signed<T> {
  const { signature: _ignored, ...rest } = doc as T & { signature?: unknown };
  const body = { ...rest, issuer_kid: signer.kid };
  const signature = signer.sign(canonicalBytes(body)).toString('base64');
  return { ...body, signature } as Signed<T>;
}

export type DocumentVerification =
  | { ok: true; kid: string }
  | { ok: false; reason: 'missing-signature' | 'unknown-kid' | 'bad-signature' };

/** Verifies a signed document with the key its `issuer_kid` names. */
export function verifyDocument(
  doc: Record<string, unknown>,
  keyFor: (kid: string) => KeyObject | undefined,
): DocumentVerification {
  const { signature, ...body } = doc;
  if (typeof signature !== 'string' || typeof body.issuer_kid !== 'string') {
    return { ok: false, reason: 'missing-signature' };
  }
  const key = keyFor(body.issuer_kid);
  if (!key) return { ok: false, reason: 'unknown-kid' };
  if (!/^[A-Za-z0-9+/]{86}==$/.test(signature)) return { ok: false, reason: 'bad-signature' };
  const ok = verifyP256(key, canonicalBytes(body), Buffer.from(signature, 'base64'));
  return ok ? { ok: true, kid: body.issuer_kid } : { ok: false, reason: 'bad-signature' };
}
