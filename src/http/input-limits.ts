// Limits every request's input must meet before any handler sees it (DESIGN §8: bodies are
// size-limited, nesting-limited, and control characters are refused). The JSON check is a single
// pass over the raw text, before any parsing: a 10,000-level document is refused at level 65
// without ever building it (deep values otherwise overflow the stack later, e.g. in JCS while
// signing a manifest), and a string is judged by what its escapes decode to.

/** Deepest nesting of objects and arrays in a JSON body. */
export const MAX_JSON_DEPTH = 64;
/** Most values (scalars, objects, arrays) in one JSON body. */
export const MAX_JSON_VALUES = 100_000;

export interface InputViolation {
  /** Where, as path segments below the body: ['tools', 0, 'annotations']. */
  path: Array<string | number>;
  message: string;
}

/**
 * Why `s` may not be stored or signed, or undefined. Refused: C0 control characters other than
 * tab, line feed and carriage return; DEL; unpaired UTF-16 surrogates (they have no UTF-8 form,
 * so the database and JCS would each see something different).
 */
export function badCharacter(s: string): string | undefined {
  for (let i = 0; i < s.length; i += 1) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f)
      return controlMessage(c);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i += 1;
        continue;
      }
      return 'contains an unpaired UTF-16 surrogate';
    }
    if (c >= 0xdc00 && c <= 0xdfff) return 'contains an unpaired UTF-16 surrogate';
  }
  return undefined;
}

function controlMessage(c: number): string {
  return `contains the control character U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
}

type Frame =
  | { kind: 'object'; key: string | undefined; expectKey: boolean }
  | { kind: 'array'; index: number };

function segments(frames: Frame[], upTo = frames.length): Array<string | number> {
  return frames.slice(0, upTo).map((f) => (f.kind === 'array' ? f.index : (f.key ?? '')));
}

function decodeKey(raw: string): string {
  try {
    return String(JSON.parse(raw));
  } catch {
    return raw.slice(1, -1);
  }
}

const isTokenChar = (c: number) =>
  (c >= 0x30 && c <= 0x39) ||
  (c >= 0x61 && c <= 0x7a) ||
  c === 0x2b ||
  c === 0x2d ||
  c === 0x2e ||
  (c >= 0x41 && c <= 0x5a);

/**
 * Checks raw JSON text against the limits. Malformed text is not this function's concern (the
 * parser refuses it afterwards); it only has to never accept what the limits refuse.
 */
export function scanJson(
  text: string,
  o: { maxDepth?: number; maxValues?: number } = {},
): InputViolation | undefined {
  const maxDepth = o.maxDepth ?? MAX_JSON_DEPTH;
  const maxValues = o.maxValues ?? MAX_JSON_VALUES;
  const frames: Frame[] = [];
  let values = 0;
  const counted = (): InputViolation | undefined =>
    (values += 1) > maxValues
      ? { path: segments(frames), message: `has more than ${maxValues} values` }
      : undefined;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22) {
      const start = i;
      let bad: string | undefined;
      for (i += 1; i < text.length; i += 1) {
        const c = text.charCodeAt(i);
        if (c === 0x22) break;
        if (c === 0x5c) {
          if (text.charCodeAt(i + 1) !== 0x75) {
            i += 1;
            continue;
          }
          const unit = Number.parseInt(text.slice(i + 2, i + 6), 16);
          i += 5;
          if (Number.isNaN(unit) || bad) continue;
          if ((unit < 0x20 && unit !== 0x09 && unit !== 0x0a && unit !== 0x0d) || unit === 0x7f)
            bad = controlMessage(unit);
          else if (unit >= 0xdc00 && unit <= 0xdfff) bad = 'contains an unpaired UTF-16 surrogate';
          else if (unit >= 0xd800 && unit <= 0xdbff) {
            const low =
              text.charCodeAt(i + 1) === 0x5c && text.charCodeAt(i + 2) === 0x75
                ? Number.parseInt(text.slice(i + 3, i + 7), 16)
                : NaN;
            if (low >= 0xdc00 && low <= 0xdfff) i += 6;
            else bad = 'contains an unpaired UTF-16 surrogate';
          }
          continue;
        }
        if (bad) continue;
        if (c >= 0xd800 && c <= 0xdbff) {
          const next = text.charCodeAt(i + 1);
          if (next >= 0xdc00 && next <= 0xdfff) i += 1;
          else bad = 'contains an unpaired UTF-16 surrogate';
        } else bad = badCharacter(text[i]!);
      }
      const top = frames.at(-1);
      if (top?.kind === 'object' && top.expectKey) {
        top.expectKey = false;
        if (bad)
          return {
            path: segments(frames, frames.length - 1),
            message: `has a member name that ${bad}`,
          };
        top.key = decodeKey(text.slice(start, i + 1));
        continue;
      }
      if (bad) return { path: segments(frames), message: bad };
      const over = counted();
      if (over) return over;
      continue;
    }
    if (ch === 0x7b || ch === 0x5b) {
      const over = counted();
      if (over) return over;
      if (frames.length >= maxDepth)
        return { path: segments(frames), message: `is nested deeper than ${maxDepth} levels` };
      frames.push(
        ch === 0x7b
          ? { kind: 'object', key: undefined, expectKey: true }
          : { kind: 'array', index: 0 },
      );
      continue;
    }
    if (ch === 0x7d || ch === 0x5d) {
      frames.pop();
      continue;
    }
    if (ch === 0x2c) {
      const top = frames.at(-1);
      if (top?.kind === 'array') top.index += 1;
      else if (top) top.expectKey = true;
      continue;
    }
    if (isTokenChar(ch)) {
      while (i + 1 < text.length && isTokenChar(text.charCodeAt(i + 1))) i += 1;
      const over = counted();
      if (over) return over;
      continue;
    }
    // Whitespace, ':' and anything else: the parser judges it.
    if (ch < 0x20 && ch !== 0x09 && ch !== 0x0a && ch !== 0x0d)
      return { path: segments(frames), message: controlMessage(ch) };
  }
  return undefined;
}

/** The first parameter (name or value) of a query string or form that `badCharacter` refuses. */
export function scanParams(params: URLSearchParams): { name: string; message: string } | undefined {
  for (const [name, value] of params) {
    const inName = badCharacter(name);
    if (inName) return { name: '', message: `has a parameter name that ${inName}` };
    const inValue = badCharacter(value);
    if (inValue) return { name, message: inValue };
  }
  return undefined;
}
