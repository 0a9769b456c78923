/**
 * Typed errors thrown anywhere below the routes. The errors plugin alone turns
 * them into the API's `{message, errors}` JSON bodies.
 */
export type FieldErrors = Record<string, string[]>;

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly fieldErrors?: FieldErrors,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export class UnauthorizedError extends ApiError {
  constructor(message: string) {
    super(401, message);
  }
}

export class ForbiddenError extends ApiError {
  constructor(message: string) {
    super(403, message);
  }
}

export class NotFoundError extends ApiError {
  constructor(message: string) {
    super(404, message);
  }
}

/** 422: the request was understood but its data cannot be accepted. */
export class InvalidDataError extends ApiError {
  constructor(message: string, fieldErrors?: FieldErrors) {
    super(422, message, fieldErrors);
  }
}

/** Shortcut for a 422 caused by a single field. */
export function invalidField(field: string, message: string): InvalidDataError {
  return new InvalidDataError(message, { [field]: [message] });
}

export class ConflictError extends ApiError {
  constructor(message: string, retryAfterSeconds: number) {
    super(409, message, undefined, { "retry-after": String(retryAfterSeconds) });
  }
}

export class RateLimitedError extends ApiError {
  constructor(message: string, retryAfterSeconds: number) {
    super(429, message, undefined, { "retry-after": String(retryAfterSeconds) });
  }
}
