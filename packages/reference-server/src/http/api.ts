import type { Request, RequestHandler, Router } from 'express';
import type * as z from 'zod/mini';
import { forbidden, validationFailed } from '../errors.ts';
import type { Principal } from '../modules/identity/service.ts';
import type { PrincipalRole } from '../modules/identity/tokens.ts';
import type { IdempotencyRequest, IdempotencyStore, Reply } from './idempotency.ts';
import { requestHash } from './idempotency.ts';
import { parseWith } from './validate.ts';

type Schema = z.ZodMiniType;
type Infer<S> = S extends Schema ? z.infer<S> : undefined;

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
  body?: B;
  query?: Q;
  /** Money-moving POSTs require an Idempotency-Key; creating POSTs accept one. */
  idempotency?: 'required' | 'optional';
  responses: Record<number, { description: string; schema?: Schema; contentType?: string }>;
}

export interface RouteContext<B, Q> {
  req: Request;
  principal: Principal;
  body: B;
  query: Q;
  params: Record<string, string>;
  /** Runs `work` in a transaction, guarded by the request's Idempotency-Key when it has one. */
  idempotent(work: Parameters<IdempotencyStore['run']>[1]): Promise<Reply>;
}

const ANONYMOUS: Principal = { id: 'anonymous', role: 'customer' };
const KEY_PATTERN = /^[\x21-\x7e]{8,255}$/;

export class Api {
  readonly routes: RouteSpec[] = [];

  constructor(
    private readonly router: Router,
    private readonly authenticate: (authorization: string | undefined) => Promise<Principal>,
    private readonly idempotency: IdempotencyStore,
  ) {}

  route<B extends Schema | undefined, Q extends Schema | undefined>(
    spec: RouteSpec<B, Q>,
    handler: (ctx: RouteContext<Infer<B>, Infer<Q>>) => Promise<Reply>,
  ): void {
    this.routes.push(spec as RouteSpec);
    const expressPath = spec.path.replace(/\{(\w+)\}/g, ':$1');
    const handle: RequestHandler = async (req, res) => {
      const principal =
        spec.auth === 'public' ? ANONYMOUS : await this.authenticate(req.headers.authorization);
      if (Array.isArray(spec.auth) && !spec.auth.includes(principal.role)) throw forbidden();
      const query = (spec.query ? parseWith(spec.query, { ...req.query }, 'query') : undefined) as Infer<Q>;
      const body = (spec.body ? parseWith(spec.body, req.body, 'body') : undefined) as Infer<B>;
      const idempotency = this.idempotencyOf(spec, req, principal);
      const reply = await handler({
        req,
        principal,
        body,
        query,
        params: req.params as Record<string, string>,
        idempotent: (work) => this.idempotency.run(idempotency, work),
      });
      res.status(reply.status).json(reply.body);
    };
    this.router[spec.method](expressPath, handle);
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
      requestHash: requestHash(req.method, req.path, req.body),
      requestId: String(req.res?.locals.requestId ?? ''),
    };
  }
}
