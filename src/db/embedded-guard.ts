// The embedded database (PGlite) has one connection: while a transaction is open, every other
// query waits for it to end. A query through the unbound stores (Persistence.stores) — or a
// second `transact` — awaited from inside a transaction's callback therefore waits forever. The
// TxStores brand makes passing unbound stores a type error; this guard catches what types cannot
// see (a closure over `p.stores`) at run time, and throws a clear error instead of hanging.
//
// Only the callback's own async context counts (AsyncLocalStorage): other requests reading
// unbound stores meanwhile simply wait their turn, as PGlite serialises them, and so does work
// started inside the callback that runs on after it has returned.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { PGlite } from '@electric-sql/pglite';
import type { Stores } from '../stores.js';
import type { Database } from './client.js';

/** The PGlite clients openDatabase wrapped (client.ts), so this module need not load PGlite. */
const embeddedClients = new WeakSet<object>();

/** Marks `client` as an embedded database (done by openDatabase for every PGlite it opens). */
export function markEmbedded(client: PGlite): void {
  embeddedClients.add(client);
}

/** The open transaction, if any, of the async context that runs a `transact` callback. */
const inTransaction = new AsyncLocalStorage<{ client: PGlite; open: boolean }>();

/** Unbound reads or a nested transaction, awaited inside a transaction of the embedded database. */
export class EmbeddedDeadlockError extends Error {
  override name = 'EmbeddedDeadlockError';
}

export interface EmbeddedGuard {
  /** Runs a transaction's callback, marked as inside that transaction until it settles. */
  inside<T>(fn: () => Promise<T>): Promise<T>;
  /** Throws EmbeddedDeadlockError when called from inside an open transaction's callback. */
  assertOutside(what: string): void;
  /** `stores` whose every call first asserts it is made outside a transaction's callback. */
  guardStores(stores: Stores): Stores;
}

/** The guard of `db` when it is the embedded database; undefined for PostgreSQL (no such hang). */
export function embeddedGuard(db: Database): EmbeddedGuard | undefined {
  const client = (db as { $client?: PGlite }).$client;
  if (!client || !embeddedClients.has(client)) return undefined;
  const assertOutside = (what: string) => {
    const tx = inTransaction.getStore();
    if (tx?.client !== client || !tx.open) return;
    throw new EmbeddedDeadlockError(
      `${what} inside a transaction's callback on the embedded database would wait for that ` +
        'transaction forever (one connection): use the stores the callback was given ' +
        '(`p.transact(async (s) => … s.…)`), never through Persistence.stores',
    );
  };
  return {
    inside: (fn) => {
      const mark = { client, open: true };
      return inTransaction.run(mark, async () => {
        try {
          return await fn();
        } finally {
          mark.open = false;
        }
      });
    },
    assertOutside,
    guardStores: (stores) =>
      Object.fromEntries(
        Object.entries(stores).map(([name, store]) => [
          name,
          guardedStore(store as object, `Persistence.stores.${name}`, assertOutside),
        ]),
      ) as unknown as Stores,
  };
}

function guardedStore<T extends object>(
  store: T,
  name: string,
  assertOutside: (what: string) => void,
): T {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      if (!wrapped.has(key)) {
        const fn = value as (...args: unknown[]) => unknown;
        wrapped.set(key, (...args: unknown[]) => {
          assertOutside(`reading ${name}.${String(key)}()`);
          return fn.apply(target, args);
        });
      }
      return wrapped.get(key);
    },
  });
}
