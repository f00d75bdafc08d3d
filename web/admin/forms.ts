// Reads a submitted form through a zod schema; failures become field issues named like API
// problems (`body.<field>`) so forms can show them next to their inputs.
import type { Context } from 'hono';
import type { z } from 'zod';
import type { FieldIssue } from '../../src/errors.js';
import { fieldIssues } from '../../src/http/validation.js';

export type FormResult<T> =
  | { ok: true; data: T; values: Record<string, string> }
  | { ok: false; issues: FieldIssue[]; values: Record<string, string> };

/** The string fields of the urlencoded/multipart body (files are ignored). */
export async function formValues(c: Context): Promise<Record<string, string>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return {};
  const body = await c.req.parseBody();
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') values[k] = v;
  return values;
}

export async function parseForm<S extends z.ZodType>(
  c: Context,
  schema: S,
): Promise<FormResult<z.output<S>>> {
  const values = await formValues(c);
  const parsed = schema.safeParse(values);
  if (parsed.success) return { ok: true, data: parsed.data, values };
  return { ok: false, issues: fieldIssues('form', parsed.error), values };
}
