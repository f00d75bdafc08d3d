// Namespaces: a publisher claims a reverse-DNS name and proves control of its domain by serving a
// challenge token over HTTPS, or an admin approves the claim (DESIGN.md §3, §4.1). An unproven
// claim blocks nobody: while it is pending, other publishers hold rival claims with their own
// tokens, and the first to pass its challenge takes the namespace over.
import { randomBytes } from 'node:crypto';
import { appendAuditEvent } from '../audit/append.js';
import { ForbiddenError, InvalidRequestError, NotFoundError, ConflictError } from '../errors.js';
import type { Persistence, Stores, TxStores } from '../stores.js';
import {
  challengeUrlFor,
  challengeUrlProblem,
  namespaceAndAncestors,
  namespaceProblem,
} from './namespace-name.js';
import { actorOf, assertActsFor, type Principal } from '../auth/principal.js';

export type NamespaceStatus = 'pending' | 'verified' | 'rejected' | 'released' | 'revoked';
export const NAMESPACE_STATUSES: readonly NamespaceStatus[] = [
  'pending',
  'verified',
  'rejected',
  'released',
  'revoked',
];

export interface Namespace {
  namespace: string;
  publisherId: string;
  status: NamespaceStatus;
  /** The base URL the publisher named; the token is served under it. */
  challengeBaseUrl: string;
  challengeToken: string;
  challengeExpiresAt: Date;
  verificationMethod: 'http-challenge' | 'admin' | null;
  verifiedAt: Date | null;
  /** Why an admin rejected the claim or revoked the namespace. */
  reason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A rival claim: a pending challenge of a publisher other than the one the record names. */
export interface NamespaceClaim {
  namespace: string;
  publisherId: string;
  challengeBaseUrl: string;
  challengeToken: string;
  challengeExpiresAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * How long a challenge token may be served before the claim lapses. Re-claiming does not extend
 * it: a publisher gets a fresh challenge only once its claim lapsed.
 */
export const CHALLENGE_TTL_MS = 48 * 60 * 60 * 1000;

/** Fetches a challenge URL and returns the body; throws (with a shareable message) otherwise. */
export type ChallengeFetcher = (url: string) => Promise<string>;

/** The URL the publisher must serve the token at. */
export function challengeUrlOf(ns: Pick<Namespace, 'challengeBaseUrl' | 'challengeToken'>): string {
  return challengeUrlFor(ns.challengeBaseUrl, ns.challengeToken);
}

/** A rival claim as its own publisher sees it: a pending namespace. */
export function claimAsNamespace(c: NamespaceClaim): Namespace {
  return { ...c, status: 'pending', verificationMethod: null, verifiedAt: null, reason: null };
}

export interface ClaimNamespaceInput {
  namespace: string;
  url: string;
  /** Required for admin tokens (which belong to no publisher); else the caller's own. */
  publisherId?: string;
}

export interface ClaimResult {
  namespace: Namespace;
  /** False when the publisher's live claim was returned as it was (same token, same expiry). */
  created: boolean;
}

export function requireNamespaceName(namespace: string, field: string): void {
  const problem = namespaceProblem(namespace);
  if (problem) throw InvalidRequestError.field(field, problem);
}

export async function requireNamespace(s: Stores, namespace: string): Promise<Namespace> {
  const ns = await s.namespaces.find(namespace);
  if (!ns) throw new NotFoundError(`no namespace ${namespace}`);
  return ns;
}

export function assertAdmin(principal: Principal, what = 'approve or reject namespaces'): void {
  if (principal.role !== 'admin') throw new ForbiddenError(`only admins ${what}`);
}

/** ": <reason>" when there is one, for messages. */
export function reasonSuffix(ns: Pick<Namespace, 'reason'>): string {
  return ns.reason ? `: ${ns.reason}` : '';
}

const live = (c: { challengeExpiresAt: Date }, now: Date) => c.challengeExpiresAt > now;
const freshToken = () => randomBytes(24).toString('base64url');

/**
 * Claims `namespace` for a publisher. Refused with 403 while another publisher has it verified
 * (or a verified ancestor: com.example covers com.example.api), or when an admin revoked it from
 * this publisher. A live claim of this publisher is returned as it is — the same token and the
 * same expiry, only the URL may change — so re-claiming never extends a claim. While another
 * publisher's claim is pending, this one becomes a rival claim with its own token.
 */
export async function claimNamespace(
  p: Persistence,
  principal: Principal,
  input: ClaimNamespaceInput,
  o: { allowPrivate: boolean },
): Promise<ClaimResult> {
  requireNamespaceName(input.namespace, 'body.namespace');
  // Stored in lower case: `io.github.jUXTAPOSITION1` and `io.github.juxtaposition1` are one namespace.
  const name = input.namespace.toLowerCase();
  const urlProblem = challengeUrlProblem(name, input.url, o.allowPrivate);
  if (urlProblem) throw InvalidRequestError.field('body.url', urlProblem);
  const publisherId = input.publisherId ?? principal.publisherId;
  if (!publisherId)
    throw InvalidRequestError.field('body.publisher_id', 'an admin token must name the publisher');
  assertActsFor(principal, publisherId);
  const baseUrl = input.url.replace(/\/+$/, '');

  return p.transact(async (s) => {
    await s.locks.acquire('registry-namespaces');
    if (!(await s.publishers.findById(publisherId)))
      throw new NotFoundError(`no publisher ${publisherId}`);
    const now = p.clock.now();
    const ancestors = namespaceAndAncestors(name).filter((n) => n !== name);
    const foreignAncestor = (await s.namespaces.findVerified(ancestors)).find(
      (a) => a.publisherId !== publisherId,
    );
    if (foreignAncestor)
      throw new ForbiddenError(
        `${name} lies within ${foreignAncestor.namespace}, verified by another publisher`,
      );

    const record = await s.namespaces.find(name);
    const audit = (ns: Namespace, data: Record<string, unknown>) =>
      appendAuditEvent(s, p.clock, {
        actor: actorOf(principal),
        action: 'namespace.claimed',
        subject: `namespace:${name}`,
        data: {
          publisher_id: publisherId,
          challenge_url: challengeUrlOf(ns),
          challenge_expires_at: ns.challengeExpiresAt.toISOString(),
          ...data,
        },
      });

    if (record && record.publisherId === publisherId) {
      if (record.status === 'verified')
        throw new ConflictError(`${name} is already verified for this publisher`);
      if (record.status === 'revoked') {
        throw new ForbiddenError(
          `${name} was revoked from this publisher by an admin${reasonSuffix(record)}; only an admin can approve it again`,
        );
      }
      if (record.status === 'pending' && live(record, now)) {
        if (record.challengeBaseUrl === baseUrl) return { namespace: record, created: false };
        const moved: Namespace = { ...record, challengeBaseUrl: baseUrl, updatedAt: now };
        await s.namespaces.save(moved);
        await audit(moved, { url_changed: true, replaced_publisher_id: null });
        return { namespace: moved, created: false };
      }
    }
    if (record && record.publisherId !== publisherId && record.status === 'verified')
      throw new ForbiddenError(`${name} is verified by another publisher`);

    const rival =
      record && record.publisherId !== publisherId
        ? await s.namespaces.findClaim(name, publisherId)
        : undefined;
    const liveRival = rival && live(rival, now) ? rival : undefined;
    if (
      record &&
      record.publisherId !== publisherId &&
      record.status === 'pending' &&
      live(record, now)
    ) {
      // Another publisher's claim is unproven: it blocks nobody. This one competes with it.
      if (liveRival && liveRival.challengeBaseUrl === baseUrl)
        return { namespace: claimAsNamespace(liveRival), created: false };
      const claim: NamespaceClaim = liveRival
        ? { ...liveRival, challengeBaseUrl: baseUrl, updatedAt: now }
        : {
            namespace: name,
            publisherId,
            challengeBaseUrl: baseUrl,
            challengeToken: freshToken(),
            challengeExpiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS),
            createdAt: now,
            updatedAt: now,
          };
      await s.namespaces.saveClaim(claim);
      const view = claimAsNamespace(claim);
      await audit(view, {
        rival_of_publisher_id: record.publisherId,
        ...(liveRival ? { url_changed: true } : {}),
      });
      return { namespace: view, created: !liveRival };
    }

    // The record is this publisher's from here: new, lapsed, rejected, released, or another
    // publisher's claim that lapsed or was rejected/released/revoked. A live rival claim of this
    // publisher becomes the record with its token and expiry.
    const ns: Namespace = {
      namespace: name,
      publisherId,
      status: 'pending',
      challengeBaseUrl: baseUrl,
      challengeToken: liveRival?.challengeToken ?? freshToken(),
      challengeExpiresAt:
        liveRival?.challengeExpiresAt ?? new Date(now.getTime() + CHALLENGE_TTL_MS),
      verificationMethod: null,
      verifiedAt: null,
      reason: null,
      createdAt:
        record?.publisherId === publisherId ? record.createdAt : (liveRival?.createdAt ?? now),
      updatedAt: now,
    };
    await s.namespaces.save(ns);
    if (rival) await s.namespaces.deleteClaims(name, publisherId);
    await audit(ns, {
      replaced_publisher_id:
        record && record.publisherId !== publisherId ? record.publisherId : null,
      previous_status: record?.status ?? null,
    });
    return { namespace: ns, created: !liveRival };
  });
}

/** The claim `principal` would verify: the record's (its publisher, or an admin), else its own rival claim. */
async function claimToVerify(
  s: Stores,
  principal: Principal,
  record: Namespace,
): Promise<{ rival: NamespaceClaim | null }> {
  if (principal.role === 'admin' || principal.publisherId === record.publisherId) {
    assertActsFor(principal, record.publisherId);
    return { rival: null };
  }
  const rival = principal.publisherId
    ? await s.namespaces.findClaim(record.namespace, principal.publisherId)
    : undefined;
  // A stranger without a claim learns nothing beyond "not yours".
  if (!rival) assertActsFor(principal, record.publisherId);
  assertActsFor(principal, rival!.publisherId);
  if (record.status === 'verified')
    throw new ForbiddenError(`${record.namespace} is verified by another publisher`);
  return { rival: rival! };
}

/**
 * Fetches the challenge URL and marks the namespace verified when it serves exactly the token.
 * A rival claim that passes takes the namespace over from the unproven claim it competed with
 * (audited, naming that publisher). The fetch happens outside any transaction; the state change
 * re-checks that the claim is unchanged. Already verified → returned unchanged.
 */
export async function verifyNamespace(
  p: Persistence,
  principal: Principal,
  namespace: string,
  fetchChallenge: ChallengeFetcher,
): Promise<Namespace> {
  requireNamespaceName(namespace, 'path.namespace');
  const record = await requireNamespace(p.stores, namespace);
  const { rival } = await claimToVerify(p.stores, principal, record);
  if (!rival) {
    if (record.status === 'verified') return record;
    if (record.status !== 'pending') {
      throw new ConflictError(
        `${namespace} was ${record.status}${reasonSuffix(record)}; claim it again for a new challenge`,
      );
    }
  }
  const claim = rival ?? record;
  if (claim.challengeExpiresAt <= p.clock.now()) {
    throw InvalidRequestError.field(
      'challenge_token',
      `the challenge expired at ${claim.challengeExpiresAt.toISOString()}; claim the namespace again for a new one`,
    );
  }
  const url = challengeUrlOf(claim);
  let body: string;
  try {
    body = await fetchChallenge(url);
  } catch (err) {
    throw InvalidRequestError.field(
      'challenge_url',
      `fetching ${url} failed: ${(err as Error).message}`,
    );
  }
  if (body.trim() !== claim.challengeToken) {
    throw InvalidRequestError.field('challenge_url', `${url} did not serve the challenge token`);
  }
  return p.transact(async (s) => {
    await s.locks.acquire('registry-namespaces');
    const current = await requireNamespace(s, namespace);
    const now = p.clock.now();
    let verified: Namespace;
    let tookOver: Record<string, unknown> | null = null;
    if (!rival) {
      if (current.status === 'verified' && current.publisherId === record.publisherId)
        return current;
      if (
        current.status !== 'pending' ||
        current.challengeToken !== record.challengeToken ||
        current.publisherId !== record.publisherId
      ) {
        throw new ConflictError(
          `the claim on ${namespace} changed while it was being verified; try again`,
        );
      }
      verified = {
        ...current,
        status: 'verified',
        verificationMethod: 'http-challenge',
        verifiedAt: now,
        updatedAt: now,
      };
    } else {
      const mine = await s.namespaces.findClaim(namespace, rival.publisherId);
      if (!mine || mine.challengeToken !== rival.challengeToken)
        throw new ConflictError(
          `the claim on ${namespace} changed while it was being verified; try again`,
        );
      if (current.status === 'verified')
        throw new ForbiddenError(`${namespace} is verified by another publisher`);
      verified = {
        ...claimAsNamespace(mine),
        status: 'verified',
        verificationMethod: 'http-challenge',
        verifiedAt: now,
        updatedAt: now,
      };
      tookOver = {
        publisher_id: current.publisherId,
        status: current.status,
        challenge_expires_at: current.challengeExpiresAt.toISOString(),
      };
    }
    return recordVerified(s, p, principal, verified, 'namespace.verified', {
      publisher_id: verified.publisherId,
      method: 'http-challenge',
      challenge_url: url,
      ...(tookOver ? { took_over_from: tookOver } : {}),
    });
  });
}

/**
 * Stores `verified` (a namespace just verified or approved), voids every rival claim on it (a
 * verified namespace blocks them) and writes its audit event, in the caller's transaction.
 */
export async function recordVerified(
  s: TxStores,
  p: Persistence,
  principal: Principal,
  verified: Namespace,
  action: 'namespace.verified' | 'namespace.approved',
  data: Record<string, unknown>,
): Promise<Namespace> {
  await s.namespaces.save(verified);
  await s.namespaces.deleteClaims(verified.namespace);
  await appendAuditEvent(s, p.clock, {
    actor: actorOf(principal),
    action,
    subject: `namespace:${verified.namespace}`,
    data,
  });
  return verified;
}
