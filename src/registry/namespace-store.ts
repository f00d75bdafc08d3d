// Storage port of namespaces and of the rival claims on them.
import type { Namespace, NamespaceClaim, NamespaceStatus } from './namespace.js';

export interface NamespaceStore {
  find(namespace: string): Promise<Namespace | undefined>;
  /**
   * Like find, and holds a share lock on the record until the end of the transaction: a signing
   * operation that checked the namespace is verified commits before a release or revocation of
   * it can, so that revocation sees (and revokes) what it signed.
   */
  findForShare(namespace: string): Promise<Namespace | undefined>;
  /** Inserts the row of `ns.namespace`, or replaces it (a re-claim or a status change). */
  save(ns: Namespace): Promise<void>;
  /**
   * The verified namespaces among `names`. With `lock: 'share'` (inside a transaction) the rows
   * stay locked against changes until it ends: a signing point reads its proof this way. So a
   * namespace state change (reject, release, revoke) must write the namespace row before it
   * takes the log-sequencer or revocation-feed lock (docs/locks.md), or it can deadlock with a
   * signing transaction that holds the row and waits for those locks.
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

  /** The rival claim of `publisherId` on `namespace`, if any. */
  findClaim(namespace: string, publisherId: string): Promise<NamespaceClaim | undefined>;
  /** Inserts or replaces the rival claim of (namespace, publisherId). */
  saveClaim(claim: NamespaceClaim): Promise<void>;
  /** Deletes the rival claims on `namespace` (only `publisherId`'s, when given). */
  deleteClaims(namespace: string, publisherId?: string): Promise<void>;
  /** Rival claims on `namespace`, oldest first. */
  listClaimsOn(namespace: string): Promise<NamespaceClaim[]>;
  /** A publisher's rival claims, ordered by name; `after` and `search` as in list. */
  listClaimsOf(o: {
    publisherId: string;
    search?: string | undefined;
    after?: string | undefined;
    limit: number;
  }): Promise<NamespaceClaim[]>;
}
