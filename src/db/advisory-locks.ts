// The only place that issues PostgreSQL advisory-lock SQL (test/unit/locks-table.test.ts greps
// src/ for it). A transaction's locks go through transactionLocks, which keeps what that
// transaction holds and refuses an acquisition out of the order of the lock table (src/locks.ts);
// the migrations' session lock goes through takeSessionLock.
import { sql, type SQL } from 'drizzle-orm';
import {
  HeldLocks,
  LOCK_TABLE,
  type KeyedLockName,
  type SessionLockName,
  type TransactionLockName,
} from '../locks.js';
import type { Locks } from '../stores.js';
import type { Database } from './client.js';
import { rowsOf } from './rows.js';

/** A transaction's locks, as its stores use them. */
export interface TransactionLocks extends Locks {
  /** Takes `name` if no other transaction holds it; false (without waiting) otherwise. */
  tryAcquire(name: TransactionLockName): Promise<boolean>;
  /** What this transaction holds, in acquisition order. */
  held(): string[];
}

/** The locks of the transaction `tx`: each taken at most once, in the table's order. */
export function transactionLocks(tx: Database): TransactionLocks {
  const held = new HeldLocks();
  // `.then` at once, not `await` alone: drizzle hands a query to the driver only when its `then`
  // is called, and `await` calls it a microtask later. Called here, a lock is written before any
  // statement the caller issues after the call, even in the same batch (src/pipelined.ts), so the
  // server takes the lock first and the statements after it see what committed while it waited
  // (test/integration/key-lock-order.test.ts).
  const lock = (q: SQL): Promise<void> => tx.execute(q).then(() => undefined);
  return {
    acquire: async (name) => {
      if (!held.admit(name)) return;
      held.add(name);
      await lock(sql`select pg_advisory_xact_lock(${LOCK_TABLE[name].key})`);
    },
    acquireFor: async (name: KeyedLockName, id, mode = 'exclusive') => {
      if (!held.admit(name, id, mode)) return;
      held.add(name, id, mode);
      const key = LOCK_TABLE[name].key;
      await lock(
        mode === 'shared'
          ? sql`select pg_advisory_xact_lock_shared(${key}::int4, hashtext(${id}))`
          : sql`select pg_advisory_xact_lock(${key}::int4, hashtext(${id}))`,
      );
    },
    tryAcquire: async (name) => {
      if (!held.admit(name)) return true;
      const q = sql`select pg_try_advisory_xact_lock(${LOCK_TABLE[name].key}) as ok`;
      const [row] = rowsOf(await tx.execute(q));
      if (row?.ok !== true) return false;
      held.add(name);
      return true;
    },
    held: () => held.list(),
  };
}

const outside = async (): Promise<never> => {
  throw new Error(
    'advisory locks need a transaction (Persistence.transact): outside one, a ' +
      'transaction-level lock would end with its own statement',
  );
};

/** The locks of stores bound to no transaction: every acquisition throws. */
export const NO_TRANSACTION_LOCKS: TransactionLocks = {
  acquire: outside,
  acquireFor: outside,
  tryAcquire: outside,
  held: () => [],
};

/**
 * Takes the session lock `name` on `db`, which must be a connection of its own: it is held until
 * that connection ends (DatabaseHandle.withExclusiveSession).
 */
export async function takeSessionLock(db: Database, name: SessionLockName): Promise<void> {
  await db.execute(sql`select pg_advisory_lock(${LOCK_TABLE[name].key})`);
}
