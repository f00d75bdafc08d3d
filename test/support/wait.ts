// Waiting in tests for something that happens asynchronously by design (a delivery, a change
// notice, a transaction reaching a lock), polled, with a deadline instead of a fixed sleep.

/**
 * Calls `fn` every `intervalMs` until it returns something other than undefined, and returns
 * that; fails naming `what` after `timeoutMs`.
 */
export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs = 10_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
