import type { Writable } from 'node:stream';
import type { WidgetScope } from '@wekeza/sdk/contract';
import type { Request, RequestHandler, Response, Router } from 'express';
import type * as z from 'zod/mini';
import type { RateLimitConfig } from '../config.ts';
import { DomainError, forbidden, validationFailed } from '../errors.ts';
import { type OAuthErrorCode, toOAuthError } from '../modules/identity/oauth.ts';
import type { Principal } from '../modules/identity/service.ts';
import type { PrincipalRole } from '../modules/identity/tokens.ts';
import type { RateLimiter } from '../modules/throttle/limiter.ts';
import type { IdempotencyRequest, IdempotencyStore, Reply } from './idempotency.ts';
import { requestHash } from './idempotency.ts';
import { parseWith } from './validate.ts';

type Schema = z.ZodMiniType;

/**
 * A reply the handler writes itself, for bodies too large to hold (a statement download): the status
 * and headers are sent, then `write` streams into the response and ends it, or destroys it on failure.
 */
export interface StreamReply {
  status: number;
  headers: Record<string, string>;
  write(out: Writable): Promise<void>;
}

/**
 * What a route needs a token to allow. First-party tokens (password, refresh) and partner tokens
 * are limited by their role alone; a widget session's token carries the scopes its partner
 * granted, and only the widget scopes can be granted, so the others are never reachable from one.
 */
export type Scope =
  | WidgetScope
  | 'auth'
  | 'mfa'
  | 'customers:read'
  | 'kyc:write'
  | 'audit:read'
  | 'widget_sessions:write'
  | 'customers:onboard'
  | 'consents'
  | 'transfers:reverse'
  | 'webhooks:read'
  | 'webhooks:write'
  | 'savings_products:write'
  | 'sandbox'
  | 'loans:read'
  | 'loans:write'
  | 'loans:override'
  | 'loans:admin'
  | 'approvals'
  | 'risk:read'
  | 'risk:write';

/** Per-address limits on the endpoints that guess at secrets or create things. */
export type AddressLimit = 'signup' | 'signin' | 'otp';

export interface ApiGuards {
  limiter: RateLimiter;
  limits: RateLimitConfig;
  /**
   * Runs a request that carries a one-time code (`otp`) under one of the user's code-guess slots,
   * taken before its transaction opens (see MfaService.guard).
   */
  otpGuard<T>(userId: string, work: () => Promise<T>): Promise<T>;
}
type Infer<S> = S extends Schema ? z.infer<S> : undefined;

/** A reply written as a stream of events (Server-Sent Events) instead of one JSON body. */
export interface EventStreamReply {
  stream(req: Request, res: Response): Promise<void>;
}

/** One operation of the API: what it accepts, who may call it and what it answers. The OpenAPI document is built from these. */
export interface RouteSpec<
  B extends Schema | undefined = Schema | undefined,
  Q extends Schema | undefined = Schema | undefined,
