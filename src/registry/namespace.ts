// Namespaces: a publisher claims a reverse-DNS name and proves control of its domain by serving a
// challenge token over HTTPS, or an admin approves the claim (DESIGN.md §3, §4.1).
import { randomBytes } from 'node:crypto';
import { appendAuditEvent } from '../audit/append.js';
import { ForbiddenError, InvalidRequestError, NotFoundError, ConflictError } from '../errors.js';
import type { Persistence, Stores } from '../stores.js';
import { challengeUrlFor, challengeUrlProblem, namespaceAndAncestors, namespaceProblem } from './namespace-name.js';
import { actorOf, assertActsFor, assertCanRead, type Principal } from './principal.js';

export type NamespaceStatus = 'pending' | 'verified' | 'rejected';
export const NAMESPACE_STATUSES: readonly NamespaceStatus[] = ['pending', 'verified', 'rejected'];

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
  /** Why an admin rejected the claim. */
  reason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** How long a challenge token may be served before the claim lapses (and others may claim). */
export const CHALLENGE_TTL_MS = 48 * 60 * 60 * 1000;

/** Fetches a challenge URL and returns the body; throws (with a shareable message) otherwise. */
export type ChallengeFetcher = (url: string) => Promise<string>;

/** The URL the publisher must serve the token at. */
export function challengeUrlOf(ns: Namespace): string {
  return challengeUrlFor(ns.challengeBaseUrl, ns.challengeToken);
}

export interface ClaimNamespaceInput {
  namespace: string;
  url: string;
  /** Required for admin tokens (which belong to no publisher); else the caller's own. */
  publisherId?: string;
}

function requireNamespaceName(namespace: string, field: string): void {
  const problem = namespaceProblem(namespace);
  if (problem) throw InvalidRequestError.field(field, problem);
}

async function requireNamespace(s: Stores, namespace: string): Promise<Namespace> {
  const ns = await s.namespaces.find(namespace);
  if (!ns) throw new NotFoundError(`no namespace ${namespace}`);
  return ns;
}

function assertAdmin(principal: Principal): void {
  if (principal.role !== 'admin') throw new ForbiddenError('only admins approve or reject namespaces');
}

/**
 * Claims `namespace` for a publisher and issues a fresh challenge. Refused with 403 while another
 * publisher holds it (verified, or a pending claim that has not lapsed) or holds a verified
 * ancestor (com.example covers com.example.api).
 */
export async function claimNamespace(
  p: Persistence,
  principal: Principal,
  input: ClaimNamespaceInput,
  o: { allowPrivate: boolean },
): Promise<Namespace> {
  requireNamespaceName(input.namespace, 'body.namespace');
  const urlProblem = challengeUrlProblem(input.namespace, input.url, o.allowPrivate);
  if (urlProblem) throw InvalidRequestError.field('body.url', urlProblem);
  const publisherId = input.publisherId ?? principal.publisherId;
  if (!publisherId) throw InvalidRequestError.field('body.publisher_id', 'an admin token must name the publisher');
  assertActsFor(principal, publisherId);

  return p.transact(async (s) => {
    await s.locks.acquire('registry-namespaces');
    if (!(await s.publishers.findById(publisherId))) throw new NotFoundError(`no publisher ${publisherId}`);
    const now = p.clock.now();
    const ancestors = namespaceAndAncestors(input.namespace).filter((n) => n !== input.namespace);
    const foreignAncestor = (await s.namespaces.findVerified(ancestors)).find((a) => a.publisherId !== publisherId);
    if (foreignAncestor) throw new ForbiddenError(`${input.namespace} lies within ${foreignAncestor.namespace}, verified by another publisher`);

    const existing = await s.namespaces.find(input.namespace);
    if (existing && existing.publisherId !== publisherId) {
      if (existing.status === 'verified') throw new ForbiddenError(`${input.namespace} is verified by another publisher`);
      if (existing.status === 'pending' && existing.challengeExpiresAt > now) {
        throw new ForbiddenError(`${input.namespace} is claimed by another publisher until ${existing.challengeExpiresAt.toISOString()}`);
      }
    }
    if (existing && existing.publisherId === publisherId && existing.status === 'verified') {
      throw new ConflictError(`${input.namespace} is already verified for this publisher`);
    }
    const ns: Namespace = {
      namespace: input.namespace,
      publisherId,
      status: 'pending',
      challengeBaseUrl: input.url.replace(/\/+$/, ''),
      challengeToken: randomBytes(24).toString('base64url'),
      challengeExpiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS),
      verificationMethod: null,
      verifiedAt: null,
      reason: null,
      createdAt: existing?.publisherId === publisherId ? existing.createdAt : now,
      updatedAt: now,
    };
    await s.namespaces.save(ns);
    await appendAuditEvent(s, p.clock, {
      actor: actorOf(principal),
      action: 'namespace.claimed',
      subject: `namespace:${ns.namespace}`,
      data: { publisher_id: publisherId, challenge_url: challengeUrlOf(ns), replaced_publisher_id: existing && existing.publisherId !== publisherId ? existing.publisherId : null },
    });
    return ns;
  });
}

/**
 * Fetches the challenge URL and marks the namespace verified when it serves exactly the token.
 * The fetch happens outside any transaction; the state change re-checks that the claim is
 * unchanged. Already verified → returned unchanged.
 */
