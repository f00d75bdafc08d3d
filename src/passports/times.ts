// Passport times are RFC 3339 instants in UTC. The TA writes them with milliseconds, exactly
// `YYYY-MM-DDTHH:MM:SS.sssZ` (what Date#toISOString writes); verifiers also accept them without a
// fraction or with 1–9 fractional digits (RFC 3339 §5.6 time-secfrac), as the MCPS reference
// writes `YYYY-MM-DDTHH:MM:SSZ`. Anything else — offsets, a lower-case `z`, leap seconds or
// out-of-range fields — is refused rather than normalised, so every verifier reads one instant.
const RFC3339_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;

/** Formats an instant the one way the TA writes it. */
export function formatUtc(d: Date): string {
  return d.toISOString();
}

/**
 * Parses an RFC 3339 UTC timestamp, with or without fractional seconds (digits past the
 * millisecond are dropped); undefined when it is not exactly one.
 */
export function parseUtc(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const m = RFC3339_UTC.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const millis = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, millis);
  // Comparing the fields back rejects impossible dates (2026-02-30, 24:00) that Date rolls over.
  const same =
    d.getUTCFullYear() === year &&
    d.getUTCMonth() === month - 1 &&
    d.getUTCDate() === day &&
    d.getUTCHours() === hour &&
    d.getUTCMinutes() === minute &&
    d.getUTCSeconds() === second;
  return same ? d : undefined;
}
