// Times and identifiers as the admin UI shows them: UTC, to the second, machine-readable too.

/** `2026-01-02 03:04:05 UTC` */
export function formatTime(d: Date): string {
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A `<time>` element; "—" when absent. */
export function Time({ value }: { value: Date | null | undefined }) {
  if (!value) return <span aria-label="none">—</span>;
  return <time datetime={value.toISOString()}>{formatTime(value)}</time>;
}

/** An identifier in monospace that can be selected whole. */
export function Id({ value }: { value: string }) {
  return <code class="id">{value}</code>;
}
