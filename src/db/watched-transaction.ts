// The pool's transactions, on a reserved postgres.js connection that is watched for closing.
//
// postgres.js's own `begin` keeps handing the callback's statements to the transaction's
// connection after that connection has closed. Once the pool has reconnected it for other work,
// a late statement runs there, outside its transaction, and the caller can wait forever.
// CI showed it (test/unit/db/transaction-semantics.test.ts): a backend terminated mid-transaction;
// the callback's next insert ran 0.2 s later on a new backend, which stayed "idle in transaction";
// the request never settled. Here a statement issued after the connection closed fails at once,
// and the closed connection is not handed back (the pool has already taken it back, to
// reconnect).
//
// BEGIN is written without waiting for its answer: the transaction's first statements follow it in
// the same batch (postgres.js writes what a connection is given in one tick together). That saves
// a round trip but, measured, no CPU (BENCHMARKS.md).
//
// Otherwise the guarantees are postgres.js's own. A statement that failed fails the transaction
// even when its error was caught; it is rethrown after the rollback. COMMIT is sent only once the
// callback has settled. A transaction PostgreSQL aborted never reports success: COMMIT's command
// tag must be COMMIT.
import type postgres from 'postgres';

type Sql = ReturnType<typeof postgres>;
/** What postgres.js hands `onexecute`: the connection a query was written to. */
interface Connection {
  onclose: ((err: unknown) => void) | null;
}

const ABORTED = '25P02'; // in_failed_sql_transaction: the error that only echoes an earlier one

/**
 * Runs `fn` in a transaction on `pool`. `wrap` makes the transaction's client (e.g. prepared
 * statements); `unsafe` is how drizzle sends every query, and it is what is watched.
 */
export async function watchedTransaction<T>(
  pool: Sql,
  options: string,
  fn: (tx: Sql) => Promise<T>,
  wrap: (tx: Sql) => Sql,
): Promise<T> {
  const reserved = await pool.reserve();
  let failure: unknown;
  let closed: unknown;
  let connection: Connection | undefined;
  const fail = (err: unknown) => {
    failure ??= err;
  };
  const onexecute = (c: Connection) => {
    connection = c;
    c.onclose = (err) => {
      closed = err ?? new Error('the database connection closed');
    };
    return true; // keep writing: the statements after BEGIN go in the same batch
  };
  const begun = reserved
    .unsafe(`begin ${options.replace(/[^a-z ]/gi, '')}`, [], { onexecute } as never)
    .then(() => undefined, fail);
  const tx = wrap(watched(reserved, fail, () => closed));
  try {
    const result = await fn(tx);
    await begun;
    if (failure !== undefined) throw failure;
    const done = await reserved.unsafe('commit');
    if (done.command !== 'COMMIT')
      throw new Error(`the transaction was aborted: COMMIT answered ${done.command}`);
    return result;
  } catch (err) {
    await begun;
    if (closed === undefined) await reserved.unsafe('rollback').catch(() => {});
    throw (isAborted(err) && failure) || err;
  } finally {
    if (closed === undefined) {
      if (connection) connection.onclose = null;
      reserved.release();
    }
  }
}

function isAborted(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === ABORTED;
}

/**
 * The reserved client as the transaction uses it. Every query's failure is recorded. Once the
 * connection has closed, a query fails at once instead of being written to it.
 */
function watched(reserved: Sql, fail: (err: unknown) => void, closed: () => unknown): Sql {
  return new Proxy(reserved, {
    get(target, key, receiver) {
      if (key === 'unsafe') {
        return (query: string, args?: unknown[], options?: Record<string, unknown>) => {
          const gone = closed();
          if (gone !== undefined) return closedQuery(gone);
          const q = target.unsafe(query, args as never[], options as never);
          // Attaching a handler starts the query a microtask later, after the caller has set
          // its result format (`.values()`); the caller awaits the query itself as well.
          q.catch(fail);
          return q;
        };
      }
      if (key === 'savepoint' || key === 'begin')
        return () => {
          throw new Error('nested transactions are not supported here');
        };
      return Reflect.get(target, key, receiver);
    },
  });
}

/** A query that fails with `err`, with the result-format methods drizzle calls on queries. */
function closedQuery(err: unknown) {
  const p = Promise.reject(err as Error) as Promise<never> & {
    values(): unknown;
    raw(): unknown;
  };
  p.values = () => p;
  p.raw = () => p;
  return p;
}
