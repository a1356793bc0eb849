import type * as z from 'zod/mini';
import type { Problem } from './contract/common.ts';
import { Download } from './core/download.ts';
import {
  AbortError,
  APIError,
  ConnectionError,
  SchemaValidationError,
  TimeoutError,
  WekezaError,
} from './core/errors.ts';
import { FetchHttpClient, type HttpClient, type HttpRequest, type HttpResponse } from './core/http.ts';
import { type ListParams, Page, PagePromise } from './core/pagination.ts';
import type { RequestOptions } from './core/request-options.ts';
import { type FromWire, fromWire, toWire } from './internal/case.ts';
import { idempotencyKey } from './internal/idempotency.ts';
import { queryString } from './internal/path.ts';
import { isRetryableStatus, retryDelay, sleep } from './internal/retry.ts';
import { loadContract, type SchemaPick } from './internal/schemas.ts';
import { Accounts } from './resources/accounts.ts';
import { Approvals } from './resources/approvals.ts';
import { Audit, AuditEvents } from './resources/audit-events.ts';
import { Auth } from './resources/auth.ts';
import { CreditLimitResource } from './resources/credit-limit.ts';
import { type Customer, Customers, type SignupParams } from './resources/customers.ts';
import { DepositQuotes } from './resources/deposit-quotes.ts';
import { Deposits } from './resources/deposits.ts';
import { Events } from './resources/events.ts';
import { LoanApplications } from './resources/loan-applications.ts';
import { LoanProducts } from './resources/loan-products.ts';
import { LoanQuotes } from './resources/loan-quotes.ts';
import { Loans } from './resources/loans.ts';
import { MeResource } from './resources/me.ts';
import { Mfa } from './resources/mfa.ts';
import { PartnerConsents } from './resources/partner-consents.ts';
import { Payees } from './resources/payees.ts';
import { Sandbox } from './resources/sandbox.ts';
import { SavingsProducts } from './resources/savings-products.ts';
import { Statements } from './resources/statements.ts';
import { Transactions } from './resources/transactions.ts';
import { Transfers } from './resources/transfers.ts';
import { WebhookEndpoints } from './resources/webhook-endpoints.ts';
import { Webhooks } from './resources/webhooks.ts';
import { WidgetSessions } from './resources/widget-sessions.ts';
import { Withdrawals } from './resources/withdrawals.ts';

/** How the client authenticates. Password and client credentials log in lazily and renew once on 401. */
export type ClientAuth =
  /** A bearer token you already hold (never renewed). */
  | { token: string }
  /** Sign in with a customer's or staff member's phone/e-mail and password. */
  | { username: string; password: string; otp?: string }
  /** Partner back ends: OAuth client credentials. */
  | { clientId: string; clientSecret: string }
  /** Your host app supplies the bearer token; called again once after a 401 `unauthenticated`. */
  | { getSession: () => Promise<string> };

export interface ClientOptions {
  /** Where the Wekeza API lives, e.g. `http://127.0.0.1:3000` (no `/v1`). */
  baseUrl: string;
  /** Credentials; omit for public calls only (`signup`, `auth.token`). */
  auth?: ClientAuth;
  /** Per-attempt timeout in milliseconds (default 30000). */
  timeoutMs?: number;
  /** Retries after the first attempt for retryable failures (default 2). */
  maxRetries?: number;
  /**
   * Check every response against the API contract (default true). The schemas load on first use;
   * with `false` they never load (a smaller page) and responses are trusted as they come.
   */
  validateResponses?: boolean;
  /** A `fetch` to use instead of the global one. */
  fetch?: typeof fetch;
  /** A whole transport to use instead of fetch (takes precedence over `fetch`). */
  httpClient?: HttpClient;
  /** Headers sent with every request. */
  defaultHeaders?: Record<string, string>;
}

type Method = HttpRequest['method'];

interface ApiRequest {
  method: Method;
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Send credentials (default true); public endpoints say false. */
  auth?: boolean;
}

/** Renew access tokens this long before they expire. */
const EXPIRY_SKEW_MS = 30_000;

/** The Wekeza API client. One instance per set of credentials; safe to share between calls. */
export class Wekeza {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly validateResponses: boolean;

