// The rows of a raw `db.execute()`, whichever driver ran it.

/** db.execute() returns `{rows}` on PGlite but an array on postgres.js. */
export function rowsOf(result: unknown): Record<string, unknown>[] {
  if (Array.isArray(result)) return result as Record<string, unknown>[];
  return (result as { rows?: Record<string, unknown>[] }).rows ?? [];
}
