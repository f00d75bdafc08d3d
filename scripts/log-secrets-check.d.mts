// Types of log-secrets-check.mjs (plain JavaScript so scripts/test.mjs runs it without tsx).
export const MIN_SECRET_LENGTH: number;
export interface Leak {
  file: string;
  line: number;
  origin: string;
  /** The line with the secret masked. */
  text: string;
}
export interface RunCheck {
  secrets: number;
  lines: number;
  files: number;
  leaks: Leak[];
  problem: string | undefined;
}
export function checkRun(dir: string, o?: { servicesExpected: boolean }): RunCheck;