  /** Access tokens (`POST /v1/auth/token`). */
  readonly auth: Auth = new Auth(this);
  /** The caller (`/v1/me`). */
  readonly me: MeResource = new MeResource(this);
  /** Accounts and their balances (`/v1/accounts`). */
  readonly accounts: Accounts = new Accounts(this);
  /** Account history (`/v1/accounts/{id}/transactions`). */
  readonly transactions: Transactions = new Transactions(this);
  /** Money movement between accounts (`/v1/transfers`). */
  readonly transfers: Transfers = new Transfers(this);
  /** Sandbox-only helpers (`/v1/sandbox/*`). */
  readonly sandbox: Sandbox = new Sandbox(this);
  /** Second factors (`/v1/mfa/*`). */
  readonly mfa: Mfa = new Mfa(this);
  /** Widget sessions for partner back ends (`/v1/widget-sessions`). */
  readonly widgetSessions: WidgetSessions = new WidgetSessions(this);
  /** Staff: customer profiles and KYC tiers (`/v1/customers`). */
  readonly customers: Customers = new Customers(this);
  /** Admins: the audit log (`/v1/audit-events`). */
  readonly auditEvents: AuditEvents = new AuditEvents(this);
  /** The transparency log's checkpoints, proofs and keys (`/v1/audit/*`). */
  readonly audit: Audit = new Audit(this);
  /** Your own events (`/v1/events`). */
  readonly events: Events = new Events(this);
  /** The partners that may act for you (`/v1/me/partner-consents`). */
  readonly partnerConsents: PartnerConsents = new PartnerConsents(this);
  /** Money in from M-Pesa (`/v1/deposits`). */
  readonly deposits: Deposits = new Deposits(this);
  /** Money out to M-Pesa or a bank account (`/v1/withdrawals`). */
  readonly withdrawals: Withdrawals = new Withdrawals(this);
  /** Where your events are delivered (`/v1/webhook-endpoints`). */
  readonly webhookEndpoints: WebhookEndpoints = new WebhookEndpoints(this);
  /** Verifying the deliveries you receive (`unwrap`): Standard Webhooks. */
  readonly webhooks: Webhooks = new Webhooks();
  /** Savings and fixed-deposit products (`/v1/savings-products`). */
  readonly savingsProducts: SavingsProducts = new SavingsProducts(this);
  /** Fixed-deposit quotes before opening (`/v1/deposit-quotes`). */
  readonly depositQuotes: DepositQuotes = new DepositQuotes(this);
  /** Pay by phone number: whom a number pays, masked (`/v1/payees/resolve`). */
  readonly payees: Payees = new Payees(this);
  /** Account statements: typed JSON, or a file (CSV, PDF, camt.053) (`/v1/accounts/{id}/statement`). */
  readonly statements: Statements = new Statements(this);
  /** Loan products (`/v1/loan-products`). */
  readonly loanProducts: LoanProducts = new LoanProducts(this);
  /** What a loan of given terms costs (`/v1/loan-quotes`). */
  readonly loanQuotes: LoanQuotes = new LoanQuotes(this);
  /** What you may borrow now (`/v1/credit-limit`). */
  readonly creditLimit: CreditLimitResource = new CreditLimitResource(this);
  /** Applying, accepting offers, banker overrides (`/v1/loan-applications`). */
  readonly loanApplications: LoanApplications = new LoanApplications(this);
  /** Loans: repayments, payoff, write-off (`/v1/loans`). */
  readonly loans: Loans = new Loans(this);
  /** Staff: maker-checker requests (`/v1/approvals`). */
  readonly approvals: Approvals = new Approvals(this);

  readonly #credentials: ClientAuth | undefined;
  readonly #http: HttpClient;
  readonly #fetch: typeof fetch | undefined;
  readonly #defaultHeaders: Record<string, string>;
  #token: string | undefined;
  #tokenExpiresAt = Number.POSITIVE_INFINITY;
  #renewing: Promise<string> | undefined;

  constructor(options: ClientOptions) {
    if (!options || typeof options.baseUrl !== 'string' || options.baseUrl === '') {
      throw new WekezaError('new Wekeza({ baseUrl }) needs the API base URL');
    }
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxRetries = options.maxRetries ?? 2;
    this.validateResponses = options.validateResponses ?? true;
    this.#credentials = options.auth;
    this.#http = options.httpClient ?? new FetchHttpClient(options.fetch);
    this.#fetch = options.fetch;
    this.#defaultHeaders = { ...options.defaultHeaders };
    if (options.auth && 'token' in options.auth) this.#token = options.auth.token;
  }

  /** Opens a customer and their wallet (`POST /v1/signup`, public). */
  signup(params: SignupParams, options?: RequestOptions): Promise<Customer> {
    return this._request(
      { method: 'POST', path: '/v1/signup', body: params, auth: false },
      (c) => c.Customer,
      options,
    );
  }

