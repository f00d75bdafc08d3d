// Storage port of namespaces.
import type { Namespace, NamespaceStatus } from './namespace.js';

export interface NamespaceStore {
  find(namespace: string): Promise<Namespace | undefined>;
  /** Inserts the row of `ns.namespace`, or replaces it (a re-claim or a status change). */
  save(ns: Namespace): Promise<void>;
  /**
   * The verified namespaces among `names`. With `lock: 'share'` (inside a transaction) the rows
   * stay locked against changes until it ends: a signing point reads its proof this way. So a
   * namespace state change (reject, release, revoke) must write the namespace row before it
   * takes the audit-chain or revocation-feed lock, or it can deadlock with a signing transaction
   * that holds the row and waits for those locks.
   */
  findVerified(names: string[], o?: { lock?: 'share' }): Promise<Namespace[]>;
  /** Ordered by name; `after` is a name; `search` matches a substring of the name, any case. */
  list(o: {
    publisherId?: string | undefined;
    status?: NamespaceStatus | undefined;
    search?: string | undefined;
    after?: string | undefined;
    limit: number;
  }): Promise<Namespace[]>;
  /** Namespaces (with `status`, when given). */
  count(o?: { status?: NamespaceStatus }): Promise<number>;
}
