// Key-continuity links (DESIGN.md §7). Every passport of an identity gets one link, oldest
// first, countersigned by the TA (src/crypto/signed-document.ts):
//   issued   — the first key, with its proof of possession (signed by that key);
//   rotated  — a new key: the rotation statement signed by the OLD key naming the new kid, and
//              the proof of possession signed by the NEW key over the same nonce;
//   reissued — the same key in a new passport (e.g. after an admin approval): no key evidence.
import type { EcPublicJwk } from '../crypto/jwk.js';
import { signDocument, type Signed } from '../crypto/signed-document.js';
import type { P256Signer } from '../crypto/signer.js';
import { formatUtc } from './times.js';

export const CHAIN_VERSION = '1.0';

export type ChainEvent = 'issued' | 'rotated' | 'reissued';

export type ChainLinkDocument = Signed<{
  mcps_chain_version: string;
  issuer: string;
  /** passport_id of the first passport of the chain. */
  identity: string;
  seq: number;
  event: ChainEvent;
  passport_id: string;
  kid: string;
  public_key: EcPublicJwk;
  previous_passport_id: string | null;
  previous_kid: string | null;
  at: string;
  /** Rotation statement (compact JWS by the previous key); `rotated` only. */
  rotation: string | null;
  /** Proof of possession (compact JWS by this link's key); `issued` and `rotated`. */
  proof: string | null;
}>;

export interface ChainLink {
  lineageId: string;
  seq: number;
  passportId: string;
  document: ChainLinkDocument;
}

export interface BuildLinkInput {
  issuer: string;
  lineageId: string;
  seq: number;
  event: ChainEvent;
  passportId: string;
  kid: string;
  publicKey: EcPublicJwk;
  previous: { passportId: string; kid: string } | null;
  at: Date;
  rotation: string | null;
  proof: string | null;
}

/** Builds and countersigns a link. */
export function buildChainLink(i: BuildLinkInput, signer: P256Signer): ChainLink {
  const document = signDocument(
    {
      mcps_chain_version: CHAIN_VERSION,
      issuer: i.issuer,
      identity: i.lineageId,
      seq: i.seq,
      event: i.event,
      passport_id: i.passportId,
      kid: i.kid,
      public_key: i.publicKey,
      previous_passport_id: i.previous?.passportId ?? null,
      previous_kid: i.previous?.kid ?? null,
      at: formatUtc(i.at),
      rotation: i.rotation,
      proof: i.proof,
    },
    signer,
  );
  return { lineageId: i.lineageId, seq: i.seq, passportId: i.passportId, document };
}
