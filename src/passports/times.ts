// Passport times are RFC 3339 in UTC with milliseconds, exactly `YYYY-MM-DDTHH:MM:SS.sssZ`
// (what Date#toISOString writes). Anything else — offsets, missing fraction, leap-second or
// out-of-range fields — is refused rather than normalised, so every verifier reads one instant.
const UTC_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Formats an instant the one accepted way. */
export function formatUtc(d: Date): string {
  return d.toISOString();
}

/** Parses a strict UTC timestamp; undefined when it is not exactly one. */
export function parseUtc(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !UTC_MILLIS.test(value)) return undefined;
  const d = new Date(value);
  // Round-tripping rejects impossible dates (2026-02-30) that Date would silently roll over.
  return Number.isNaN(d.getTime()) || d.toISOString() !== value ? undefined : d;
}
