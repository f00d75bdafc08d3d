// Classifies driver errors. drizzle 0.45 wraps them: the SQLSTATE is at `cause.code`
// (STACK-NOTES.md pitfall 6).

function codeOf(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && e && typeof e === 'object'; i += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** True for a unique-constraint violation (23505). */
export function isUniqueViolation(err: unknown): boolean {
  return codeOf(err) === '23505';
}

/** True for serialization failures and deadlocks, which the caller may retry. */
export function isRetryableConflict(err: unknown): boolean {
  const code = codeOf(err);
  return code === '40001' || code === '40P01';
}

const UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '53300', // too_many_connections
]);

/** True when the database cannot be reached right now (the request may be retried later). */
export function isDatabaseUnavailable(err: unknown): boolean {
  const code = codeOf(err);
  return code !== undefined && UNAVAILABLE.has(code);
}
