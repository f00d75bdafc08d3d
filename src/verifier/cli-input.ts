// What the verifier CLI reads from its arguments: usage errors (exit 2), JSON files, the parsed
// options.
import { readFileSync } from 'node:fs';

/** A usage error: printed with a pointer to --help, exit 2. */
export class Usage extends Error {}

export type Values = Record<string, string | string[] | boolean | undefined>;

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new Usage(
      `cannot read ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}

export function readJson(file: string, what: string): unknown {
  const text = readText(file, what);
  try {
    return JSON.parse(text);
  } catch {
    throw new Usage(`${what} ${file} is not JSON`);
  }
}

/** A certificate file: PEM as text, or a JSON certificate response parsed. */
export function readCertificateFile(file: string): unknown {
  const text = readText(file, 'certificate');
  if (!text.trimStart().startsWith('{')) return text;
  try {
    return JSON.parse(text);
  } catch {
    throw new Usage(`certificate ${file} is neither PEM nor JSON`);
  }
}
