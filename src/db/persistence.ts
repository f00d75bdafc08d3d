// Binds the domain's storage ports to a drizzle database or transaction.
import { sql } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import type { LockName, Persistence, Stores } from '../stores.js';
import type { Database } from './client.js';
import { LOCK_KEYS } from './locks.js';
import { apiTokenStore } from './stores/api-token-store.js';
import { auditStore } from './stores/audit-store.js';
import { authorityKeyStore } from './stores/authority-key-store.js';
import { certificateStore } from './stores/certificate-store.js';
import { crlStore } from './stores/crl-store.js';
import { publisherStore } from './stores/publisher-store.js';

const LOCK_KEY_OF: Record<LockName, number> = {
  'authority-keys': LOCK_KEYS.authorityKeys,
  'audit-chain': LOCK_KEYS.auditChain,
  'bootstrap-token': LOCK_KEYS.bootstrapToken,
  'crl-publication': LOCK_KEYS.crlPublication,
};

/** Every store, bound to `db` (the root database or a transaction). */
export function storesFor(db: Database): Stores {
  return {
    keys: authorityKeyStore(db),
    audit: auditStore(db),
    publishers: publisherStore(db),
    tokens: apiTokenStore(db),
    certificates: certificateStore(db),
    crls: crlStore(db),
    locks: {
      acquire: async (name) => {
        await db.execute(sql`select pg_advisory_xact_lock(${LOCK_KEY_OF[name]})`);
      },
    },
  };
}

/** The Persistence the domain operations run against. */
export function createPersistence(db: Database, clock: Clock): Persistence {
  return {
    stores: storesFor(db),
    transact: (fn) => db.transaction((tx) => fn(storesFor(tx as unknown as Database))),
    clock,
  };
}
