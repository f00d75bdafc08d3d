// Offline verification of a key-continuity chain (DESIGN.md §7), for clients: given only the
// first public key of an identity and the TA's JWKS, checks every link in order and returns the
// key the chain ends at. Uses no storage and no network.
import type { KeyObject } from 'node:crypto';
import { publicKeyFromJwk } from '../crypto/ecdsa.js';
import { jwkThumbprint, type EcPublicJwk } from '../crypto/jwk.js';
import { verifyDocument } from '../crypto/signed-document.js';
import type { ChainLinkDocument } from './chain.js';
import { POP_TYP, ROTATION_TYP, verifyJws } from './proofs.js';

export interface VerifyChainOptions {
  /** The identity's first public key, obtained out of band (e.g. pinned at first contact). */
  firstKey: EcPublicJwk;
  /** TA keys by kid, e.g. from GET /v1/trust/jwks. */
  taKeyFor(kid: string): KeyObject | undefined;
  /** The TA's name (discovery `issuer`): the audience of proofs. */
  issuer: string;
}

export type ChainVerification =
  | {
      ok: true;
      currentKey: EcPublicJwk;
      currentKid: string;
      currentPassportId: string;
      links: number;
    }
  | { ok: false; seq: number; reason: string };

/** Verifies links oldest → newest, each key vouched for by the one before it. */
export async function verifyKeyContinuityChain(
  links: ChainLinkDocument[],
  o: VerifyChainOptions,
): Promise<ChainVerification> {
  if (links.length === 0) return { ok: false, seq: 0, reason: 'empty chain' };
  let trustedJwk = o.firstKey;
  let trustedKid = jwkThumbprint(o.firstKey);
  let previous: ChainLinkDocument | undefined;
  for (const [i, link] of links.entries()) {
    const fail = (reason: string): ChainVerification => ({ ok: false, seq: i, reason });
    const ta = verifyDocument(link as unknown as Record<string, unknown>, o.taKeyFor);
    if (!ta.ok) return fail(`TA countersignature: ${ta.reason}`);
    if (link.issuer !== o.issuer) return fail('issued by another TA');
    if (link.seq !== i) return fail('out of order');
    if (previous && link.identity !== previous.identity) return fail('belongs to another identity');
    let linkKey: KeyObject;
    try {
      linkKey = publicKeyFromJwk(link.public_key);
    } catch {
      return fail('public_key is not a valid key');
    }
    if (jwkThumbprint(link.public_key) !== link.kid)
      return fail('kid is not the thumbprint of public_key');

    if (!previous) {
      if (link.event !== 'issued' || link.previous_passport_id !== null)
        return fail('the first link must be an issuance');
      if (link.kid !== trustedKid) return fail('the chain does not start at the given first key');
    } else {
      if (
        link.previous_passport_id !== previous.passport_id ||
        link.previous_kid !== previous.kid
      ) {
        return fail('does not continue the previous link');
      }
      if (link.event === 'reissued') {
        if (link.kid !== trustedKid) return fail('a reissue may not change the key');
      } else if (link.event === 'rotated') {
        if (typeof link.rotation !== 'string') return fail('rotation statement missing');
        const st = await verifyJws(link.rotation, publicKeyFromJwk(trustedJwk), ROTATION_TYP);
        if (!st.ok) return fail(`rotation statement not signed by the previous key: ${st.message}`);
        if (st.payload.passport_id !== previous.passport_id || st.payload.new_kid !== link.kid) {
          return fail('rotation statement names another passport or key');
        }
        const pop = await checkProof(link, linkKey, o.issuer);
        if (!pop.ok) return fail(pop.reason);
        if (pop.nonce !== st.payload.nonce)
          return fail('the new key did not sign the nonce of the rotation statement');
      } else {
        return fail('an issuance after the first link');
      }
    }
    if (link.event === 'issued') {
      const pop = await checkProof(link, linkKey, o.issuer);
      if (!pop.ok) return fail(pop.reason);
    }
    trustedJwk = link.public_key;
    trustedKid = link.kid;
    previous = link;
  }
  return {
    ok: true,
    currentKey: trustedJwk,
    currentKid: trustedKid,
    currentPassportId: previous!.passport_id,
    links: links.length,
  };
}

/** The link's proof of possession: made by `key`, for this TA; returns its nonce. */
async function checkProof(
  link: ChainLinkDocument,
  key: KeyObject,
  issuer: string,
): Promise<{ ok: true; nonce: unknown } | { ok: false; reason: string }> {
  if (typeof link.proof !== 'string') return { ok: false, reason: 'proof of possession missing' };
  const r = await verifyJws(link.proof, key, POP_TYP);
  if (!r.ok) return { ok: false, reason: `proof of possession: ${r.message}` };
  if (r.payload.aud !== issuer)
    return { ok: false, reason: 'proof of possession made for another TA' };
  return { ok: true, nonce: r.payload.nonce };
}
