// Independent statements of one transaction, sent together: on PostgreSQL the driver writes
// statements issued in the same tick as one batch on the transaction's connection, so they cost
// one round trip instead of one each (PGlite runs them one after another, with the same result).

/**
 * Awaits every step, then fails with the first failure in argument order — the one a sequential
 * run would have met first (a later statement of an aborted transaction only fails with "current
 * transaction is aborted"). Waiting for all of them matters: a transaction must not roll back or
 * commit while one of its statements is still in flight.
 *
 * Only for steps a sequential run would have run regardless of each other's results: any step's
 * failure rolls the whole transaction back, so a step that ran beside a failed one leaves nothing.
 */
export async function pipelined<T extends readonly unknown[]>(steps: {
  readonly [K in keyof T]: Promise<T[K]>;
}): Promise<T> {
  const settled = await Promise.allSettled(steps);
  const values: unknown[] = [];
  for (const s of settled) {
    if (s.status === 'rejected') throw s.reason;
    values.push(s.value);
  }
  return values as unknown as T;
}
