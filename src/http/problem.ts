// RFC 9457 problem documents: the one place where error codes become HTTP statuses.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorCode, FieldIssue } from '../errors.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  'invalid-request': 400,
  'malformed-json': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'payload-too-large': 413,
  'too-many-requests': 429,
  'internal-error': 500,
  'service-unavailable': 503,
};

const TITLE: Record<ErrorCode, string> = {
  'invalid-request': 'Invalid request',
  'malformed-json': 'Malformed JSON',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  'not-found': 'Not found',
  conflict: 'Conflict',
  'payload-too-large': 'Payload too large',
  'too-many-requests': 'Too many requests',
  'internal-error': 'Internal error',
  'service-unavailable': 'Service unavailable',
};

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail?: string;
  instance?: string;
  request_id?: string;
  /** The offending fields, e.g. `body.role`, `path.id`, `query.after`. */
  errors?: FieldIssue[];
}

export function statusOf(code: ErrorCode): ContentfulStatusCode {
  return STATUS[code];
}

/** The stable `type` URI of a code. */
export function problemType(code: ErrorCode): string {
  return `urn:mcps-ta:problem:${code}`;
}

/** Builds the problem body. Server errors (5xx) carry no detail: internals never leak. */
export function problemBody(
  c: Context,
  code: ErrorCode,
  detail?: string,
  errors?: FieldIssue[],
): ProblemDocument {
  const status = STATUS[code];
  const body: ProblemDocument = { type: problemType(code), title: TITLE[code], status, code };
  if (detail && (status < 500 || code === 'service-unavailable')) body.detail = detail;
  if (errors && errors.length > 0) body.errors = errors;
  body.instance = c.req.path;
  const requestId = c.get('requestId' as never) as string | undefined;
  if (requestId) body.request_id = requestId;
  return body;
}

/** A problem+json response. */
export function problemResponse(
  c: Context,
  code: ErrorCode,
  detail?: string,
  errors?: FieldIssue[],
): Response {
  const body = problemBody(c, code, detail, errors);
  c.set('problemCode' as never, code as never); // for mcps_ta_refused_requests_total
  const headers: Record<string, string> = { 'content-type': PROBLEM_CONTENT_TYPE };
  if (code === 'unauthorized') headers['www-authenticate'] = 'Bearer realm="mcps-ta"';
  if (code === 'service-unavailable') headers['retry-after'] = '1';
  return new Response(JSON.stringify(body), { status: body.status, headers });
}
