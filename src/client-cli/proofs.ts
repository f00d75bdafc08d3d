// The JWS a client makes for the TA (DESIGN.md §4.1), with jose: a proof of possession
// (typ mcps-pop+jwt, {nonce, aud, iat}) and a rotation statement by the old key
// (typ mcps-rotation+jwt, {passport_id, new_kid, nonce, iat}). iat is in seconds.
import type { KeyObject } from 'node:crypto';
import { CompactSign } from 'jose';

async function sign(
  payload: Record<string, unknown>,
  typ: string,
  key: KeyObject,
): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'ES256', typ })
    .sign(key);
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

export function possessionProof(
  key: KeyObject,
  o: { nonce: string; aud: string },
): Promise<string> {
  return sign({ nonce: o.nonce, aud: o.aud, iat: nowSeconds() }, 'mcps-pop+jwt', key);
}

export function rotationStatement(
  oldKey: KeyObject,
  o: { passportId: string; newKid: string; nonce: string },
): Promise<string> {
  return sign(
    { passport_id: o.passportId, new_kid: o.newKid, nonce: o.nonce, iat: nowSeconds() },
    'mcps-rotation+jwt',
    oldKey,
  );
}
