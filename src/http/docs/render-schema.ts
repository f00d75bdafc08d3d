// A JSON Schema (as the OpenAPI document holds it) as HTML: a type summary and, for objects, a
// table of members with nested members inline; named schemas link to their section.
import { alternatives, resolveRef, type Components, type Schema } from './example.js';

export function esc(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** Escaped text with `code` spans. */
export function prose(s: string): string {
  return esc(s).replace(/`([^`]+)`/g, '<code>$1</code>');
}

export function schemaAnchor(name: string): string {
  return `schema-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

/** One line: `string (date-time)`, `array of <a>Webhook</a>`, `"a" | "b"`, `… | null`. */
export function typeSummary(s: Schema, components: Components): string {
  if (typeof s.$ref === 'string') {
    const t = resolveRef(s.$ref, components);
    return t ? `<a href="#${schemaAnchor(t.name)}">${esc(t.name)}</a>` : esc(s.$ref);
  }
  const nullable =
    (Array.isArray(s.type) && s.type.includes('null')) ||
    ((s.anyOf ?? s.oneOf) as Schema[] | undefined)?.some((x) => x.type === 'null');
  const suffix = nullable ? ' | null' : '';
  if (Array.isArray(s.enum))
    return s.enum.map((v) => `<code>${esc(JSON.stringify(v))}</code>`).join(' | ') + suffix;
  if (s.const !== undefined) return `<code>${esc(JSON.stringify(s.const))}</code>`;
  if (Array.isArray(s.allOf))
    return (s.allOf as Schema[]).map((x) => typeSummary(x, components)).join(' &amp; ') + suffix;
  const alts = alternatives(s);
  if (alts.length > 1 || (alts.length === 1 && alts[0] !== s && (s.anyOf || s.oneOf))) {
    return alts.map((x) => typeSummary(x, components)).join(' | ') + suffix;
  }
  const one = alts[0] ?? s;
  const type =
    (Array.isArray(one.type) ? one.type[0] : one.type) ??
    (one.properties ? 'object' : one.items ? 'array' : 'any');
  if (type === 'array')
    return `array of ${typeSummary((one.items ?? {}) as Schema, components)}${suffix}`;
  if (
    type === 'object' &&
    !one.properties &&
    one.additionalProperties &&
    typeof one.additionalProperties === 'object'
  ) {
    return `map of ${typeSummary(one.additionalProperties as Schema, components)}${suffix}`;
  }
  return `${esc(String(type))}${one.format ? ` (${esc(String(one.format))})` : ''}${suffix}`;
}

/** Length, range, pattern, default: what a client must respect. */
export function constraints(s: Schema): string {
  const parts: string[] = [];
  const add = (label: string, v: unknown) =>
    v !== undefined && parts.push(`${label} ${esc(String(v))}`);
  add('min length', s.minLength);
  add('max length', s.maxLength);
  add('≥', s.minimum);
  add('≤', s.maximum);
  add('min items', s.minItems);
  add('max items', s.maxItems);
  if (typeof s.pattern === 'string') parts.push(`pattern <code>${esc(s.pattern)}</code>`);
  if (s.default !== undefined) parts.push(`default <code>${esc(JSON.stringify(s.default))}</code>`);
  return parts.join(', ');
}

function objectOf(s: Schema): Schema | undefined {
  if (s.properties) return s;
  for (const a of alternatives(s)) if (a.properties) return a;
  return undefined;
}

/** The member table of an object schema (nested objects inline, named ones linked). */
export function schemaBody(s: Schema, components: Components, depth = 0): string {
  if (typeof s.$ref === 'string') return '';
  const items = s.items as Schema | undefined;
  const obj = objectOf(s) ?? (items && !items.$ref ? objectOf(items) : undefined);
  if (!obj || depth > 5) return '';
  const required = new Set((obj.required ?? []) as string[]);
  const rows = Object.entries(obj.properties as Record<string, Schema>).map(([name, p]) => {
    const nested = schemaBody(p, components, depth + 1);
    const desc = typeof p.description === 'string' ? prose(p.description) : '';
    const limits = constraints(p);
    return `<tr><td><code>${esc(name)}</code>${required.has(name) ? ' <span class="req">required</span>' : ''}</td><td>${typeSummary(p, components)}</td><td>${desc}${limits ? `<div class="limits">${limits}</div>` : ''}${nested}</td></tr>`;
  });
  const extra = obj.additionalProperties === false ? '<p class="limits">No other members.</p>' : '';
  return `<table class="members"><thead><tr><th>member</th><th>type</th><th>meaning</th></tr></thead><tbody>${rows.join('')}</tbody></table>${extra}`;
}
