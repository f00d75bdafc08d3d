// The storage ports of every domain, gathered: what a transaction can touch. Domain folders own
// their store interfaces; src/db/ implements them; nothing here imports drizzle.
import type { AgentStore } from './agents/store.js';
import type { AdminUserStore } from './admin/admin-user-store.js';
import type { AdminSessionStore } from './admin/session-store.js';
import type { SignInFailureStore } from './admin/sign-in-failure-store.js';
import type { AuditStore } from './audit/store.js';
import type { LogStore } from './log/store.js';
import type { CertificateStore, CrlStore } from './certificates/store.js';
import type { Clock } from './clock.js';
import type { KeyedLockName, LockMode, TransactionLockName } from './locks.js';
import type { AnchorsStore } from './keys/anchors-store.js';
import type { AuthorityKeyStore } from './keys/store.js';
import type { ChainLinkStore, ChallengeStore, PassportStore } from './passports/store.js';
import type { ManifestStore } from './manifests/store.js';
import type { MirrorStore } from './registry/mirror-store.js';
import type { ApiTokenStore } from './auth/api-token-store.js';
import type { NamespaceStore } from './registry/namespace-store.js';
import type { PublisherStore } from './registry/publisher-store.js';
import type { ServerStore } from './registry/server-store.js';
import type { RevocationStore } from './revocation/store.js';
import type { WebhookOutbox, WebhookStore } from './webhooks/store.js';

/**
 * A transaction's named locks (advisory locks in PostgreSQL), from the lock table of
 * src/locks.ts: taken in the table's order (an acquisition out of order throws LockOrderError),
 * each held until commit or rollback; taking one already held does nothing.
 */
export interface Locks {
  /** Blocks until this transaction holds `name`. */
  acquire(name: TransactionLockName): Promise<void>;
  /**
   * Blocks until this transaction holds `name` for `id`, exclusive unless `mode` is 'shared'
   * (shared holders do not wait for each other; an exclusive one waits for all, and they for it).
   * Take it before touching any row (rows are locked after it everywhere); several only in
   * increasing id order.
   */
  acquireFor(name: KeyedLockName, id: string, mode?: LockMode): Promise<void>;
}

export interface Stores {
  keys: AuthorityKeyStore;
  anchors: AnchorsStore;
  audit: AuditStore;
  log: LogStore;
  publishers: PublisherStore;
  tokens: ApiTokenStore;
  agents: AgentStore;
  passports: PassportStore;
  challenges: ChallengeStore;
  chainLinks: ChainLinkStore;
  namespaces: NamespaceStore;
  servers: ServerStore;
  manifests: ManifestStore;
  mirror: MirrorStore;
  revocations: RevocationStore;
  webhooks: WebhookStore;
  webhookOutbox: WebhookOutbox;
  adminUsers: AdminUserStore;
  adminSessions: AdminSessionStore;
  signInFailures: SignInFailureStore;
  certificates: CertificateStore;
  crls: CrlStore;
}

declare const transactionBound: unique symbol;
/** The brand only `transact` gives: these stores belong to one open transaction. */
export interface TransactionBound {
  readonly [transactionBound]: true;
}
/** A function that must run inside a transaction takes its stores as `InTransaction<…>`. */
export type InTransaction<T> = T & TransactionBound;

/**
 * The stores of one transaction, made only by `Persistence.transact`: everything they read and
 * write commits or rolls back together, and only they have locks (held to the transaction's end).
 * The unbound `Persistence.stores` are not assignable to them — a type error, where reading them
 * inside a transaction would hang on the embedded database.
 */
export interface TxStores extends Stores, TransactionBound {
  locks: Locks;
}

/** Runs `fn` in one database transaction; everything it writes commits or nothing does. */
export type Transact = <T>(fn: (stores: TxStores) => Promise<T>) => Promise<T>;

/** What domain operations receive: storage outside and inside transactions, and the time. */
export interface Persistence {
  /** Stores bound to no transaction: for reads (no locks: those need a transaction). */
  stores: Stores;
  transact: Transact;
  clock: Clock;
}
