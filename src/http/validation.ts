// Zod validation failures become the same problem documents as domain errors (STYLE.md habit 4).
import type { Context } from 'hono';
import type { z } from 'zod';
import type { FieldIssue } from '../errors.js';
import { problemResponse } from './problem.js';

const TARGET_PREFIX: Record<string, string> = {
  json: 'body',
  param: 'path',
  query: 'query',
  header: 'header',
  cookie: 'cookie',
  form: 'body',
};

/** Zod issues as field issues: `body.role`, `query.limit`, `body.tools.0.name`. */
export function fieldIssues(target: string, error: z.ZodError): FieldIssue[] {
  const prefix = TARGET_PREFIX[target] ?? target;
  return error.issues.map((i) => ({
    field: [prefix, ...i.path.map(String)].join('.'),
    message: i.message,
  }));
}

/** The defaultHook of every OpenAPIHono router. */
export function validationHook(
  result: { target: string; success: boolean; error?: z.ZodError },
  c: Context,
): Response | undefined {
  if (result.success || !result.error) return undefined;
  const issues = fieldIssues(result.target, result.error);
  const detail = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
  return problemResponse(c, 'invalid-request', detail, issues);
}
