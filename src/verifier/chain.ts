// Verifies a key-continuity chain (DESIGN.md §7) with trusted anchors: every link countersigned by
// a trusted TA key, each new key vouched for by the previous one, starting at a key the client
// pinned; then whether the identity's current passport is revoked.
import type { EcPublicJwk } from '../crypto/jwk.js';
import { verifyKeyContinuityChain } from '../passports/chain-verify.js';
import type { ChainLinkDocument } from '../passports/chain.js';
import { EXIT, reject, type Verdict } from './exit-codes.js';
import type { RevocationLookup } from './revocations.js';
import type { TrustedKeys } from './trusted-keys.js';

export interface CheckChainOptions {
  /** The identity's first public key, pinned at first contact. */
  firstKey: EcPublicJwk;
  keys: TrustedKeys;
  revocations?: RevocationLookup;
}

export interface VerifiedChain {
  currentKey: EcPublicJwk;
  currentKid: string;
  currentPassportId: string;
  links: number;
}

/** The links in `input`: an array, or the GET /v1/passports/{id}/chain response. */
function linksIn(input: unknown): ChainLinkDocument[] | undefined {
  const links = Array.isArray(input) ? input : (input as { links?: unknown })?.links;
  if (
    !Array.isArray(links) ||
    !links.every((l) => typeof l === 'object' && l !== null && !Array.isArray(l))
  )
    return undefined;
  return links as ChainLinkDocument[];
}

export async function checkKeyChain(
  input: unknown,
  o: CheckChainOptions,
): Promise<Verdict<VerifiedChain>> {
  const links = linksIn(input);
  if (!links)
    return reject(
      EXIT.chainInvalid,
      'malformed',
      'not a key-continuity chain (an array of links, or an object with `links`)',
    );
  let r;
  try {
    r = await verifyKeyContinuityChain(links, {
      firstKey: o.firstKey,
      taKeyFor: o.keys.keyFor,
      issuer: o.keys.issuer,
    });
  } catch (err) {
    return reject(EXIT.chainInvalid, 'malformed', `a link is malformed: ${(err as Error).message}`);
  }
  if (!r.ok)
    return reject(
      EXIT.chainInvalid,
      'broken-link',
      `link ${r.seq} of the key-continuity chain: ${r.reason}`,
    );
  const revoked = o.revocations?.get('passport', r.currentPassportId);
  if (revoked) {
    return reject(
      EXIT.chainRevoked,
      'revoked',
      `the chain is intact but its current passport ${r.currentPassportId} is revoked (${revoked.reason}, ${revoked.revoked_at})`,
    );
  }
  return {
    ok: true,
    value: {
      currentKey: r.currentKey,
      currentKid: r.currentKid,
      currentPassportId: r.currentPassportId,
      links: r.links,
    },
  };
}
