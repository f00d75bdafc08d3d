// Withdrawing a verified namespace: its publisher releases it, or an admin revokes it. Either way
// the proof behind its servers' origins is gone (DESIGN.md §9): new signing for them is refused
// with 409, and what was signed on its strength — their server passports and certificates — is
// revoked with cessationOfOperation in the same transaction, each in the revocation feed and the
// audit log.
import { appendAuditEvent } from '../audit/append.js';
import { ConflictError, InvalidRequestError } from '../errors.js';
import type { Persistence, Stores } from '../stores.js';
import { assertAdmin, requireNamespace, type Namespace } from './namespace.js';
import { hostWithinNamespace, namespaceProblem } from './namespace-name.js';
import { isOriginVerified } from './origin-verification.js';
import type { OriginDependents, RevokedDependents } from './origin-dependents.js';
import { actorOf, assertActsFor, type Principal } from '../auth/principal.js';

/** Longest admin revocation reason. */
export const NAMESPACE_REASON_MAX = 500;
const PAGE = 500;

export interface WithdrawnNamespace {
  namespace: Namespace;
  /** Servers whose origin lost its proof. */
  servers: string[];
  revoked: RevokedDependents;
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    return undefined;
  }
}

/**
 * The publisher's servers that depended on `namespace` (read after its status changed): those
 * registered under it, and those whose origin host lies within its domain and is no longer
 * covered by another namespace the publisher holds verified.
 */
async function serversDependingOn(
  s: Stores,
  namespace: string,
  publisherId: string,
): Promise<string[]> {
  const out: string[] = [];
  for (let after: string | undefined; ;) {
    const page = await s.servers.list({ publisherId, after, limit: PAGE });
    for (const server of page) {
      if (server.namespace === namespace) out.push(server.name);
      else {
        const host = hostOf(server.origin);
        if (
          host &&
          hostWithinNamespace(host, namespace) &&
          !(await isOriginVerified(s.namespaces, { origin: server.origin, publisherId }))
        ) {
          out.push(server.name);
        }
      }
    }
    if (page.length < PAGE) return out;
    after = page[page.length - 1]!.name;
  }
}

async function withdraw(
  p: Persistence,
  dependents: OriginDependents,
  principal: Principal,
  namespace: string,
  change: { to: 'released' | 'revoked'; reason: string | null; authorize(ns: Namespace): void },
): Promise<WithdrawnNamespace> {
  const problem = namespaceProblem(namespace);
  if (problem) throw InvalidRequestError.field('path.namespace', problem);
  const result = await p.transact(async (s) => {
    await s.locks.acquire('registry-namespaces');
    const ns = await requireNamespace(s, namespace);
    change.authorize(ns);
    if (ns.status === change.to)
      return { namespace: ns, servers: [], revoked: { passports: [], certificates: [] } };
    if (ns.status !== 'verified') {
      const hint = ns.status === 'pending' ? '; reject a pending claim instead' : '';
      throw new ConflictError(
        `${namespace} is ${ns.status}, not verified: there is nothing to ${change.to === 'released' ? 'release' : 'revoke'}${hint}`,
      );
    }
    const now = p.clock.now();
    const withdrawn: Namespace = {
      ...ns,
      status: change.to,
      verificationMethod: null,
      verifiedAt: null,
      reason: change.reason,
      updatedAt: now,
    };
    // Updating the record waits for signing transactions that read it verified (findForShare) to
    // commit, so the revocations below see everything they issued.
    await s.namespaces.save(withdrawn);
    const servers = await serversDependingOn(s, namespace, ns.publisherId);
    const actor = actorOf(principal);
    const revoked = servers.length
      ? await dependents.revokeForServers(s, p.clock, {
          servers,
          publisherId: ns.publisherId,
          reason: 'cessationOfOperation',
          at: now,
          actor,
          cause: `namespace:${namespace} ${change.to}`,
        })
      : { passports: [], certificates: [] };
    await appendAuditEvent(s, p.clock, {
      actor,
      action: change.to === 'released' ? 'namespace.released' : 'namespace.revoked',
      subject: `namespace:${namespace}`,
      data: {
        publisher_id: ns.publisherId,
        previous_status: ns.status,
        verification_method: ns.verificationMethod,
        reason: change.reason,
        servers,
        revoked_passports: revoked.passports,
        revoked_certificates: revoked.certificates,
      },
    });
    return { namespace: withdrawn, servers, revoked };
  });
  if (result.revoked.passports.length || result.revoked.certificates.length)
    dependents.committed(result.revoked);
  return result;
}

/**
 * Its publisher gives a verified namespace up: anyone may claim it again. Another publisher's
 * token gets 403. Already released → unchanged.
 */
export function releaseNamespace(
  p: Persistence,
  dependents: OriginDependents,
  principal: Principal,
  namespace: string,
): Promise<WithdrawnNamespace> {
  return withdraw(p, dependents, principal, namespace, {
    to: 'released',
    reason: null,
    authorize: (ns) => assertActsFor(principal, ns.publisherId),
  });
}

/**
 * An admin revokes a verified namespace (the domain changed hands, the proof was obtained by
 * deceit…): its publisher may not claim it again unless an admin approves it; other publishers
 * may. Already revoked → unchanged.
 */
export function revokeNamespace(
  p: Persistence,
  dependents: OriginDependents,
  principal: Principal,
  namespace: string,
  reason: string,
): Promise<WithdrawnNamespace> {
  assertAdmin(principal, 'revoke namespaces');
  const text = reason.trim();
  if (text.length === 0 || text.length > NAMESPACE_REASON_MAX)
    throw InvalidRequestError.field('body.reason', `must be 1–${NAMESPACE_REASON_MAX} characters`);
  return withdraw(p, dependents, principal, namespace, {
    to: 'revoked',
    reason: text,
    authorize: () => {},
  });
}