export async function verifyNamespace(p: Persistence, principal: Principal, namespace: string, fetchChallenge: ChallengeFetcher): Promise<Namespace> {
  requireNamespaceName(namespace, 'path.namespace');
  const ns = await requireNamespace(p.stores, namespace);
  assertActsFor(principal, ns.publisherId);
  if (ns.status === 'verified') return ns;
  if (ns.status === 'rejected') throw new ConflictError(`${namespace} was rejected by an admin; claim it again for a new challenge`);
  if (ns.challengeExpiresAt <= p.clock.now()) {
    throw InvalidRequestError.field('challenge_token', `the challenge expired at ${ns.challengeExpiresAt.toISOString()}; claim the namespace again for a new one`);
  }
  const url = challengeUrlOf(ns);
  let body: string;
  try {
    body = await fetchChallenge(url);
  } catch (err) {
    throw InvalidRequestError.field('challenge_url', `fetching ${url} failed: ${(err as Error).message}`);
  }
  if (body.trim() !== ns.challengeToken) {
    throw InvalidRequestError.field('challenge_url', `${url} did not serve the challenge token`);
  }
  return p.transact(async (s) => {
    await s.locks.acquire('registry-namespaces');
    const current = await requireNamespace(s, namespace);
    if (current.status === 'verified' && current.publisherId === ns.publisherId) return current;
    if (current.status !== 'pending' || current.challengeToken !== ns.challengeToken || current.publisherId !== ns.publisherId) {
      throw new ConflictError(`the claim on ${namespace} changed while it was being verified; try again`);
    }
    const now = p.clock.now();
    const verified: Namespace = { ...current, status: 'verified', verificationMethod: 'http-challenge', verifiedAt: now, updatedAt: now };
    await s.namespaces.save(verified);
    await appendAuditEvent(s, p.clock, {
      actor: actorOf(principal),
      action: 'namespace.verified',
      subject: `namespace:${namespace}`,
      data: { publisher_id: verified.publisherId, method: 'http-challenge', challenge_url: url },
    });
    return verified;
  });
}

/** An admin marks a claim verified without a challenge. Already verified → unchanged. */
export async function approveNamespace(p: Persistence, principal: Principal, namespace: string): Promise<Namespace> {
  assertAdmin(principal);
  requireNamespaceName(namespace, 'path.namespace');
  return p.transact(async (s) => {
    await s.locks.acquire('registry-namespaces');
    const ns = await requireNamespace(s, namespace);
    if (ns.status === 'verified') return ns;
    const now = p.clock.now();
    const approved: Namespace = { ...ns, status: 'verified', verificationMethod: 'admin', verifiedAt: now, reason: null, updatedAt: now };
    await s.namespaces.save(approved);
    await appendAuditEvent(s, p.clock, {
      actor: actorOf(principal),
      action: 'namespace.approved',
      subject: `namespace:${namespace}`,
      data: { publisher_id: ns.publisherId, previous_status: ns.status },
    });
    return approved;
  });
}

/**
 * An admin rejects a claim, or withdraws a verification. The publisher can no longer register
 * servers or publish under it, and another publisher may claim it. Already rejected → unchanged.
 */
export async function rejectNamespace(p: Persistence, principal: Principal, namespace: string, reason: string | null): Promise<Namespace> {
  assertAdmin(principal);
  requireNamespaceName(namespace, 'path.namespace');
  return p.transact(async (s) => {
    await s.locks.acquire('registry-namespaces');
    const ns = await requireNamespace(s, namespace);
    if (ns.status === 'rejected') return ns;
    const now = p.clock.now();
    const rejected: Namespace = { ...ns, status: 'rejected', verificationMethod: null, verifiedAt: null, reason, updatedAt: now };
    await s.namespaces.save(rejected);
    await appendAuditEvent(s, p.clock, {
      actor: actorOf(principal),
      action: 'namespace.rejected',
      subject: `namespace:${namespace}`,
      data: { publisher_id: ns.publisherId, previous_status: ns.status, reason },
    });
    return rejected;
  });
}

/** A namespace, to an admin or its own publisher. */
export async function getNamespace(p: Persistence, principal: Principal, namespace: string): Promise<Namespace> {
  requireNamespaceName(namespace, 'path.namespace');
  const ns = await requireNamespace(p.stores, namespace);
  assertCanRead(principal, ns.publisherId);
  return ns;
}

/**
 * Namespaces the principal may see: all for admins (or one publisher's, when named), else its
 * publisher's. `search` matches a substring of the name.
 */
export async function listNamespaces(
  p: Persistence,
  principal: Principal,
  o: { status?: NamespaceStatus | undefined; search?: string | undefined; publisherId?: string | undefined; after?: string | undefined; limit: number },
): Promise<Namespace[]> {
  if (principal.role === 'admin') return p.stores.namespaces.list(o);
  if (!principal.publisherId) return [];
  return p.stores.namespaces.list({ ...o, publisherId: principal.publisherId });
}

/** Claims waiting for a verification or an admin's decision. */
export function countPendingNamespaces(p: Persistence): Promise<number> {
  return p.stores.namespaces.count({ status: 'pending' });
}
