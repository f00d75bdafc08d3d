// Schemas shared by several route contracts.
import { z } from '@hono/zod-openapi';

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: 'urn:mcps-ta:problem:invalid-request' }),
    title: z.string(),
    status: z.number().int(),
    code: z.string().openapi({ example: 'invalid-request' }),
    detail: z.string().optional(),
    instance: z.string().optional(),
    request_id: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});

/** Error responses every route may give, by status. */
export const ERRORS = {
  400: problem('Invalid request: the `errors` member names each bad field'),
  401: problem('Missing, unknown, revoked or expired API token'),
  403: problem('The token may not do this'),
  404: problem('Not found'),
  409: problem('Conflicts with the current state'),
  413: problem('Request body too large'),
} as const;

/** The refusals of a route on one resource: bad input, no token, not the caller's, no such thing. */
export const RESOURCE_ERRORS = {
  400: ERRORS[400],
  401: ERRORS[401],
  403: ERRORS[403],
  404: ERRORS[404],
};

/** JSON request body helper: required, application/json. */
export function jsonBody<T extends z.ZodType>(schema: T, description?: string) {
  return { body: { required: true, description, content: { 'application/json': { schema } } } };
}

/** A JSON request body the client may leave out (the route's defaults apply). */
export function optionalJsonBody<T extends z.ZodType>(schema: T) {
  return { body: { required: false, content: { 'application/json': { schema } } } };
}

/** JSON response helper. */
export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

export const IsoDateTime = z
  .string()
  .openapi({ format: 'date-time', example: '2026-11-21T06:00:00.000Z' });
