// Binds the domain's storage ports to a drizzle database or transaction.
import type { Clock } from '../clock.js';
import type { Locks, Persistence, Stores, TxStores } from '../stores.js';
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

/** Every store, bound to `db` (the root database or a transaction). */
export function storesFor(db: Database): Stores {
  return bareStores(db, NO_TRANSACTION_LOCKS);
}

/** The stores of the transaction `tx`, with its locks: the one place TxStores are made. */
function transactionStores(tx: Database): TxStores {
  const locks = transactionLocks(tx);
  const stores: Stores & { locks: Locks } = { ...bareStores(tx, locks), locks };
  return stores as TxStores;
}

/** `locks`: the transaction's, which the log store's sequencer lock goes through. */
function bareStores(db: Database, locks: TransactionLocks): Stores {
  return {
    keys: authorityKeyStore(db),
    anchors: anchorsStore(db),
    audit: auditStore(db),
    log: logStore(db, locks),
    publishers: publisherStore(db),
    tokens: apiTokenStore(db),
    agents: agentStore(db),
    passports: passportStore(db),
    challenges: challengeStore(db),
    chainLinks: chainLinkStore(db),
    namespaces: namespaceStore(db),
    servers: serverStore(db),
    manifests: manifestStore(db),
    mirror: mirrorStore(db),
    revocations: revocationStore(db),
    webhooks: webhookStore(db),
    webhookOutbox: webhookOutbox(db),
    adminUsers: adminUserStore(db),
    adminSessions: adminSessionStore(db),
    signInFailures: signInFailureStore(db),
    certificates: certificateStore(db),
    crls: crlStore(db),
  };
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