  /** @internal Sends a request and answers its validated, camelCased body. */
  async _request<S extends z.ZodMiniType>(
    request: ApiRequest,
    pick: SchemaPick<S>,
    options?: RequestOptions,
  ): Promise<FromWire<z.output<S>>> {
    const { status, headers, body } = await this.#send(request, options);
    const requestId = headers.get('x-request-id') ?? undefined;
    if (!this.validateResponses) return this.#fromWire<S>(status, body, requestId);
    const result = pick(await loadContract()).safeParse(body);
    if (!result.success) {
      throw new SchemaValidationError(
        status,
        result.error.issues.map((issue) => ({
          path: issue.path.map(String).join('.'),
          message: issue.message,
        })),
        body,
        requestId,
      );
    }
    return this.#fromWire<S>(status, result.data, requestId);
  }

  #fromWire<S extends z.ZodMiniType>(
    status: number,
    data: unknown,
    requestId: string | undefined,
  ): FromWire<z.output<S>> {
    try {
      return fromWire(data as z.output<S>);
    } catch (error) {
      throw new SchemaValidationError(status, [{ path: '', message: String(error) }], data, requestId);
    }
  }

  /**
   * @internal Sends a GET whose answer is a file: retried like any call until a 2xx arrives, then
   * handed back unread. The timeout covers the wait for the response's headers; the caller's signal
   * also aborts reading the body.
   */
  async _download(request: ApiRequest, options?: RequestOptions): Promise<Download> {
    const { response } = await this.#send(request, options, true);
    return new Download(response as HttpResponse);
  }

  /** @internal A list endpoint as a PagePromise of camelCased items. */
  _list<Item>(
    path: string,
    pageSchema: SchemaPick<z.ZodMiniType>,
    params: ListParams | undefined,
    options?: RequestOptions,
    /** Filters sent with every page (keys in wire form). */
    filters?: Record<string, string | number | undefined>,
  ): PagePromise<Item> {
    const load = async (startingAfter: string | undefined): Promise<Page<Item>> => {
      const page = (await this._request(
        { method: 'GET', path, query: { ...filters, limit: params?.limit, starting_after: startingAfter } },
        pageSchema,
        options,
      )) as { data: Item[]; hasMore: boolean; nextCursor: string | null };
      return new Page(page.data, page.hasMore, page.nextCursor, load);
    };
    return new PagePromise(() => load(params?.startingAfter));
  }

  /**
   * @internal Opens a streaming GET (Server-Sent Events) with the client's credentials in the
   * Authorization header (never in the URL), renewing them once on 401. Answers the raw Response.
   */
  async _openStream(path: string, headers: Record<string, string>, signal?: AbortSignal): Promise<Response> {
    const fetchFn = this.#fetch ?? globalThis.fetch;
    const useAuth = this.#credentials !== undefined;
    let token = useAuth ? await this.#currentToken() : undefined;
    for (let attempt = 0; ; attempt++) {
      const response = await fetchFn(this.baseUrl + path, {
        method: 'GET',
        headers: {
          ...this.#defaultHeaders,
          Accept: 'text/event-stream',
          ...(token !== undefined ? { Authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        ...(signal ? { signal } : {}),
      });
      if (response.status === 401 && useAuth && attempt === 0 && this.#renewable()) {
        await response.body?.cancel();
        token = await this.#renewToken(token);
        continue;
      }
      return response;
    }
  }

  /** Runs the request with retries and one credential renewal; answers a 2xx status and its parsed body. */
  async #send(
    request: ApiRequest,
    options: RequestOptions | undefined,
    raw = false,
  ): Promise<{ status: number; headers: Headers; body: unknown; response?: HttpResponse }> {
    const signal = options?.signal;
    const maxRetries = options?.maxRetries ?? this.maxRetries;
    const key = request.method === 'GET' ? undefined : (options?.idempotencyKey ?? idempotencyKey());
    const url = this.baseUrl + request.path + queryString(request.query);
    const body = request.body === undefined ? undefined : JSON.stringify(toWire(request.body));
    const useAuth = request.auth !== false && this.#credentials !== undefined;
    let token = useAuth ? await this.#currentToken() : undefined;
    let renewed = false;
    let retries = 0;

    for (;;) {
      if (signal?.aborted) throw new AbortError({ cause: signal.reason });
      const headers: Record<string, string> = {
        ...this.#defaultHeaders,
        Accept: 'application/json',
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(raw ? { Accept: '*/*' } : {}),
        ...(token !== undefined ? { Authorization: `Bearer ${token}` } : {}),
        ...(key !== undefined ? { 'Idempotency-Key': key } : {}),
        ...options?.headers,
      };
      let failure: WekezaError;
      let retryAfter: string | null = null;
      try {
        const response = await this.#attempt(
          { url, method: request.method, headers, body },
          options?.timeoutMs ?? this.timeoutMs,
          signal,
          raw,
        );
        if (response.status >= 200 && response.status < 300) return response;
        const error = APIError.from(
          response.status,
          problemOf(response.status, response.body),
          response.headers,
        );
        if (
          error.status === 401 &&
          error.code === 'unauthenticated' &&
          useAuth &&
          !renewed &&
          this.#renewable()
        ) {
          renewed = true;
          token = await this.#renewToken(token);
          continue;
        }
        if (!isRetryableStatus(error.status, error.code)) throw error;
        failure = error;
        retryAfter = response.headers.get('retry-after');
      } catch (error) {
        if (!(error instanceof ConnectionError)) throw error;
        failure = error;
      }
      if (retries >= maxRetries) throw failure;
      try {
        await sleep(retryDelay(retries, retryAfter), signal);
      } catch (reason) {
        throw new AbortError({ cause: reason });
      }
      retries += 1;
    }
  }

  /** One attempt: the transport call and the body read, under the timeout and the caller's signal. */
  async #attempt(
    request: Omit<HttpRequest, 'signal'>,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    raw = false,
  ): Promise<{ status: number; headers: Headers; body: unknown; response?: HttpResponse }> {
    const controller = new AbortController();
    let timedOut = false;
    let keepListening = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new TimeoutError(timeoutMs));
    }, timeoutMs);
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const response = await this.#http.request({ ...request, signal: controller.signal });
      if (raw && response.status >= 200 && response.status < 300) {
        // A file: handed back unread; the caller's signal keeps aborting its body.
        keepListening = true;
        return { status: response.status, headers: response.headers, body: undefined, response };
      }
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: parseJson(text) };
    } catch (error) {
      if (signal?.aborted) throw new AbortError({ cause: signal.reason });
      if (timedOut) throw new TimeoutError(timeoutMs);
      if (error instanceof WekezaError) throw error;
      throw new ConnectionError(error instanceof Error ? error.message : 'Connection error', {
        cause: error,
      });
    } finally {
      clearTimeout(timer);
      if (!keepListening) signal?.removeEventListener('abort', onAbort);
    }
  }

  #renewable(): boolean {
    const credentials = this.#credentials;
    return credentials !== undefined && !('token' in credentials);
  }

  /** The token to send: the cached one, or a fresh one on first use or near its expiry. */
  async #currentToken(): Promise<string | undefined> {
    if (this.#token !== undefined && Date.now() < this.#tokenExpiresAt) return this.#token;
    if (!this.#renewable()) return this.#token;
    return this.#renewToken(this.#token);
  }

  /** A new token, unless another call already replaced `stale`; concurrent callers share one login. */
  async #renewToken(stale: string | undefined): Promise<string> {
    if (this.#token !== undefined && this.#token !== stale && Date.now() < this.#tokenExpiresAt) {
      return this.#token;
    }
    this.#renewing ??= this.#obtainToken().finally(() => {
      this.#renewing = undefined;
    });
    return this.#renewing;
  }

  async #obtainToken(): Promise<string> {
    const credentials = this.#credentials;
    if (credentials === undefined || 'token' in credentials) {
      throw new WekezaError('No renewable credentials');
    }
    if ('getSession' in credentials) {
      const token = await credentials.getSession();
      if (typeof token !== 'string' || token === '') {
        throw new WekezaError('getSession() must resolve to a bearer token');
      }
      this.#token = token;
      this.#tokenExpiresAt = Number.POSITIVE_INFINITY;
      return token;
    }
    const grant = await this.auth.token(
      'clientId' in credentials
        ? {
            grantType: 'client_credentials',
            clientId: credentials.clientId,
            clientSecret: credentials.clientSecret,
          }
        : {
            grantType: 'password',
            username: credentials.username,
            password: credentials.password,
            ...(credentials.otp !== undefined ? { otp: credentials.otp } : {}),
          },
    );
    this.#token = grant.accessToken;
    this.#tokenExpiresAt = Date.now() + Math.max(0, grant.expiresIn * 1000 - EXPIRY_SKEW_MS);
    return grant.accessToken;
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const FALLBACK_CODES: Record<number, string> = {
  400: 'malformed_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  422: 'validation_failed',
  429: 'rate_limited',
  503: 'service_unavailable',
};

/** The problem+json of an error response, or one made up from the status when the body is not one (a proxy page). */
function problemOf(status: number, body: unknown): Problem {
  // Checked by hand, not with the contract's schema, so that errors never wait for its chunk.
  const b = body as Partial<Problem> | null;
  if (
    b &&
    typeof b === 'object' &&
    typeof b.code === 'string' &&
    typeof b.title === 'string' &&
    typeof b.status === 'number'
  ) {
    return b as Problem;
  }
  const code = FALLBACK_CODES[status] ?? (status >= 500 ? 'internal_error' : 'http_error');
  return {
    type: 'about:blank',
    title: `HTTP ${status}`,
    status,
    code,
    ...(typeof body === 'string' && body !== '' ? { detail: body.slice(0, 200) } : {}),
  };
}