> {
  method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI-style path, e.g. `/v1/accounts/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  /** `public`, any authenticated principal, or only these roles. */
  auth: 'public' | 'any' | PrincipalRole[];
  /** Scopes a (widget-session) token needs; empty for public routes. */
  scopes: Scope[];
  /**
   * A staff route: to anyone who is not staff (customers, partners, widget sessions) it is not
   * there (404, as an unknown path), so its existence cannot be probed; staff whose role may not
   * use it get 403.
   */
  hidden?: boolean;
  /** Per-address rate limit (429 with Retry-After past it). */
  rateLimit?: AddressLimit;
  body?: B;
  query?: Q;
  /** Money-moving POSTs require an Idempotency-Key; creating POSTs accept one. */
  idempotency?: 'required' | 'optional';
  /**
   * An OAuth endpoint (RFC 6749 token, RFC 7009 revocation): takes form-encoded bodies as well as
   * JSON and answers errors as RFC 6749 §5.2 says, with this error for "too many attempts".
   */
  oauth?: { lockout: OAuthErrorCode };
  responses: Record<
    number,
    {
      description: string;
      schema?: Schema;
      contentType?: string;
      /** Other media types the same status may answer with (a file download), as binary strings. */
      alternatives?: string[];
    }
  >;
}

export interface RouteContext<B, Q> {
  req: Request;
  principal: Principal;
  body: B;
  query: Q;
  params: Record<string, string>;
  /** Runs `work` in a transaction, guarded by the request's Idempotency-Key when it has one. */
  idempotent(work: Parameters<IdempotencyStore['run']>[1]): Promise<Reply>;
  /** The same for a money movement written in plain SQL: it runs on the hot-path executor. */
  idempotentSql(work: Parameters<IdempotencyStore['runSql']>[1]): Promise<Reply>;
}

/**
 * What a public route's handler is given. Public routes (sign-up, sign-in, JWKS) act on their body
 * alone and never read the principal; the id matches no user, so nothing can be looked up by it.
 */
const ANONYMOUS: Principal = { id: 'anonymous', role: 'customer' };
const KEY_PATTERN = /^[\x21-\x7e]{8,255}$/;

export class Api {
  readonly routes: RouteSpec[] = [];

  constructor(
    private readonly router: Router,
    private readonly authenticate: (authorization: string | undefined) => Promise<Principal>,
    private readonly idempotency: IdempotencyStore,
    private readonly guards: ApiGuards,
  ) {}

  route<B extends Schema | undefined, Q extends Schema | undefined>(
    spec: RouteSpec<B, Q>,
    handler: (ctx: RouteContext<Infer<B>, Infer<Q>>) => Promise<Reply | StreamReply | EventStreamReply>,
  ): void {
    this.routes.push(spec as RouteSpec);
    const expressPath = spec.path.replace(/\{(\w+)\}/g, ':$1');
    const handle: RequestHandler = async (req, res) => {
      try {
        await serve(req, res);
      } catch (error) {
        throw spec.oauth ? toOAuthError(error, req.body, spec.oauth.lockout) : error;
      }
    };
    const serve = async (req: Request, res: Response) => {
      res.locals.route = spec.path; // for the request log and the latency metric
      if (spec.rateLimit) await this.limitAddress(spec.rateLimit, req);
      const principal: Principal =
        spec.auth === 'public'
          ? ANONYMOUS
          : {
              ...(await this.authenticate(req.headers.authorization)),
              requestId: String(res.locals.requestId ?? ''),
            };
      if (spec.auth !== 'public') res.locals.principalId = principal.id;
      if (Array.isArray(spec.auth) && !spec.auth.includes(principal.role)) {
        if (spec.hidden && principal.role !== 'banker' && principal.role !== 'admin')
          throw new DomainError(404, 'not_found', 'Not found', 'No such route.');
        throw forbidden();
      }
      if (principal.scopes) {
        const missing = spec.scopes.filter((scope) => !principal.scopes?.includes(scope));
        if (missing.length > 0 || spec.scopes.length === 0)
          throw forbidden(`This session lacks the scope(s): ${missing.join(', ') || 'none grantable'}.`);
      }
      // A widget session's token is good only from its one origin.
      if (principal.origin && req.get('origin') !== principal.origin)
        throw forbidden('This widget session is bound to another origin.');
      const query = (spec.query ? parseWith(spec.query, { ...req.query }, 'query') : undefined) as Infer<Q>;
      const body = (spec.body ? parseWith(spec.body, req.body, 'body') : undefined) as Infer<B>;
      const idempotency = this.idempotencyOf(spec, req, principal);
      const run = () =>
        handler({
          req,
          principal,
          body,
          query,
          params: req.params as Record<string, string>,
          idempotent: (work) => this.idempotency.run(idempotency, work),
          idempotentSql: (work) => this.idempotency.runSql(idempotency, work),
        });
      const otp = (body as { otp?: unknown } | undefined)?.otp;
      const reply =
        typeof otp === 'string' && principal.role !== 'partner' && spec.auth !== 'public'
          ? await this.guards.otpGuard(principal.id, run)
          : await run();
      if ('stream' in reply) await reply.stream(req, res);
      else if ('write' in reply) {
        res.status(reply.status).set(reply.headers);
        await reply.write(res);
      } else res.status(reply.status).json(reply.body);
    };
    this.router[spec.method](expressPath, handle);
  }

  private async limitAddress(limit: AddressLimit, req: Request): Promise<void> {
    const { limits, limiter } = this.guards;
    const perMinute =
      limit === 'signup'
        ? limits.signupPerMinute
        : limit === 'signin'
          ? limits.signinPerMinute
          : limits.otpPerMinute;
    await limiter.consume(`${limit}:ip:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`, perMinute, 60);
  }

  private idempotencyOf(spec: RouteSpec, req: Request, principal: Principal): IdempotencyRequest | undefined {
    if (!spec.idempotency) return undefined;
    const key = req.get('Idempotency-Key');
    if (key === undefined) {
      if (spec.idempotency === 'required') {
        throw validationFailed([{ path: 'headers.idempotency-key', message: 'is required on this request' }]);
      }
      return undefined;
    }
    if (!KEY_PATTERN.test(key)) {
      throw validationFailed([
        { path: 'headers.idempotency-key', message: 'must be 8 to 255 visible ASCII characters' },
      ]);
    }
    return {
      principalId: principal.id,
      key,
      // A retry with a fresh one-time code is the same request.
      requestHash: requestHash(req.method, req.path, withoutOtp(req.body)),
      requestId: String(req.res?.locals.requestId ?? ''),
    };
  }
}

function withoutOtp(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const { otp: _otp, ...rest } = body as Record<string, unknown>;
  return rest;
}
