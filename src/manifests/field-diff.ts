// The text of what changed in one field of a tool, prompt or resource: strings as they are, JSON
// values (input/output schema, annotations…) pretty-printed with sorted keys, then a word-level
// diff (word-diff.ts) — so a rug pull's injected sentence shows up word for word.
import { canonicalJson } from '../crypto/jcs.js';
import { diffWords, type WordChange } from './word-diff.js';

export interface FieldChange {
  /** e.g. `description`, `inputSchema`. */
  field: string;
  /** `text` for strings, `json` for anything else (pretty-printed, keys sorted). */
  format: 'text' | 'json';
  /** The field's text in the older version; null when absent there. */
  before: string | null;
  after: string | null;
  words: WordChange[];
}

/** `value` as the diff shows it: a string unchanged, anything else as 2-space JSON with sorted keys. */
export function fieldText(value: unknown): { format: 'text' | 'json'; text: string | null } {
  if (value === undefined) return { format: 'text', text: null };
  if (typeof value === 'string') return { format: 'text', text: value };
  // JCS sorts the keys, so a reordering that changes nothing signed shows no difference.
  return { format: 'json', text: JSON.stringify(JSON.parse(canonicalJson(value)), null, 2) };
}

/** The word-level change of one field from `before` to `after` (absent values count as empty). */
export function diffField(field: string, before: unknown, after: unknown): FieldChange {
  const a = fieldText(before);
  const b = fieldText(after);
  return {
    field,
    format: a.text === null ? b.format : a.format,
    before: a.text,
    after: b.text,
    words: diffWords(a.text ?? '', b.text ?? ''),
  };
}

/** One FieldChange per name in `fields` (the fields that differ), in that order. */
export function diffFields<T extends object>(
  before: T,
  after: T,
  fields: ReadonlyArray<keyof T & string>,
): FieldChange[] {
  return fields.map((f) => diffField(f, before[f], after[f]));
}
