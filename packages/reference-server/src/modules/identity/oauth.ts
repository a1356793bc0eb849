import type { ErrorCode } from '@wekeza/sdk/contract';
import type { Request } from 'express';
import { DomainError, RateLimitedError } from '../../errors.ts';

/** RFC 6749 §5.2 error codes (and RFC 7009 §2.2.1's `unsupported_token_type`). */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'unsupported_token_type';

/**
 * An error of the token or revocation endpoint. It renders as RFC 6749 §5.2 (`application/json`
 * with `error` and `error_description`) and keeps our problem fields (`type`, `title`, `status`,
 * `code`, `detail`) as extension members, so OAuth libraries and our own SDK both understand it.
 */
export class OAuthError extends DomainError {
  constructor(
    readonly error: OAuthErrorCode,
    status: number,
    code: ErrorCode,
    detail: string,
    /** `WWW-Authenticate` for a 401 (RFC 6749 §5.2: when the client tried HTTP Basic). */
    readonly challenge?: string,
    retryAfterSeconds?: number,
  ) {
    super(status, code, titleOf(error), detail, undefined, retryAfterSeconds);
  }
}

function titleOf(error: OAuthErrorCode): string {
  return {
    invalid_request: 'Invalid request',
    invalid_client: 'Invalid client',
    invalid_grant: 'Invalid grant',
    unauthorized_client: 'Unauthorized client',
    unsupported_grant_type: 'Unsupported grant type',
    invalid_scope: 'Invalid scope',
    unsupported_token_type: 'Unsupported token type',
  }[error];
}

export const invalidClient = (basic: boolean, detail = 'Client authentication failed.') =>
  new OAuthError(
    'invalid_client',
    401,
    'unauthenticated',
    detail,
    basic ? 'Basic realm="wekeza", charset="UTF-8"' : undefined,
  );

export const invalidGrant = (detail: string, code: ErrorCode = 'unauthenticated') =>
  new OAuthError('invalid_grant', 400, code, detail);

export const KNOWN_GRANTS = ['password', 'refresh_token', 'client_credentials'] as const;

/**
 * Any failure of an OAuth endpoint, as the OAuth error a client library expects: malformed input is
 * `invalid_request` (or `unsupported_grant_type`), a refused credential `invalid_grant`, too many
 * attempts 429 with the matching error and `Retry-After`.
 */
export function toOAuthError(error: unknown, body: unknown, lockout: OAuthErrorCode): unknown {
  if (error instanceof OAuthError || !(error instanceof DomainError)) return error;
  const detail = error.detail ?? error.title;
  if (error instanceof RateLimitedError)
    return new OAuthError(lockout, 429, 'rate_limited', detail, undefined, error.retryAfterSeconds);
  switch (error.code) {
    case 'validation_failed': {
      const grant = (body as { grant_type?: unknown } | undefined)?.grant_type;
      if (typeof grant === 'string' && grant !== '' && !(KNOWN_GRANTS as readonly string[]).includes(grant))
        return new OAuthError(
          'unsupported_grant_type',
          400,
          'validation_failed',
          `Unsupported grant_type "${grant.slice(0, 40)}".`,
        );
      const fields = (error.errors ?? []).map((e) => `${e.path.replace(/^body\./, '')}: ${e.message}`);
      return new OAuthError('invalid_request', 400, 'validation_failed', fields.join('; ') || detail);
    }
    case 'malformed_request':
    case 'unsupported_media_type':
    case 'payload_too_large':
      return new OAuthError('invalid_request', error.status, error.code, detail);
    case 'unauthenticated':
    case 'mfa_required':
      return invalidGrant(detail, error.code);
    default:
      return new OAuthError('invalid_request', error.status, error.code, detail);
  }
}

export interface ClientAuthentication {
  clientId: string;
  /** Absent for a public client, which has no secret. */
  clientSecret: string | undefined;
  method: 'client_secret_basic' | 'client_secret_post' | 'none';
}

/** RFC 6749 §2.3.1: Basic credentials are form-encoded before base64. */
const formDecode = (value: string) => decodeURIComponent(value.replace(/\+/g, ' '));

/**
 * Who the client says it is: HTTP Basic (`client_secret_basic`), `client_id` + `client_secret` in
 * the body (`client_secret_post`), or a bare `client_id` (a public client). Using two methods at
 * once is refused (RFC 6749 §2.3).
 */
export function clientAuthenticationOf(
  req: Request,
  body: { client_id?: string | undefined; client_secret?: string | undefined },
): ClientAuthentication | undefined {
  // Only HTTP Basic authenticates a client here; a bearer token means nothing to these endpoints.
  const header = req.get('authorization') ?? '';
  const basic = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header);
  if (/^Basic\b/i.test(header) && !basic) throw invalidClient(true, 'Malformed HTTP Basic credentials.');
  if (basic) {
    if (body.client_secret !== undefined)
      throw new OAuthError(
        'invalid_request',
        400,
        'validation_failed',
        'Use one client authentication method.',
      );
    const decoded = Buffer.from(basic[1] as string, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 1) throw invalidClient(true, 'Malformed HTTP Basic credentials.');
    let clientId: string;
    let clientSecret: string;
    try {
      clientId = formDecode(decoded.slice(0, colon));
      clientSecret = formDecode(decoded.slice(colon + 1));
    } catch {
      throw invalidClient(true, 'Malformed HTTP Basic credentials.');
    }
    if (body.client_id !== undefined && body.client_id !== clientId)
      throw new OAuthError(
        'invalid_request',
        400,
        'validation_failed',
        'client_id differs from the HTTP Basic one.',
      );
    return { clientId, clientSecret, method: 'client_secret_basic' };
  }
  if (body.client_id === undefined) {
    if (body.client_secret !== undefined)
      throw new OAuthError('invalid_request', 400, 'validation_failed', 'client_secret needs client_id.');
    return undefined;
  }
  return body.client_secret === undefined
    ? { clientId: body.client_id, clientSecret: undefined, method: 'none' }
    : { clientId: body.client_id, clientSecret: body.client_secret, method: 'client_secret_post' };
}
