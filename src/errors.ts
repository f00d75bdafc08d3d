// The error vocabulary of the Trust Authority: one class per condition, each with a stable code.
// HTTP statuses are assigned in exactly one place (src/http/problem.ts), never here.

/** Stable, documented error codes. Clients may switch on these; never rename one. */
export type ErrorCode =
  | 'invalid-request'
  | 'malformed-json'
  | 'payload-too-large'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'too-many-requests'
  | 'service-unavailable'
  | 'internal-error';

/** One problem with one input field; `field` is a dotted path such as `body.role`. */
export interface FieldIssue {
  field: string;
  message: string;
}

/** Base class of every error the service raises on purpose. */
export class TaError extends Error {
  readonly code: ErrorCode;
  readonly issues: FieldIssue[];

  constructor(code: ErrorCode, message: string, issues: FieldIssue[] = []) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.issues = issues;
  }
}

/** The request is well-formed JSON but a field is wrong (type, range, enum, format). */
export class InvalidRequestError extends TaError {
  constructor(message: string, issues: FieldIssue[] = []) {
    super('invalid-request', message, issues);
  }

  /** Convenience for the common case of one bad field. */
  static field(field: string, message: string): InvalidRequestError {
    return new InvalidRequestError(`${field}: ${message}`, [{ field, message }]);
  }
}

/** No credentials, or credentials that are unknown, revoked or expired. */
export class UnauthorizedError extends TaError {
  constructor(message = 'a valid API token is required') {
    super('unauthorized', message);
  }
}

/** Authenticated, but this principal may not do this. */
export class ForbiddenError extends TaError {
  constructor(message = 'not allowed for this principal') {
    super('forbidden', message);
  }
}

export class NotFoundError extends TaError {
  constructor(message = 'not found') {
    super('not-found', message);
  }
}

/** The request conflicts with the current state (duplicate name, concurrent change). */
export class ConflictError extends TaError {
  constructor(message: string, issues: FieldIssue[] = []) {
    super('conflict', message, issues);
  }
}

/** A dependency (the database) is not reachable; the caller may retry. */
export class ServiceUnavailableError extends TaError {
  constructor(message = 'the service is temporarily unavailable') {
    super('service-unavailable', message);
  }
}
