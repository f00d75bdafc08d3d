// MCP servers in the registry: `namespace/name`, an origin, a description and a repository.
// Only the publisher that verified the namespace registers or changes them, and only with an
// origin the TA holds a proof for (src/registry/origin-proof.ts); an admin may approve any other
// origin for one server, audited.
import { appendAuditEvent } from '../audit/append.js';
import { appendSequencedAuditEvent } from '../log/sequence-inline.js';
import { ConflictError, ForbiddenError, InvalidRequestError, NotFoundError } from '../errors.js';
import type { Persistence, Stores, TxStores } from '../stores.js';
import { parseServerName } from './namespace-name.js';
import { proveOrigin, type OriginApproval, type OriginProofResult } from './origin-proof.js';
import { lostNamespaceMessage } from './namespace-standing.js';
import { actorOf, assertActsFor, type Principal } from '../auth/principal.js';

/** Source repository, in the official registry's server.json shape. */
export interface Repository {
  url: string;
  source: string;
  subfolder?: string;
  id?: string;
}

export interface Server {
  name: string;
  namespace: string;
  publisherId: string;
  /** An http(s) origin (scheme://host[:port]); the `author_origin` of its tool hashes. */
  origin: string;
  description: string;
  repository: Repository | null;
  /** An admin's approval of one exact origin for this server (proof b of DESIGN.md §9), or null. */
  originApproval: OriginApproval | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Whether the TA holds a current proof for the server's origin (read through `stores`). */
export function proveServerOrigin(
  stores: Pick<Stores, 'namespaces'>,
  server: Server,
): Promise<OriginProofResult> {
  return proveOrigin(stores, {
    origin: server.origin,
    publisherId: server.publisherId,
    approval: server.originApproval,
  });
}

/** Refuses (400 naming body.origin) an origin the TA could not vouch for. */
function requireProvenOrigin(proof: OriginProofResult, origin: string): void {
  if (!proof.proven)
    throw InvalidRequestError.field(
      'body.origin',
      `the TA holds no proof for ${origin}: ${proof.reason}`,
    );
}

/** Reason of an admin's origin approval: required, 1–500 characters. */
function checkApprovalReason(reason: string, field: string): string {
  const r = reason.trim();
  if (r.length === 0 || r.length > 500)
    throw InvalidRequestError.field(
      field,
      'must be 1–500 characters: why this origin may be vouched for',
    );
  return r;
}

/** server.json allows at most 100 characters, and the MCP Registry API serves this text there. */
export const SERVER_DESCRIPTION_MAX = 100;

/** The origin of an http(s) URL that names nothing but an origin; a problem message otherwise. */
export function normaliseOrigin(value: string): { origin: string } | string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return 'must be an absolute https URL such as https://weather.example.com';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'must be an http(s) URL';
  if (u.username || u.password) return 'must not carry credentials';
  if ((u.pathname !== '/' && u.pathname !== '') || u.search || u.hash)
    return 'must be an origin: no path, query or fragment';
  return { origin: u.origin };
}

function checkDescription(description: string, field: string): void {
  if (description.trim().length === 0 || description.length > SERVER_DESCRIPTION_MAX) {
    throw InvalidRequestError.field(field, `must be 1–${SERVER_DESCRIPTION_MAX} characters`);
  }
}

function checkRepository(r: Repository | null, field: string): void {
  if (!r) return;
  let u: URL | undefined;
  try {
    u = new URL(r.url);
  } catch {
    u = undefined;
  }
  if (!u || (u.protocol !== 'https:' && u.protocol !== 'http:'))
    throw InvalidRequestError.field(`${field}.url`, 'must be an http(s) URL');
}

/**
 * The namespace must be verified and held by the publisher acting: else 403, so that publisher
 * B learns nothing more about A's namespace than that it may not use it — or 409 naming the
 * reason when the publisher's own namespace was rejected, released or revoked: nothing is signed
 * for its servers any more. Holds a share lock on the namespace until the transaction ends (a
 * concurrent release or revocation waits, then sees what this transaction wrote). Returns the owner.
 */
export async function requireOwnedVerifiedNamespace(
  s: Stores,
  principal: Principal,
  namespace: string,
): Promise<string> {
  const ns = await s.namespaces.findForShare(namespace);
  if (!ns) throw new ForbiddenError(`namespace ${namespace} is not verified for this publisher`);
  assertActsFor(principal, ns.publisherId);
  if (ns.status === 'pending')
    throw new ForbiddenError(`namespace ${namespace} is not verified (status pending)`);
  if (ns.status !== 'verified') throw new ConflictError(lostNamespaceMessage(ns));
  return ns.publisherId;
}

export interface RegisterServerInput {
  name: string;
  origin: string;
  description: string;
  repository?: Repository | null;
  /**
   * Admins only: approve `origin` for this server in the same step, with this reason (for
   * origins no namespace can prove: IP literals, private hosts, plain http). Audited.
   */
  originApprovalReason?: string | undefined;
}

/**
 * Registers a server under a namespace the caller's publisher verified, with an origin the TA
 * holds a proof for: within a namespace of the same publisher, or approved by the admin
 * registering it (`originApprovalReason`).
 */
