// Proof before signature (DESIGN.md §9): does publisher P hold a current proof for origin O of
// server S? The one rule every signing point asks — server registration and PATCH, certificate
// issuance and renewal, passport issuance, rotation and approval, manifest publication, and the
// `/v0.1` trust data. A TA signature on a name is only worth the proof behind it.
//
// Proofs, in the order they are tried:
//   (b) an admin approved exactly this origin for this server (stored on the server record, the
//       approval itself in the audit log) — the only way for plain http, IP literals, loopback,
//       link-local, private and other non-public hosts;
//   (a) the origin is https, its host is a public DNS name, and the host is the domain or a
//       subdomain of a namespace that P holds verified (HTTP challenge or admin approval).
// No setting widens this: TA_ALLOW_PRIVATE_CHALLENGES only lets the namespace challenge fetch
// reach a private address; it never makes a private origin provable.
import { isIP } from 'node:net';
import { ConflictError, type FieldIssue } from '../errors.js';
import { isLoopbackHost } from '../net/public-address.js';
import type { Namespace } from './namespace.js';
import type { NamespaceStore } from './namespace-store.js';
import { namespacesCoveringHost } from './namespace-name.js';

/** An admin's approval of one exact origin for one server (DESIGN.md §9, proof b). */
export interface OriginApproval {
  /** The approved origin, as normalised (`scheme://host[:port]`). */
  origin: string;
  reason: string;
  /** The audit actor who approved it (`token:…`, `admin:…`). */
  approvedBy: string;
  approvedAt: Date;
  /** Sequence number of the `server.origin_approved` audit event. */
  auditSeq: number;
}

export type OriginProof =
  | { kind: 'namespace'; namespace: string; method: 'http-challenge' | 'admin' | null }
  | { kind: 'admin-approval'; auditSeq: number };

/** Either the proof the TA holds, or why it holds none (a sentence for a problem document). */
export type OriginProofResult =
  { proven: true; proof: OriginProof } | { proven: false; reason: string };

/**
 * Special-use DNS names that never identify a public host (RFC 6761 `localhost`, `invalid`;
 * RFC 6762 `local`; RFC 8375 `home.arpa`; ICANN's reserved `internal`).
 */
const PRIVATE_SUFFIXES = ['localhost', 'local', 'internal', 'home.arpa', 'invalid'];

/**
 * Why `origin` can only be proven by an admin approval (plain http, an IP literal, a loopback,
 * private or single-label host), or undefined for an https origin on a public DNS name.
 */
export function nonPublicOriginReason(origin: string): string | undefined {
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return 'it is not a URL';
  }
  const host = u.hostname
    .replace(/^\[(.*)\]$/, '$1')
    .toLowerCase()
    .replace(/\.$/, '');
  if (u.protocol !== 'https:')
    return `${u.protocol.replace(/:$/, '')} is not https: anyone on the path could answer for it`;
  if (isIP(host) !== 0) return `${host} is an IP literal, which no namespace covers`;
  if (isLoopbackHost(host)) return `${host} is a loopback host`;
  if (PRIVATE_SUFFIXES.some((s) => host === s || host.endsWith(`.${s}`)))
    return `${host} is a private (special-use) name`;
  if (!host.includes('.')) return `${host} is a single-label (private) name`;
  return undefined;
}

/** The host of an origin as it appears in a certificate or a namespace match. */
function hostOf(origin: string): string {
  return new URL(origin).hostname
    .replace(/^\[(.*)\]$/, '$1')
    .toLowerCase()
    .replace(/\.$/, '');
}

export interface OriginClaim {
  origin: string;
  /** The publisher that would be vouched for. */
  publisherId: string;
  /** The server's recorded admin approval, if any (null for agents, which have none). */
  approval: OriginApproval | null;
}

/** The namespaces whose verification could prove `origin` (empty for a non-public origin). */
export function candidateNamespaces(origin: string): string[] {
  if (nonPublicOriginReason(origin) !== undefined) return [];
  return namespacesCoveringHost(hostOf(origin));
}

/**
 * The proof decision from what the store said: `verified` holds the verified namespaces among
 * candidateNamespaces(origin) (more are ignored). Pure, so a page of entries can share one read.
 */
export function decideOriginProof(
  claim: OriginClaim,
  verified: readonly Namespace[],
): OriginProofResult {
  if (claim.approval && claim.approval.origin === claim.origin) {
    return { proven: true, proof: { kind: 'admin-approval', auditSeq: claim.approval.auditSeq } };
  }
  const nonPublic = nonPublicOriginReason(claim.origin);
  if (nonPublic !== undefined) {
    return {
      proven: false,
      reason: `${claim.origin} can only be proven by an admin approval for this server: ${nonPublic}`,
    };
  }
  const candidates = candidateNamespaces(claim.origin);
  const relevant = verified.filter((ns) => candidates.includes(ns.namespace));
  const own = relevant.find((ns) => ns.publisherId === claim.publisherId);
  if (own)
    return {
      proven: true,
      proof: { kind: 'namespace', namespace: own.namespace, method: own.verificationMethod },
    };
  const host = hostOf(claim.origin);
  const foreign = relevant.find((ns) => ns.publisherId !== claim.publisherId);
  if (foreign)
    return {
      proven: false,
      reason: `${host} lies within namespace ${foreign.namespace}, which another publisher verified`,
    };
  const nearest = candidates[candidates.length - 1] ?? candidates[0];
  return {
    proven: false,
    reason: `${host} lies within no namespace this publisher holds verified (verify ${candidates[0]}${nearest && nearest !== candidates[0] ? ` or ${nearest}` : ''}, or ask an admin to approve the origin for this server)`,
  };
}

/**
 * Decides whether the TA holds a current proof for `claim`. Pass the stores of the signing
 * transaction: the verified namespaces are read FOR SHARE there, so a concurrent rejection or
 * release of the namespace waits for this signature (and then sees it) or is seen by it.
 */
export async function proveOrigin(
  stores: { namespaces: Pick<NamespaceStore, 'findVerified'> },
  claim: OriginClaim,
): Promise<OriginProofResult> {
  const candidates =
    claim.approval?.origin === claim.origin ? [] : candidateNamespaces(claim.origin);
  const verified =
    candidates.length === 0
      ? []
      : await stores.namespaces.findVerified(candidates, { lock: 'share' });
  return decideOriginProof(claim, verified);
}

/** The 409 of a signing point whose subject's origin lost (or never had) its proof. */
export function originNotProven(
  what: string,
  origin: string,
  reason: string,
  field: string,
): ConflictError {
  const issue: FieldIssue = { field, message: `origin ${origin} is not proven: ${reason}` };
  return new ConflictError(
    `${what}: the TA holds no current proof for origin ${origin}: ${reason}`,
    [issue],
  );
}
