// Whether a namespace still proves the origins of a publisher's servers registered under it, and
// if not, why — the reason a signing operation for those servers is refused with 409.
import type { Stores } from '../stores.js';
import { reasonSuffix, type Namespace } from './namespace.js';

/** "namespace com.example is revoked: <reason>; …", for a namespace that is no longer verified. */
export function lostNamespaceMessage(ns: Pick<Namespace, 'namespace' | 'status' | 'reason'>): string {
  return `namespace ${ns.namespace} is ${ns.status}${reasonSuffix(ns)}; it no longer proves the origins of its servers, so nothing is signed for them`;
}

/**
 * Null while `namespace` is verified for `publisherId`; otherwise why not (released, revoked,
 * rejected, pending again, or held by another publisher). Reads the record with a share lock, so
 * call it inside the signing transaction: a release or revocation then waits for that transaction
 * and revokes what it issued.
 */
export async function namespaceProofProblem(s: Pick<Stores, 'namespaces'>, namespace: string, publisherId: string): Promise<string | null> {
  const ns = await s.namespaces.findForShare(namespace);
  if (!ns) return `namespace ${namespace} is not verified`;
  if (ns.publisherId !== publisherId) return `namespace ${namespace} now belongs to another publisher; nothing is signed for servers registered under it before`;
  if (ns.status !== 'verified') return lostNamespaceMessage(ns);
  return null;
}