export async function registerServer(
  p: Persistence,
  principal: Principal,
  input: RegisterServerInput,
): Promise<Server> {
  const parsed = parseServerName(input.name);
  if (typeof parsed === 'string') throw InvalidRequestError.field('body.name', parsed);
  const origin = normaliseOrigin(input.origin);
  if (typeof origin === 'string') throw InvalidRequestError.field('body.origin', origin);
  checkDescription(input.description, 'body.description');
  checkRepository(input.repository ?? null, 'body.repository');
  let approvalReason: string | undefined;
  if (input.originApprovalReason !== undefined) {
    if (principal.role !== 'admin')
      throw new ForbiddenError('only admins approve origins (body.origin_approval_reason)');
    approvalReason = checkApprovalReason(input.originApprovalReason, 'body.origin_approval_reason');
  }
  return p.transact(async (s) => {
    const publisherId = await requireOwnedVerifiedNamespace(s, principal, parsed.namespace);
    const now = p.clock.now();
    const server: Server = {
      name: input.name,
      namespace: parsed.namespace,
      publisherId,
      origin: origin.origin,
      description: input.description,
      repository: input.repository ?? null,
      originApproval: null,
      createdAt: now,
      updatedAt: now,
    };
    if (approvalReason === undefined)
      requireProvenOrigin(await proveServerOrigin(s, server), server.origin);
    await s.servers.insert(server);
    await appendAuditEvent(s, p.clock, {
      actor: actorOf(principal),
      action: 'server.registered',
      subject: `server:${server.name}`,
      data: {
        publisher_id: publisherId,
        origin: server.origin,
        description: server.description,
        repository: server.repository,
      },
    });
    if (approvalReason === undefined) return server;
    return recordOriginApproval(s, p, principal, server, server.origin, approvalReason);
  });
}

export interface UpdateServerInput {
  origin?: string;
  description?: string;
  repository?: Repository | null;
}

/**
 * Changes a server's origin, description or repository. A new origin needs a proof like at
 * registration (400 naming body.origin otherwise). Published manifests keep the origin they were
 * published with; the next version uses the new one.
 */
export async function updateServer(
  p: Persistence,
  principal: Principal,
  name: string,
  patch: UpdateServerInput,
): Promise<Server> {
  const origin = patch.origin === undefined ? undefined : normaliseOrigin(patch.origin);
  if (typeof origin === 'string') throw InvalidRequestError.field('body.origin', origin);
  if (patch.description !== undefined) checkDescription(patch.description, 'body.description');
  if (patch.repository !== undefined) checkRepository(patch.repository, 'body.repository');
  return p.transact(async (s) => {
    const server = await s.servers.findForUpdate(name);
    if (!server) throw new NotFoundError(`no server ${name}`);
    assertActsFor(principal, server.publisherId);
    const owner = await requireOwnedVerifiedNamespace(s, principal, server.namespace);
    if (owner !== server.publisherId)
      throw new ForbiddenError(`namespace ${server.namespace} now belongs to another publisher`);
    const next: Server = {
      ...server,
      origin: origin?.origin ?? server.origin,
      description: patch.description ?? server.description,
      repository: patch.repository === undefined ? server.repository : patch.repository,
    };
    const changed = (['origin', 'description', 'repository'] as const).filter(
      (k) => JSON.stringify(next[k]) !== JSON.stringify(server[k]),
    );
    if (changed.length === 0) return server;
    if (changed.includes('origin'))
      requireProvenOrigin(await proveServerOrigin(s, next), next.origin);
    next.updatedAt = p.clock.now();
    await s.servers.update(next);
    await appendAuditEvent(s, p.clock, {
      actor: actorOf(principal),
      action: 'server.updated',
      subject: `server:${name}`,
      data: Object.fromEntries(changed.map((k) => [k, { from: server[k], to: next[k] }])),
    });
    return next;
  });
}

/**
 * Approves `origin` for one server and makes it the server's origin (admins only): the audited
 * proof (b) of DESIGN.md §9 for an origin no namespace can prove — an IP literal, a loopback,
 * private or link-local host, plain http — or any other the admin vouches for. The approval
 * covers that exact origin for that server only; a later origin change needs its own proof.
 */
export async function approveServerOrigin(
  p: Persistence,
  principal: Principal,
  name: string,
  input: { origin: string; reason: string },
): Promise<Server> {
  if (principal.role !== 'admin') throw new ForbiddenError('only admins approve origins');
  const origin = normaliseOrigin(input.origin);
  if (typeof origin === 'string') throw InvalidRequestError.field('body.origin', origin);
  const reason = checkApprovalReason(input.reason, 'body.reason');
  return p.transact(async (s) => {
    const server = await s.servers.findForUpdate(name);
    if (!server) throw new NotFoundError(`no server ${name}`);
    return recordOriginApproval(s, p, principal, server, origin.origin, reason);
  });
}

/** Stores the approval (and the origin) on the server record, with its audit event. */
async function recordOriginApproval(
  s: TxStores,
  p: Persistence,
  principal: Principal,
  server: Server,
  origin: string,
  reason: string,
): Promise<Server> {
  const now = p.clock.now();
  const event = await appendSequencedAuditEvent(s, p.clock, {
    actor: actorOf(principal),
    action: 'server.origin_approved',
    subject: `server:${server.name}`,
    data: { publisher_id: server.publisherId, origin, previous_origin: server.origin, reason },
  });
  const approval: OriginApproval = {
    origin,
    reason,
    approvedBy: actorOf(principal),
    approvedAt: now,
    auditSeq: event.seq,
  };
  const next: Server = { ...server, origin, originApproval: approval, updatedAt: now };
  await s.servers.update(next);
  return next;
}

/** A server by name (public). */
export async function getServer(p: Persistence, name: string): Promise<Server> {
  const server = await p.stores.servers.find(name);
  if (!server) throw new NotFoundError(`no server ${name}`);
  return server;
}
