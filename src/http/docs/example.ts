// Example values for the /docs page, derived from the OpenAPI schemas themselves: a schema's own
// `example`/`default`/`enum` when it has one, else a value built from its type and constraints
// (patterns included, for the simple ones ids use), so every example satisfies its schema.
export type Schema = Record<string, unknown>;
export type Components = { schemas?: Record<string, Schema>; parameters?: Record<string, Schema> };

/** Object/array nesting shown in an example; deeper members are null. */
const MAX_DEPTH = 16;

export function resolveRef(
  ref: string,
  components: Components,
): { name: string; schema: Schema } | undefined {
  const m = /^#\/components\/(schemas|parameters)\/(.+)$/.exec(ref);
  if (!m) return undefined;
  const schema = components[m[1] as 'schemas' | 'parameters']?.[decodeURIComponent(m[2]!)];
  return schema ? { name: m[2]!, schema } : undefined;
}

/** The non-null alternatives of a schema (type arrays, anyOf/oneOf with a null branch). */
export function alternatives(s: Schema): Schema[] {
  const any = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (any) return any.filter((x) => x.type !== 'null');
  if (Array.isArray(s.type))
    return (s.type as string[]).filter((t) => t !== 'null').map((type) => ({ ...s, type }));
  return [s];
}

export function exampleOf(
  schema: Schema,
  components: Components,
  depth = 0,
  seen: string[] = [],
): unknown {
  if (depth > MAX_DEPTH) return null;
  if (typeof schema.$ref === 'string') {
    if (seen.includes(schema.$ref)) return null;
    const target = resolveRef(schema.$ref, components);
    return target ? exampleOf(target.schema, components, depth, [...seen, schema.$ref]) : null;
  }
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (schema.const !== undefined) return schema.const;
  if (schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.enum)) return schema.enum.find((v) => v !== null) ?? null;
  if (Array.isArray(schema.allOf)) {
    const parts = (schema.allOf as Schema[]).map((p) => exampleOf(p, components, depth, seen));
    return parts.every((p) => p && typeof p === 'object' && !Array.isArray(p))
      ? Object.assign({}, ...parts)
      : parts[0];
  }
  const alts = alternatives(schema);
  if (alts.length === 0) return null;
  const s = alts[0]!;
  if (s !== schema) return exampleOf(s, components, depth, seen);
  const type = s.type ?? (s.properties ? 'object' : s.items ? 'array' : undefined);
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries((s.properties ?? {}) as Record<string, Schema>))
        out[k] = exampleOf(v, components, depth + 1, seen);
      return out;
    }
    case 'array': {
      if (s.maxItems === 0) return [];
      const item = exampleOf((s.items ?? {}) as Schema, components, depth + 1, seen);
      return Array.from({ length: Math.max(1, Number(s.minItems ?? 1)) }, () => item);
    }
    case 'integer':
    case 'number': {
      const min =
        typeof s.minimum === 'number'
          ? s.minimum
          : typeof s.exclusiveMinimum === 'number'
            ? s.exclusiveMinimum + 1
            : undefined;
      const max = typeof s.maximum === 'number' ? s.maximum : undefined;
      return min ?? (max !== undefined && max < 1 ? max : 1);
    }
    case 'boolean':
      return true;
    case 'string':
      return stringExample(s);
    default:
      return null;
  }
}

function stringExample(s: Schema): string {
  if (s.format === 'date-time') return '2026-01-01T00:00:00.000Z';
  if (s.format === 'binary') return '<binary>';
  if (s.format === 'uri' || s.format === 'url') return 'https://example.com/';
  let v = 'string';
  if (typeof s.pattern === 'string') {
    const made = fromPattern(s.pattern);
    if (made !== undefined) return made;
  }
  const min = Number(s.minLength ?? 0);
  while (v.length < min) v += 'x';
  if (typeof s.maxLength === 'number' && v.length > s.maxLength)
    v = v.slice(0, Math.max(1, s.maxLength));
  return v;
}

/**
 * A string matching a simple pattern (literals, classes, groups, alternation, {n}/{n,m}/?/+/*),
 * checked against the pattern; undefined when it cannot make one.
 */
export function fromPattern(pattern: string): string | undefined {
  let made: string;
  try {
    made = gen(pattern.replace(/^\^/, '').replace(/\$$/, ''));
    return new RegExp(pattern, 'u').test(made) ? made : undefined;
  } catch {
    return undefined;
  }
}

function gen(p: string): string {
  const branches = splitTop(p, '|');
  const src = branches[0]!;
  let out = '';
  let i = 0;
  while (i < src.length) {
    let atom: string;
    const c = src[i]!;
    if (c === '(') {
      const end = matching(src, i);
      atom = gen(src.slice(i + 1, end).replace(/^\?:/, ''));
      i = end + 1;
    } else if (c === '[') {
      const end = src.indexOf(']', i + 2);
      atom = classChar(src.slice(i + 1, end));
      i = end + 1;
    } else if (c === '\\') {
      const e = src[i + 1]!;
      atom = e === 'd' ? '0' : e === 'w' ? 'a' : e === 's' ? ' ' : e;
      i += 2;
    } else if (c === '.') {
      atom = 'a';
      i += 1;
    } else {
      atom = c;
      i += 1;
    }
    const q = /^(\{(\d+)(,(\d*))?\}|\?|\+|\*)/.exec(src.slice(i));
    let n = 1;
    if (q) {
      i += q[0].length;
      if (q[0] === '?' || q[0] === '*') n = 0;
      else if (q[0] === '+') n = 1;
      else n = Number(q[2]);
    }
    out += atom.repeat(n);
  }
  return out;
}

function classChar(body: string): string {
  if (body.startsWith('^')) return 'a';
  const b = body.startsWith('\\') ? body.slice(1) : body;
  return b[0] === '-' ? '-' : b[0]!;
}

function matching(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '[') i = s.indexOf(']', i + 2);
    else if (s[i] === '(') depth++;
    else if (s[i] === ')' && --depth === 0) return i;
  }
  throw new Error('unbalanced pattern');
}

function splitTop(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '[') i = s.indexOf(']', i + 2);
    else if (s[i] === '(') depth++;
    else if (s[i] === ')') depth--;
    else if (s[i] === sep && depth === 0) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out;
}
