import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { isUniqueViolation, RetriesExhaustedError } from '../db/transaction.ts';
import { DomainError, type FieldError } from '../errors.ts';
import { OAuthError, toOAuthError } from '../modules/identity/oauth.ts';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  errors?: FieldError[];
  request_id?: string;
}

export function problemOf(error: DomainError): ProblemBody {
  return {
    type: `urn:wekeza:problem:${error.code}`,
    title: error.title,
    status: error.status,
    code: error.code,
    ...(error.detail ? { detail: error.detail } : {}),
    ...(error.errors ? { errors: error.errors } : {}),
  };
}

/** A problem recorded earlier (an idempotent replay) is answered again exactly as it was. */
export class StoredProblem extends Error {
  constructor(readonly body: ProblemBody) {
    super(body.title);
  }
}

export function sendProblem(res: Response, body: ProblemBody): void {
  const requestId = res.locals.requestId as string | undefined;
  res
    .status(body.status)
    .type('application/problem+json')
    .json({ ...body, ...(requestId ? { request_id: requestId } : {}) });
}

/**
 * RFC 6749 §5.2: `application/json` with `error` and `error_description`; our problem fields ride
 * along as extension members, so a problem-aware client reads the same answer.
 */
function sendOAuthError(res: Response, error: OAuthError): void {
  if (error.challenge) res.setHeader('WWW-Authenticate', error.challenge);
  const requestId = res.locals.requestId as string | undefined;
  res
    .status(error.status)
    .type('application/json')
    .json({
      error: error.error,
      error_description: error.detail ?? error.title,
      ...problemOf(error),
      ...(requestId ? { request_id: requestId } : {}),
    });
}

/** What body-parser raises, mapped to the problem a client can act on. */
function parserProblem(error: { type?: string; status?: number }): DomainError | undefined {
  switch (error.type) {
    case 'entity.parse.failed':
      return new DomainError(400, 'malformed_request', 'Malformed request', 'The body is not valid JSON.');
    case 'entity.too.large':
      return new DomainError(
        413,
        'payload_too_large',
        'Payload too large',
        'The request body is larger than the server accepts.',
      );
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new DomainError(
        415,
        'unsupported_media_type',
        'Unsupported media type',
        'Send UTF-8 encoded application/json.',
      );
    case 'request.aborted':
    case 'request.size.invalid':
      return new DomainError(
        400,
        'malformed_request',
        'Malformed request',
        'The request body was incomplete.',
      );
    default:
      return undefined;
  }
}

/** The one place errors become responses: RFC 9457 problem+json, never a stack trace. */
export function problemHandler(
  log: (message: string, fields: Record<string, unknown>) => void,
  /** Paths whose errors are OAuth errors (RFC 6749 §5.2), even when the body could not be read. */
  oauthPaths: ReadonlySet<string> = new Set(),
): ErrorRequestHandler {
  return (error, req, res, _next) => {
    if (res.headersSent) return;
    // A replayed problem keeps the request_id of the request that first produced it.
    if (error instanceof StoredProblem)
      return res.status(error.body.status).type('application/problem+json').json(error.body);
    if (error instanceof DomainError && error.retryAfterSeconds !== undefined)
      res.setHeader('Retry-After', String(error.retryAfterSeconds));
    if (error instanceof OAuthError) return sendOAuthError(res, error);
    if (error instanceof DomainError) return sendProblem(res, problemOf(error));
    const parsed = parserProblem(error ?? {});
    if (parsed && oauthPaths.has(req.path))
      return sendOAuthError(res, toOAuthError(parsed, undefined, 'invalid_request') as OAuthError);
    if (parsed) return sendProblem(res, problemOf(parsed));
    // The database refused money into or out of a fixed deposit outside its opening, maturity or close.
    if (isFixedDepositGuard(error)) {
      return sendProblem(
        res,
        problemOf(
          new DomainError(
            409,
            'conflict',
            'Conflict',
            'A fixed deposit is funded when it opens and pays out at maturity or when closed; nothing else moves its money.',
          ),
        ),
      );
    }
    // A race two requests lost to a unique index (e.g. the same e-mail signing up twice at once).
    if (isUniqueViolation(error)) {
      return sendProblem(
        res,
        problemOf(new DomainError(409, 'conflict', 'Conflict', 'That already exists.')),
      );
    }
    if (error instanceof RetriesExhaustedError) {
      res.setHeader('Retry-After', '1');
      return sendProblem(res, {
        type: 'urn:wekeza:problem:service_unavailable',
        title: 'Service unavailable',
        status: 503,
        code: 'service_unavailable',
        detail: 'The ledger is busy; retry with the same Idempotency-Key.',
      });
    }
    log('unhandled error', {
      requestId: res.locals.requestId,
      error: error instanceof Error ? error.stack : String(error),
    });
    sendProblem(res, {
      type: 'urn:wekeza:problem:internal_error',
      title: 'Internal server error',
      status: 500,
      code: 'internal_error',
      detail: 'Something went wrong on our side. Quote the request_id when you contact support.',
    });
  };
}

/** The `postings_fixed_deposit_guard` trigger's refusal (0008_savings.sql, both dialects). */
function isFixedDepositGuard(error: unknown): boolean {
  return /fixed deposit: money moves only at opening, maturity or close/.test(
    String((error as { message?: unknown } | undefined)?.message ?? ''),
  );
}

export const notFoundHandler: RequestHandler = (_req, res) =>
  sendProblem(res, problemOf(new DomainError(404, 'not_found', 'Not found', 'No such route.')));

/**
 * Requests with a body must send JSON; anything else is refused before it is parsed. The OAuth
 * endpoints (`formPaths`) also take `application/x-www-form-urlencoded`, as RFC 6749 says.
 */
export function requireJsonBody(formPaths: ReadonlySet<string>): RequestHandler {
  return (req, res, next) => {
    // A body a router read already (rail callbacks take XML and JSON as text).
    if (res.locals.bodyRead === true) return next();
    const hasBody =
      Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    const form = formPaths.has(req.path) && req.is('application/x-www-form-urlencoded');
    if (hasBody && !req.is('application/json') && !form) {
      const error = new DomainError(
        415,
        'unsupported_media_type',
        'Unsupported media type',
        formPaths.has(req.path)
          ? 'Send the body as application/x-www-form-urlencoded or application/json.'
          : 'Send the body as application/json.',
      );
      return next(formPaths.has(req.path) ? toOAuthError(error, undefined, 'invalid_request') : error);
    }
    next();
  };
}
