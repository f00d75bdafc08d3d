// Identifiers from the CSPRNG.
import { randomBytes } from 'node:crypto';

/** `prefix` + 2·bytes lowercase hex characters from the CSPRNG, e.g. `pub_3f…`. */
export function randomId(prefix: string, bytes = 16): string {
  return `${prefix}${randomBytes(bytes).toString('hex')}`;
}
