// The rows of a raw `db.execute()`, whichever driver ran it.

/** db.execute() returns `{rows}` on PGlite but an array on postgres.js (STACK-NOTES.md pitfall 6). */
export function rowsOf(result: unknown): Record<string, unknown>[] {
  return Array.isArray(result) ? result : ((result as { rows: Record<string, unknown>[] }).rows ?? []);
}
