// An admin's decisions on a namespace claim: approve it without a challenge (the record's claim
// or a rival's, which then takes the namespace over) or reject it.
import { appendAuditEvent } from '../audit/append.js';
import { actorOf, type Principal } from '../auth/principal.js';
import { ConflictError, InvalidRequestError } from '../errors.js';
import type { Persistence, TxStores } from '../stores.js';
import {
  assertAdmin,
  claimAsNamespace,
  recordVerified,
  requireNamespace,
  requireNamespaceName,
  type Namespace,
} from './namespace.js';

/** An admin's change of one namespace: checked name, namespaces lock taken, the record read. */
function asAdminOnNamespace<T>(
  p: Persistence,
  principal: Principal,
  namespace: string,
  fn: (s: TxStores, ns: Namespace) => Promise<T>,
): Promise<T> {
  assertAdmin(principal);
  requireNamespaceName(namespace, 'path.namespace');
  return p.transact(async (s) => {
    await s.locks.acquire('registry-namespaces');
    return fn(s, await requireNamespace(s, namespace));
  });
}

/**
 * An admin marks a claim verified without a challenge: the record's claim, or — naming its
 * publisher — a rival claim, which then takes the namespace over (audited, naming the claim it
 * replaced). Already verified for that publisher → unchanged.
 */
export async function approveNamespace(
  p: Persistence,
  principal: Principal,
  namespace: string,
  o: { publisherId?: string | undefined } = {},
): Promise<Namespace> {
  return asAdminOnNamespace(p, principal, namespace, async (s, ns) => {
    const now = p.clock.now();
    if (o.publisherId !== undefined && o.publisherId !== ns.publisherId) {
      const rival = await s.namespaces.findClaim(namespace, o.publisherId);
      if (!rival)
        throw InvalidRequestError.field(
          'body.publisher_id',
          `publisher ${o.publisherId} holds no claim on ${namespace}`,
        );
      if (ns.status === 'verified')
        throw new ConflictError(`${namespace} is verified by another publisher; revoke it first`);
      const approved: Namespace = {
        ...claimAsNamespace(rival),
        status: 'verified',
        verificationMethod: 'admin',
        verifiedAt: now,
        updatedAt: now,
      };
      return recordVerified(s, p, principal, approved, 'namespace.approved', {
        publisher_id: rival.publisherId,
        previous_status: 'pending',
        took_over_from: { publisher_id: ns.publisherId, status: ns.status },
      });
    }
    if (ns.status === 'verified') return ns;
    const approved: Namespace = {
      ...ns,
      status: 'verified',
      verificationMethod: 'admin',
      verifiedAt: now,
      reason: null,
      updatedAt: now,
    };
    return recordVerified(s, p, principal, approved, 'namespace.approved', {
      publisher_id: ns.publisherId,
      previous_status: ns.status,
    });
  });
}

/**
 * An admin rejects a pending claim: the publisher cannot verify it, and another publisher may
 * claim the namespace. Already rejected → unchanged. A verified namespace is revoked instead
 * (revokeNamespace), which also revokes what was signed on its strength.
 */
export async function rejectNamespace(
  p: Persistence,
  principal: Principal,
  namespace: string,
  reason: string | null,
): Promise<Namespace> {
  return asAdminOnNamespace(p, principal, namespace, async (s, ns) => {
    if (ns.status === 'rejected') return ns;
    if (ns.status === 'verified')
      throw new ConflictError(
        `${namespace} is verified; revoke it instead (POST /v1/namespaces/${namespace}/revoke)`,
      );
    if (ns.status !== 'pending')
      throw new ConflictError(`${namespace} is ${ns.status}: there is no claim to reject`);
    const now = p.clock.now();
    const rejected: Namespace = {
      ...ns,
      status: 'rejected',
      verificationMethod: null,
      verifiedAt: null,
      reason,
      updatedAt: now,
    };
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
