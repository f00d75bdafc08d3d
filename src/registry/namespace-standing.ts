// Whether the namespaces behind a server still prove its origin, and if not, why — the reason a
// signing operation for the server is refused with 409 once a namespace was rejected, released,
// revoked or moved to another publisher.
import { pipelined } from '../pipelined.js';
import type { Stores } from '../stores.js';
import { reasonSuffix, type Namespace, type NamespaceStatus } from './namespace.js';
import { namespacesCoveringHost } from './namespace-name.js';
import { isOriginVerified } from './origin-verification.js';

/** Statuses of a namespace its publisher held and lost. */
const WITHDRAWN: readonly NamespaceStatus[] = ['rejected', 'released', 'revoked'];

/** "namespace com.example is revoked: <reason>; …", for a namespace that is no longer verified. */
export function lostNamespaceMessage(
  ns: Pick<Namespace, 'namespace' | 'status' | 'reason'>,
): string {
  return `namespace ${ns.namespace} is ${ns.status}${reasonSuffix(ns)}; it no longer proves the origins of its servers, so nothing is signed for them`;
}

/**
 * Null while `namespace` is verified for `publisherId`; otherwise why not (released, revoked,
 * rejected, pending again, or held by another publisher). Reads the record with a share lock, so
 * call it inside the signing transaction: a release or revocation then waits for that transaction
 * and revokes what it issued.
 */
export async function namespaceProofProblem(
  s: Pick<Stores, 'namespaces'>,
  namespace: string,
  publisherId: string,
): Promise<string | null> {
  const ns = await s.namespaces.findForShare(namespace);
  if (!ns) return `namespace ${namespace} is not verified`;
  if (ns.publisherId !== publisherId)
    return `namespace ${namespace} now belongs to another publisher; nothing is signed for servers registered under it before`;
  if (ns.status !== 'verified') return lostNamespaceMessage(ns);
  return null;
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    return undefined;
  }
}

/**
 * Why a registered server's origin lost the namespace proof behind it, or null: its own namespace
 * is no longer verified for its publisher (namespaceProofProblem), or its origin host lies within
 * a namespace that this publisher lost (rejected, released, revoked) or that another publisher
 * holds verified, and no namespace the publisher holds verified covers it. Origins that no
 * namespace record covers are not judged here.
 */
export async function originProofProblem(
  s: Pick<Stores, 'namespaces'>,
  server: { namespace: string; publisherId: string; origin: string },
): Promise<string | null> {
  const host = hostOf(server.origin);
  // Both reads at once (one round trip); the answer is the one the sequential checks give: the
  // server's own namespace first. Both only read (FOR SHARE), so the second costs nothing when
  // the first already refuses.
  const [own, verified] = await pipelined([
    namespaceProofProblem(s, server.namespace, server.publisherId),
    host
      ? isOriginVerified(s.namespaces, { origin: server.origin, publisherId: server.publisherId })
      : Promise.resolve(false),
  ] as const);
  if (own) return own;
  if (!host || verified) return null;
  for (const name of namespacesCoveringHost(host).reverse()) {
    const ns = await s.namespaces.findForShare(name);
    if (!ns) continue;
    if (ns.publisherId !== server.publisherId && ns.status === 'verified')
      return `origin host ${host} lies within namespace ${name}, verified by another publisher`;
    if (ns.publisherId === server.publisherId && WITHDRAWN.includes(ns.status))
      return `origin host ${host} lies within namespace ${name}, which is ${ns.status}${reasonSuffix(ns)}; nothing is signed for it`;
  }
  return null;
}
