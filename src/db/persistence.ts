// Binds the domain's storage ports to a drizzle database or transaction.
import type { Clock } from '../clock.js';
import type { Persistence, Stores, TxStores } from '../stores.js';
import { NO_TRANSACTION_LOCKS, transactionLocks, type TransactionLocks } from './advisory-locks.js';
import type { Database } from './client.js';
import { embeddedGuard } from './embedded-guard.js';
import { isRetryableConflict } from './errors.js';
import { anchorsStore } from './stores/anchors-store.js';
import { agentStore } from './stores/agent-store.js';
import { adminSessionStore } from './stores/admin-session-store.js';
import { adminUserStore } from './stores/admin-user-store.js';
import { apiTokenStore } from './stores/api-token-store.js';
import { auditStore } from './stores/audit-store.js';
import { logStore } from './stores/log-store.js';
import { authorityKeyStore } from './stores/authority-key-store.js';
import { chainLinkStore, challengeStore, passportStore } from './stores/passport-store.js';
import { manifestStore } from './stores/manifest-store.js';
import { mirrorStore } from './stores/mirror-store.js';
import { namespaceStore } from './stores/namespace-store.js';
import { certificateStore } from './stores/certificate-store.js';
import { crlStore } from './stores/crl-store.js';
import { publisherStore } from './stores/publisher-store.js';
import { revocationStore } from './stores/revocation-store.js';
import { serverStore } from './stores/server-store.js';
import { signInFailureStore } from './stores/sign-in-failure-store.js';
import { webhookOutbox, webhookStore } from './stores/webhook-store.js';

type StoreFactories = {
  [K in keyof Stores]: (db: Database, locks: TransactionLocks) => Stores[K];
};

/** How each store is bound to a database; `locks`: the log store's sequencer lock goes through it. */
const FACTORIES: StoreFactories = {
  keys: (db) => authorityKeyStore(db),
  anchors: (db) => anchorsStore(db),
  audit: (db) => auditStore(db),
  log: (db, locks) => logStore(db, locks),
  publishers: (db) => publisherStore(db),
  tokens: (db) => apiTokenStore(db),
  agents: (db) => agentStore(db),
  passports: (db) => passportStore(db),
  challenges: (db) => challengeStore(db),
  chainLinks: (db) => chainLinkStore(db),
  namespaces: (db) => namespaceStore(db),
  servers: (db) => serverStore(db),
  manifests: (db) => manifestStore(db),
  mirror: (db) => mirrorStore(db),
  revocations: (db) => revocationStore(db),
  webhooks: (db) => webhookStore(db),
  webhookOutbox: (db) => webhookOutbox(db),
  adminUsers: (db) => adminUserStore(db),
  adminSessions: (db) => adminSessionStore(db),
  signInFailures: (db) => signInFailureStore(db),
  certificates: (db) => certificateStore(db),
  crls: (db) => crlStore(db),
};
const STORE_NAMES = Object.keys(FACTORIES) as (keyof Stores)[];

/** Every store, bound to `db` (the root database, made once). */
export function storesFor(db: Database): Stores {
  const stores: Partial<Record<keyof Stores, unknown>> = {};
  for (const name of STORE_NAMES) stores[name] = FACTORIES[name](db, NO_TRANSACTION_LOCKS);
  return stores as Stores;
}

/**
 * A transaction's stores, each bound on first use: a transaction touches two to five of the 22,
 * and binding all of them cost a publisher write ~7 % of its CPU (a CPU profile under
 * `npm run bench`: the stores' closures made and named per transaction).
 */
class TransactionStores {
  readonly made: Partial<Record<keyof Stores, unknown>> = {};
  constructor(
    readonly db: Database,
    readonly locks: TransactionLocks,
  ) {}
}
for (const name of STORE_NAMES) {
  Object.defineProperty(TransactionStores.prototype, name, {
    enumerable: true,
    get(this: TransactionStores) {
      return (this.made[name] ??= FACTORIES[name](this.db, this.locks));
    },
  });
}

/** The stores of the transaction `tx`, with its locks: the one place TxStores are made. */
function transactionStores(tx: Database): TxStores {
  return new TransactionStores(tx, transactionLocks(tx)) as unknown as TxStores;
}

/**
 * The Persistence the domain operations run against. `afterCommit` runs once a transaction has
 * committed, before its caller sees the result (the signed-read cache drops what this instance
 * holds, so a caller reads its own write at once; other instances hear of it by NOTIFY). A
 * transaction PostgreSQL aborts as a deadlock victim or for a serialization failure (40P01,
 * 40001) is run once more from the start — everything it wrote was rolled back — and a second
 * such failure propagates, which the HTTP layer answers 503 with Retry-After
 * (src/http/error-handler.ts).
 */
export function createPersistence(
  db: Database,
  clock: Clock,
  o: { afterCommit?: () => void } = {},
): Persistence {
  // On the embedded database, unbound reads and nested transactions from inside a transaction's
  // callback throw instead of waiting forever (embedded-guard.ts).
  const guard = embeddedGuard(db);
  const once = <T>(fn: (s: TxStores) => Promise<T>) =>
    db.transaction((tx) => {
      const stores = transactionStores(tx as unknown as Database);
      return guard ? guard.inside(() => fn(stores)) : fn(stores);
    });
  const stores = storesFor(db);
  return {
    stores: guard ? guard.guardStores(stores) : stores,
    transact: async (fn) => {
      guard?.assertOutside('starting a transaction');
      let result;
      try {
        result = await once(fn);
      } catch (err) {
        if (!isRetryableConflict(err)) throw err;
        result = await once(fn);
      }
      o.afterCommit?.();
      return result;
    },
    clock,
  };
}
