import type { Problem } from '../contract/common.ts';

/** The root of every error the SDK throws (money errors excepted: those are `MoneyError`). */
export class WekezaError extends Error {
  override name = 'WekezaError';
}

/** One field the server (or the response check) found wrong. */
export interface ProblemFieldError {
  path: string;
  message: string;
}

/** The server answered with an error status: RFC 9457 problem details with a stable `code`. */
export class APIError extends WekezaError {
  override name = 'APIError';
  /** HTTP status. */
  readonly status: number;
  /** Stable machine code (`insufficient_funds`, `not_found`, …); see `ERROR_CODES` in the contract. */
  readonly code: string;
  /** The server's request id (problem `request_id` or the `X-Request-Id` header); quote it to support. */
  readonly requestId: string | undefined;
  /** The problem+json body as the server sent it. */
  readonly problem: Problem;
  /** The response headers. */
  readonly headers: Headers;
  /** The token endpoint's RFC 6749 error (`invalid_grant`, `invalid_client`, …), beside `code`. */
  readonly oauthError: string | undefined;

  constructor(status: number, problem: Problem, headers: Headers) {
    super(`${status} ${problem.code}: ${problem.detail ?? problem.title}`);
    this.status = status;
    this.code = problem.code;
    const oauth = (problem as { error?: unknown }).error;
    this.oauthError = typeof oauth === 'string' ? oauth : undefined;
    this.problem = problem;
    this.headers = headers;
    this.requestId = problem.request_id ?? headers.get('x-request-id') ?? undefined;
  }

  /** Field errors of a `validation_failed` answer (empty otherwise). */
  get errors(): ProblemFieldError[] {
    return this.problem.errors ?? [];
  }

  /**
   * The subclass for the status family. A refused sign-in is an AuthenticationError whether it is a
   * 401 or the token endpoint's 400 `invalid_grant` (RFC 6749 answers a wrong password that way).
   */
  static from(status: number, problem: Problem, headers: Headers): APIError {
    const signInRefused =
      status === 400 && (problem.code === 'unauthenticated' || problem.code === 'mfa_required');
    const Class =
      status === 400 && !signInRefused
        ? BadRequestError
        : status === 401 || signInRefused
          ? AuthenticationError
          : status === 403
            ? PermissionDeniedError
            : status === 404
              ? NotFoundError
              : status === 409
                ? ConflictError
                : status === 422
                  ? ValidationError
                  : status === 429
                    ? RateLimitError
                    : status >= 500
                      ? ServerError
                      : APIError;
    return new Class(status, problem, headers);
  }
}

/** 400: the request could not be read (`malformed_request`). */
export class BadRequestError extends APIError {
  override name = 'BadRequestError';
}
/**
 * 401: no valid credentials (`unauthenticated`) or a second factor is needed (`mfa_required`); also
 * the token endpoint's 400 `invalid_grant` for a wrong password, a spent refresh token or a missing code.
 */
export class AuthenticationError extends APIError {
  override name = 'AuthenticationError';
}
/** 403: the caller's role may not do this (`forbidden`). */
export class PermissionDeniedError extends APIError {
  override name = 'PermissionDeniedError';
}
/** 404: no such resource, or not the caller's to see (`not_found`). */
export class NotFoundError extends APIError {
  override name = 'NotFoundError';
}
/** 409: conflicts with the current state (`conflict`, `idempotency_key_in_use`). */
export class ConflictError extends APIError {
  override name = 'ConflictError';
}
/** 422: well-formed but refused (`validation_failed`, `insufficient_funds`, `currency_mismatch`, `idempotency_key_reused`, …). */
export class ValidationError extends APIError {
  override name = 'ValidationError';
}
/** 429: too many requests (`rate_limited`); `retryAfter` is in the headers. */
export class RateLimitError extends APIError {
  override name = 'RateLimitError';
}
/** 5xx: the server failed (`internal_error`, `service_unavailable`). */
export class ServerError extends APIError {
  override name = 'ServerError';
}
/** Alias of `ValidationError` (HTTP 422 Unprocessable Entity). */
export const UnprocessableEntityError = ValidationError;
export type UnprocessableEntityError = ValidationError;
/** Alias of `ServerError`. */
export const InternalServerError = ServerError;
export type InternalServerError = ServerError;

/** No response arrived: the network failed, the connection dropped, or the transport threw. */
export class ConnectionError extends WekezaError {
  override name = 'ConnectionError';
  constructor(message = 'Connection error', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** No response arrived within `timeoutMs` (retried like a connection error). */
export class TimeoutError extends ConnectionError {
  override name = 'TimeoutError';
  constructor(timeoutMs: number) {
    super(`Request timed out after ${timeoutMs} ms`);
  }
}

/** The caller's `AbortSignal` fired; the request was abandoned (never retried). */
export class AbortError extends WekezaError {
  override name = 'AbortError';
  constructor(options?: { cause?: unknown }) {
    super('Request was aborted', options);
  }
}

/** One way a response failed the contract. */
export interface SchemaIssue {
  path: string;
  message: string;
}

/**
 * A 2xx response that does not match the API contract: the request worked (and any effect
 * happened), the data did not. Do not retry a money movement because of it; retrieve the resource.
 */
export class SchemaValidationError extends WekezaError {
  override name = 'SchemaValidationError';
  constructor(
    /** HTTP status of the (successful) response. */
    readonly status: number,
    /** What did not match. */
    readonly issues: SchemaIssue[],
    /** The response body as received (parsed JSON, or the text when it was not JSON). */
    readonly body: unknown,
    readonly requestId: string | undefined,
  ) {
    super(
      `Response (${status}) does not match the API contract: ${issues
        .slice(0, 3)
        .map((i) => `${i.path || '(root)'} ${i.message}`)
        .join('; ')}`,
    );
  }
}
