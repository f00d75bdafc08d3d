// Every advisory lock of the service in one table: its PostgreSQL key, its rank in the one order
// in which a transaction may take locks, what it protects and how long it is held. docs/locks.md
// documents the same table (test/unit/locks-table.test.ts checks they agree). Locks are taken only
// through src/db/advisory-locks.ts, which keeps what each transaction holds (HeldLocks) and
// refuses an acquisition out of this order: two transactions that take locks in one order cannot
// deadlock on them.

/** `transaction`: held until commit or rollback; `session`: held by a connection until released. */
export type LockScope = 'transaction' | 'session';

export interface LockSpec {
  /**
   * The advisory-lock key (int4). A keyed lock uses it as the first of two keys, with
   * hashtext(id) as the second.
   */
  key: number;
  /** Place in the acquisition order: a transaction takes locks by increasing rank. */
  rank: number;
  scope: LockScope;
  /** One lock per id (e.g. per public key); several of them only in increasing id order. */
  keyed: boolean;
  /** What holding it excludes, and who takes it. */
  protects: string;
}

/**
 * The lock table, in acquisition order. Keys never change (instances of two versions may share
 * one PostgreSQL during an upgrade); a new lock gets a new key and a rank that fits every
 * transaction taking it (docs/locks.md says how to choose).
 */
export const LOCK_TABLE = {
  migrations: {
    key: 7_301_001,
    rank: 0,
    scope: 'session',
    keyed: false,
    protects:
      'applying migrations: exactly one of the instances starting at once applies them ' +
      '(src/db/migrate.ts)',
  },
  'authority-keys': {
    key: 7_301_002,
    rank: 10,
    scope: 'transaction',
    keyed: false,
    protects:
      "the TA's own keys: first-start key creation, prepare, activate, retire and revoke, " +
      'and the anchors version each publishes (src/keys/)',
  },
  'registry-namespaces': {
    key: 7_301_202,
    rank: 20,
    scope: 'transaction',
    keyed: false,
    protects:
      'namespace claims and their states: claim, verify, approve, reject, release and revoke, ' +
      'one at a time (src/registry/namespace*.ts)',
  },
  'subject-key': {
    key: 7_301_302,
    rank: 30,
    scope: 'transaction',
    keyed: true,
    protects:
      'one subject public key (id: its RFC 7638 thumbprint): certifying it (shared: issuances of ' +
      'one key run side by side) and revoking it or superseding its passport (exclusive) exclude ' +
      'each other; taken before any row (src/revocation/follow-key.ts)',
  },
  'bootstrap-token': {
    key: 7_301_004,
    rank: 40,
    scope: 'transaction',
    keyed: false,
    protects: 'redeeming the one-time bootstrap token: exactly one first admin is created with it',
  },
  'crl-publication': {
    key: 7_301_301,
    rank: 50,
    scope: 'transaction',
    keyed: false,
    protects:
      'one X.509 CRL publication at a time across instances, so a higher CRL number never lists ' +
      'fewer revocations (src/certificates/crl-publication.ts)',
  },
  'log-sequencer': {
    key: 7_301_003,
    rank: 60,
    scope: 'transaction',
    keyed: false,
    protects:
      'giving audit events their seq: gapless, in commit order; the sequencer tries it, a change ' +
      'that must cite its own seq waits for it (src/log/)',
  },
  'revocation-feed': {
    key: 7_301_201,
    rank: 70,
    scope: 'transaction',
    keyed: false,
    protects:
      'the revocation feed seq and its webhook outbox range; taken last, near the end of the ' +
      'transaction (src/revocation/revocation.ts)',
  },
} as const satisfies Record<string, LockSpec>;

/** The name of a lock of the table: the one lock vocabulary of the service. */
export type LockName = keyof typeof LOCK_TABLE;
type NamesWhere<P> = { [K in LockName]: (typeof LOCK_TABLE)[K] extends P ? K : never }[LockName];
/** Held by a connection (not a transaction): taken with DatabaseHandle.withExclusiveSession. */
export type SessionLockName = NamesWhere<{ scope: 'session' }>;
/** A lock with one instance per id: `Locks.acquireFor`. */
export type KeyedLockName = NamesWhere<{ keyed: true }>;
/** A transaction's single-instance lock: `Locks.acquire`. */
export type TransactionLockName = Exclude<NamesWhere<{ scope: 'transaction' }>, KeyedLockName>;

/** A lock asked for out of the table's order: a programming error (it could deadlock). */
export class LockOrderError extends Error {
  override name = 'LockOrderError';
}

const describe = (name: LockName, id: string | undefined) =>
  id === undefined ? `'${name}'` : `'${name}' (${id})`;

/**
 * How a keyed lock is held: `shared` by the operations that may run side by side (certifying a
 * key), `exclusive` by the one that must run alone (revoking it).
 */
export type LockMode = 'shared' | 'exclusive';

/**
 * The locks one transaction holds, in the order it took them. `admit` says whether a lock must
 * still be taken and throws LockOrderError when taking it now would break the table's order:
 * a lower rank than one held, or a keyed lock's id below one of the same name already held.
 */
export class HeldLocks {
  readonly #held: Array<{ name: LockName; id: string | undefined; mode: LockMode }> = [];

  /**
   * False when the transaction already holds it in this mode or a stronger one (advisory locks
   * are re-entrant). A keyed lock held shared cannot be taken exclusive later in the same
   * transaction: that upgrade could deadlock with another transaction doing the same.
   */
  admit(name: LockName, id?: string, mode: LockMode = 'exclusive'): boolean {
    const same = this.#held.find((h) => h.name === name && h.id === id);
    if (same) {
      if (same.mode === 'shared' && mode === 'exclusive')
        throw new LockOrderError(
          `lock order: ${describe(name, id)} asked for exclusive while this transaction holds it ` +
            'shared; take it exclusive from the start (docs/locks.md)',
        );
      return false;
    }
    const rank = LOCK_TABLE[name].rank;
    for (const h of this.#held) {
      const heldRank = LOCK_TABLE[h.name].rank;
      const sameNameBelow = h.name === name && h.id !== undefined && id !== undefined && h.id < id;
      if (heldRank < rank || sameNameBelow) continue;
      throw new LockOrderError(
        `lock order: ${describe(name, id)} (rank ${rank}) asked for while this transaction holds ` +
          `${describe(h.name, h.id)} (rank ${heldRank}); take locks in the order of docs/locks.md`,
      );
    }
    return true;
  }

  /** Records that the transaction now holds it. */
  add(name: LockName, id?: string, mode: LockMode = 'exclusive'): void {
    this.#held.push({ name, id, mode });
  }

  /** What is held, in acquisition order (for messages and tests). */
  list(): string[] {
    return this.#held.map((h) => describe(h.name, h.id));
  }
}
