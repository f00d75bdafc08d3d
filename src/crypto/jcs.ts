// RFC 8785 JSON Canonicalization Scheme, via the `canonicalize` package.
import canonicalizeImport from 'canonicalize';

// canonicalize ships CJS typings with a default export; normalise the call under ESM.
const canonicalizeFn = canonicalizeImport as unknown as (value: unknown) => string | undefined;

/** The JCS serialisation of `value` (RFC 8785 §3). Throws for values JSON cannot represent. */
export function canonicalJson(value: unknown): string {
  const out = canonicalizeFn(value);
  if (typeof out !== 'string') throw new TypeError('value has no JSON representation');
  return out;
}

/** UTF-8 bytes of the JCS serialisation: what gets hashed and signed. */
export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalJson(value), 'utf8');
}
