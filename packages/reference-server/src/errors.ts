import type { ErrorCode } from '@wekeza/sdk/contract';

export interface FieldError {
  path: string;
  message: string;
}

/**
 * A failure the client can act on, with a stable machine code. The error middleware turns it into
 * RFC 9457 problem+json; anything that is not a DomainError becomes an opaque 500.
 */
export class DomainError extends Error {
  override name = 'DomainError';
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
    /** Seconds after which a retry may succeed (sent as `Retry-After`). */
    readonly retryAfterSeconds?: number,
  ) {
    super(detail ?? title);
  }
}

export const validationFailed = (
  errors: FieldError[],
  detail = 'The request does not match the API contract.',
) => new DomainError(422, 'validation_failed', 'Validation failed', detail, errors);

export const notFound = (what = 'resource') =>
  new DomainError(404, 'not_found', 'Not found', `No such ${what}, or it is not yours to see.`);

export const unauthenticated = (detail = 'A valid bearer token is required.') =>
  new DomainError(401, 'unauthenticated', 'Unauthenticated', detail);

export const forbidden = (detail = 'Your role may not do this.') =>
  new DomainError(403, 'forbidden', 'Forbidden', detail);

export const conflict = (detail: string) => new DomainError(409, 'conflict', 'Conflict', detail);

export const insufficientFunds = (
  detail = 'The available balance is too low for this movement; nothing was posted.',
) => new DomainError(422, 'insufficient_funds', 'Insufficient funds', detail);

export const currencyMismatch = (detail: string) =>
  new DomainError(422, 'currency_mismatch', 'Currency mismatch', detail);

export const limitExceeded = (detail: string) =>
  new DomainError(422, 'limit_exceeded', 'Limit exceeded', detail);

/**
 * The receiving account cannot take this credit (its cap, status or currency). Deliberately the
 * same words whatever the reason, so that a payer learns nothing about another customer's account.
 */
export const recipientCannotReceive = () =>
  new DomainError(
    422,
    'recipient_cannot_receive',
    'Recipient cannot receive',
    'The recipient cannot receive this payment. Nothing was posted.',
  );

/** A second factor is needed (or was wrong); `enrol` says the caller has none yet. */
export const mfaRequired = (detail: string) => new DomainError(401, 'mfa_required', 'MFA required', detail);

/** Too many requests: the problem carries `Retry-After`. */
export class RateLimitedError extends DomainError {
  constructor(
    override readonly retryAfterSeconds: number,
    detail = 'Too many requests; retry later.',
  ) {
    super(429, 'rate_limited', 'Too many requests', detail, undefined, retryAfterSeconds);
  }
}
