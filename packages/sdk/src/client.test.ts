import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Wekeza } from './client.ts';
import {
  AbortError,
  APIError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  SchemaValidationError,
  ServerError,
  TimeoutError,
  UnprocessableEntityError,
  ValidationError,
  WekezaError,
} from './core/errors.ts';
import { Money } from './money/money.ts';

type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | Error;
interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A fetch that answers from a script and records what it was asked. */
function fakeFetch(...replies: Reply[]) {
  const seen: Seen[] = [];
  const fn = vi.fn(async (input: string | URL | Request, init?: RequestInit) => {
    seen.push({
      url: String(input),
      method: init?.method ?? 'GET',
      headers: { ...(init?.headers as Record<string, string>) },
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    });
    const reply = replies.shift();
    if (reply === undefined) throw new Error('fake fetch: no reply scripted');
    if (reply instanceof Error) throw reply;
    const isProblem = reply.status >= 400;
    return new Response(
      reply.body === undefined
        ? null
        : typeof reply.body === 'string'
          ? reply.body
          : JSON.stringify(reply.body),
      {
        status: reply.status,
        headers: {
          'content-type': isProblem ? 'application/problem+json' : 'application/json',
          'x-request-id': `req_${seen.length}`,
          ...reply.headers,
        },
      },
    );
  });
  return { fetch: fn as unknown as typeof fetch, seen };
}

const problem = (status: number, code: string, extra: Record<string, unknown> = {}) => ({
  type: `urn:wekeza:problem:${code}`,
  title: code,
  status,
  code,
  ...extra,
});

const account = {
  id: 'acc_1',
  type: 'wallet',
  currency: 'KES',
  status: 'open',
  balance: {
    ledger: { amount: '25000.00', currency: 'KES' },
    available: { amount: '24000.50', currency: 'KES' },
  },
  created_at: '2025-01-01T00:00:00.000Z',
};
const transfer = {
  id: 'trf_1',
  status: 'completed',
  from_account_id: 'acc_1',
  to_account_id: 'acc_2',
  amount: { amount: '10.00', currency: 'KES' },
  reference: null,
  journal_entry_id: 'je_1',
  created_at: '2025-01-01T00:00:00.000Z',
};
const transferParams = {
  fromAccountId: 'acc_1',
  toAccountId: 'acc_2',
  amount: Money.of(1000n, 'KES'),
};

function client(fetchFn: typeof fetch, extra: Partial<ConstructorParameters<typeof Wekeza>[0]> = {}) {
  return new Wekeza({ baseUrl: 'http://bank.test/', auth: { token: 'tok' }, fetch: fetchFn, ...extra });
}

beforeEach(() => {
  // Full jitter with random() = 0 waits 0 ms: retries run at once.
  vi.spyOn(Math, 'random').mockReturnValue(0);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('requests', () => {
  it('when a resource is retrieved, then the path is encoded, the token sent and the body camelCased with Money', async () => {
    const { fetch, seen } = fakeFetch({ status: 200, body: account });
    const result = await client(fetch).accounts.retrieve('acc 1/x');
    expect(seen[0]?.url).toBe('http://bank.test/v1/accounts/acc%201%2Fx');
    expect(seen[0]?.headers.Authorization).toBe('Bearer tok');
    expect(seen[0]?.headers['Idempotency-Key']).toBeUndefined();
    expect(result.createdAt).toBe('2025-01-01T00:00:00.000Z');
    expect(result.balance.available).toBeInstanceOf(Money);
    expect(result.balance.available.minor).toBe(2400050n);
  });

  it('when a transfer is created, then the body is snake_case with a string amount and an Idempotency-Key is generated', async () => {
    const { fetch, seen } = fakeFetch({ status: 201, body: transfer });
    const result = await client(fetch).transfers.create({ ...transferParams, reference: 'rent' });
    expect(seen[0]?.method).toBe('POST');
    expect(seen[0]?.headers['Content-Type']).toBe('application/json');
    expect(seen[0]?.body).toEqual({
      from_account_id: 'acc_1',
      to_account_id: 'acc_2',
      amount: { amount: '10.00', currency: 'KES' },
      reference: 'rent',
    });
    expect(seen[0]?.headers['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.amount.equals(Money.of(1000n, 'KES'))).toBe(true);
  });

  it('when an Idempotency-Key is given, then it is sent as given', async () => {
    const { fetch, seen } = fakeFetch({ status: 201, body: transfer });
    await client(fetch).transfers.create(transferParams, { idempotencyKey: 'my-key-123' });
    expect(seen[0]?.headers['Idempotency-Key']).toBe('my-key-123');
  });

  it('when default and per-request headers are given, then both are sent', async () => {
    const { fetch, seen } = fakeFetch({ status: 200, body: account });
    await client(fetch, { defaultHeaders: { 'X-Partner': 'p' } }).accounts.retrieve('acc_1', {
      headers: { 'X-Trace': 't' },
    });
    expect(seen[0]?.headers).toMatchObject({ 'X-Partner': 'p', 'X-Trace': 't' });
  });

  it('when signup is called, then no credentials are sent', async () => {
    const { fetch, seen } = fakeFetch({
      status: 201,
      body: {
        id: 'cus_1',
        email: 'a@b.co',
        phone: '+254700000009',
        full_name: 'A B',
        kyc_tier: 0,
        roles: ['customer'],
        wallet_account_id: 'acc_9',
        created_at: '2025-01-01T00:00:00.000Z',
      },
    });
    const customer = await client(fetch).signup({
      phone: '+254700000009',
      email: 'a@b.co',
      password: 'long-enough-pw',
      fullName: 'A B',
    });
    expect(seen[0]?.headers.Authorization).toBeUndefined();
    expect(seen[0]?.body).toMatchObject({ full_name: 'A B' });
    expect(customer.walletAccountId).toBe('acc_9');
  });

  it('when the base URL is missing, then the constructor refuses', () => {
    expect(() => new Wekeza({ baseUrl: '' })).toThrow(WekezaError);
  });
});

describe('errors', () => {
  it.each([
    [400, 'malformed_request', BadRequestError],
    [401, 'unauthenticated', AuthenticationError],
    [403, 'forbidden', PermissionDeniedError],
    [404, 'not_found', NotFoundError],
    [409, 'conflict', ConflictError],
    [422, 'insufficient_funds', ValidationError],
    [429, 'rate_limited', RateLimitError],
    [500, 'internal_error', ServerError],
    [413, 'payload_too_large', APIError],
  ] as const)('when the server answers %i %s, then the error is a %o', async (status, code, Class) => {
    const { fetch } = fakeFetch({
      status,
      body: problem(status, code, { detail: 'why', request_id: 'req_abc' }),
    });
    const error = await client(fetch, { maxRetries: 0 })
      .accounts.retrieve('acc_1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Class);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toBeInstanceOf(WekezaError);
    const apiError = error as APIError;
    expect(apiError.status).toBe(status);
    expect(apiError.code).toBe(code);
    expect(apiError.requestId).toBe('req_abc');
    expect(apiError.problem.detail).toBe('why');
    expect(apiError.headers.get('content-type')).toBe('application/problem+json');
    expect(apiError.message).toContain(code);
  });

  it('when the aliases are used, then they are the same classes', () => {
    expect(UnprocessableEntityError).toBe(ValidationError);
    expect(InternalServerError).toBe(ServerError);
  });

  it('when the problem carries no request_id, then the X-Request-Id header is used', async () => {
    const { fetch } = fakeFetch({ status: 404, body: problem(404, 'not_found') });
    const error = (await client(fetch)
      .accounts.retrieve('acc_1')
      .catch((e) => e)) as APIError;
    expect(error.requestId).toBe('req_1');
  });

  it('when an error body is not problem+json (a proxy page), then the error still has a status and a code', async () => {
    const { fetch } = fakeFetch({ status: 502, body: '<html>Bad gateway</html>' });
    const error = (await client(fetch, { maxRetries: 0 })
      .accounts.retrieve('acc_1')
      .catch((e) => e)) as APIError;
    expect(error).toBeInstanceOf(ServerError);
    expect(error.code).toBe('internal_error');
    expect(error.problem.detail).toContain('Bad gateway');
  });

  it('when a field errors list comes back, then it is on the error', async () => {
    const errors = [{ path: 'body.amount', message: 'bad' }];
    const { fetch } = fakeFetch({ status: 422, body: problem(422, 'validation_failed', { errors }) });
    const error = (await client(fetch)
      .transfers.create(transferParams)
      .catch((e) => e)) as ValidationError;
    expect(error.errors).toEqual(errors);
  });

  it('when a 2xx body breaks the contract, then SchemaValidationError names the field and keeps the body', async () => {
    const broken = {
      ...account,
      balance: { ...account.balance, ledger: { amount: 25000, currency: 'KES' } },
    };
    const { fetch } = fakeFetch({ status: 200, body: broken });
    const error = (await client(fetch)
      .accounts.retrieve('acc_1')
      .catch((e) => e)) as SchemaValidationError;
    expect(error).toBeInstanceOf(SchemaValidationError);
    expect(error).not.toBeInstanceOf(APIError);
    expect(error.status).toBe(200);
    expect(error.requestId).toBe('req_1');
    expect(error.issues.map((i) => i.path)).toContain('balance.ledger.amount');
    expect(error.body).toEqual(broken);
  });

  it('when validateResponses is off, then an unknown extra field passes through and money still becomes Money', async () => {
    const { fetch } = fakeFetch({ status: 200, body: { ...account, surprise: 'x' } });
    const retrieved = (await client(fetch, { validateResponses: false }).accounts.retrieve(
      'acc_1',
    )) as unknown as Record<string, unknown> & { balance: { ledger: unknown } };
    expect(retrieved.surprise).toBe('x');
    expect(retrieved.balance.ledger).toBeInstanceOf(Money);
  });

  it('when a 2xx body is not JSON, then it is a SchemaValidationError, not retried', async () => {
    const { fetch, seen } = fakeFetch({ status: 200, body: 'hello' });
    await expect(client(fetch).accounts.retrieve('acc_1')).rejects.toBeInstanceOf(SchemaValidationError);
    expect(seen).toHaveLength(1);
  });
});

describe('retries', () => {
  it('when the connection fails twice, then the third attempt succeeds with the same Idempotency-Key', async () => {
    const { fetch, seen } = fakeFetch(new TypeError('fetch failed'), new TypeError('fetch failed'), {
      status: 201,
      body: transfer,
    });
    const result = await client(fetch).transfers.create(transferParams);
    expect(result.id).toBe('trf_1');
    expect(seen).toHaveLength(3);
    const keys = new Set(seen.map((s) => s.headers['Idempotency-Key']));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toBeTruthy();
  });

  it('when the connection keeps failing, then ConnectionError after maxRetries + 1 attempts', async () => {
    const { fetch, seen } = fakeFetch(
      new TypeError('fetch failed'),
      new TypeError('fetch failed'),
      new TypeError('fetch failed'),
      new TypeError('fetch failed'),
    );
    const error = await client(fetch, { maxRetries: 3 })
      .transfers.create(transferParams)
      .catch((e) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).cause).toBeInstanceOf(TypeError);
    expect(seen).toHaveLength(4);
  });

  it.each([
    [408, 'request_timeout'],
    [409, 'idempotency_key_in_use'],
    [429, 'rate_limited'],
    [500, 'internal_error'],
    [503, 'service_unavailable'],
  ])('when the server answers %i %s, then the request is retried', async (status, code) => {
    const { fetch, seen } = fakeFetch(
      { status, body: problem(status, code) },
      { status: 201, body: transfer },
    );
    await expect(client(fetch).transfers.create(transferParams)).resolves.toMatchObject({ id: 'trf_1' });
    expect(seen).toHaveLength(2);
    expect(seen[0]?.headers['Idempotency-Key']).toBe(seen[1]?.headers['Idempotency-Key']);
  });

  it.each([
    [400, 'malformed_request'],
    [403, 'forbidden'],
    [404, 'not_found'],
    [409, 'conflict'],
    [422, 'insufficient_funds'],
    [422, 'idempotency_key_reused'],
  ])('when the server answers %i %s, then it is not retried', async (status, code) => {
    const { fetch, seen } = fakeFetch(
      { status, body: problem(status, code) },
      { status: 201, body: transfer },
    );
    await expect(client(fetch).transfers.create(transferParams)).rejects.toBeInstanceOf(APIError);
    expect(seen).toHaveLength(1);
  });

  it('when retries run out on 503, then the last ServerError is thrown', async () => {
    const reply = { status: 503, body: problem(503, 'service_unavailable'), headers: { 'retry-after': '0' } };
    const { fetch, seen } = fakeFetch(reply, reply, reply);
    const error = await client(fetch)
      .transfers.create(transferParams)
      .catch((e) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).code).toBe('service_unavailable');
    expect(seen).toHaveLength(3);
  });

  it('when maxRetries is 0 for one call, then that call is not retried', async () => {
    const { fetch, seen } = fakeFetch(new TypeError('fetch failed'), { status: 201, body: transfer });
    await expect(client(fetch).transfers.create(transferParams, { maxRetries: 0 })).rejects.toBeInstanceOf(
      ConnectionError,
    );
    expect(seen).toHaveLength(1);
  });

  it('when the server sends Retry-After, then the retry waits that long', async () => {
    vi.useFakeTimers();
    const { fetch, seen } = fakeFetch(
      { status: 429, body: problem(429, 'rate_limited'), headers: { 'retry-after': '2' } },
      { status: 200, body: account },
    );
    const pending = client(fetch).accounts.retrieve('acc_1');
    await vi.advanceTimersByTimeAsync(1999);
    expect(seen).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(pending).resolves.toMatchObject({ id: 'acc_1' });
    expect(seen).toHaveLength(2);
  });

  it('when the server sends Retry-After as an HTTP-date, then the retry waits until then', async () => {
    vi.useFakeTimers({ now: Date.UTC(2025, 0, 1, 12, 0, 0) });
    const { fetch, seen } = fakeFetch(
      {
        status: 503,
        body: problem(503, 'service_unavailable'),
        headers: { 'retry-after': 'Wed, 01 Jan 2025 12:00:03 GMT' },
      },
      { status: 200, body: account },
    );
    const pending = client(fetch).accounts.retrieve('acc_1');
    await vi.advanceTimersByTimeAsync(2900);
    expect(seen).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(200);
    await expect(pending).resolves.toMatchObject({ id: 'acc_1' });
  });

  it('when there is no Retry-After, then the waits grow exponentially (full jitter at its top)', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    vi.useFakeTimers();
    const { fetch, seen } = fakeFetch(new TypeError('fetch failed'), new TypeError('fetch failed'), {
      status: 200,
      body: account,
    });
    const pending = client(fetch).accounts.retrieve('acc_1');
    await vi.advanceTimersByTimeAsync(498);
    expect(seen).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2);
    expect(seen).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(990);
    expect(seen).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(10);
    await expect(pending).resolves.toMatchObject({ id: 'acc_1' });
  });
});

describe('timeouts and aborts', () => {
  /** A fetch that never answers but honours its signal, like the real one. */
  const hangingFetch = vi.fn(
    (_input: string | URL | Request, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      }),
  ) as unknown as typeof fetch;

  it('when no answer arrives in time, then TimeoutError (a ConnectionError) after every retry', async () => {
    const calls = vi.mocked(hangingFetch).mock.calls.length;
    const error = await client(hangingFetch, { timeoutMs: 20, maxRetries: 1 })
      .accounts.retrieve('acc_1')
      .catch((e) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(vi.mocked(hangingFetch).mock.calls.length - calls).toBe(2);
  });

  it('when the caller aborts mid-request, then AbortError at once and no retry', async () => {
    const controller = new AbortController();
    const calls = vi.mocked(hangingFetch).mock.calls.length;
    const pending = client(hangingFetch).accounts.retrieve('acc_1', { signal: controller.signal });
    setTimeout(() => controller.abort(), 5);
    const error = await pending.catch((e) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(vi.mocked(hangingFetch).mock.calls.length - calls).toBe(1);
  });

  it('when the caller aborts during a backoff wait, then AbortError without waiting it out', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    const controller = new AbortController();
    const { fetch, seen } = fakeFetch(
      { status: 503, body: problem(503, 'service_unavailable'), headers: { 'retry-after': '30' } },
      { status: 200, body: account },
    );
    const started = Date.now();
    const pending = client(fetch).accounts.retrieve('acc_1', { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toBeInstanceOf(AbortError);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(seen).toHaveLength(1);
  });

  it('when the signal is already aborted, then nothing is sent', async () => {
    const { fetch, seen } = fakeFetch({ status: 200, body: account });
    await expect(
      client(fetch).accounts.retrieve('acc_1', { signal: AbortSignal.abort() }),
    ).rejects.toBeInstanceOf(AbortError);
    expect(seen).toHaveLength(0);
  });
});

describe('authentication', () => {
  const tokenReply = (token: string) => ({
    status: 200,
    body: { access_token: token, token_type: 'Bearer', expires_in: 900 },
  });
  const unauthenticated = { status: 401, body: problem(401, 'unauthenticated') };

  it('when password auth is used, then the client logs in once, lazily, and reuses the token', async () => {
    const { fetch, seen } = fakeFetch(
      tokenReply('t1'),
      { status: 200, body: account },
      { status: 200, body: account },
    );
    const c = new Wekeza({
      baseUrl: 'http://bank.test',
      auth: { username: 'u@x.co', password: 'pw' },
      fetch,
    });
    expect(seen).toHaveLength(0);
    await c.accounts.retrieve('acc_1');
    await c.accounts.retrieve('acc_1');
    expect(seen.map((s) => s.url)).toEqual([
      'http://bank.test/v1/auth/token',
      'http://bank.test/v1/accounts/acc_1',
      'http://bank.test/v1/accounts/acc_1',
    ]);
    expect(seen[0]?.body).toEqual({ grant_type: 'password', username: 'u@x.co', password: 'pw' });
    expect(seen[0]?.headers.Authorization).toBeUndefined();
    expect(seen[2]?.headers.Authorization).toBe('Bearer t1');
  });

  it('when concurrent first calls need a login, then they share one login', async () => {
    const { fetch, seen } = fakeFetch(
      tokenReply('t1'),
      { status: 200, body: account },
      { status: 200, body: account },
    );
    const c = new Wekeza({ baseUrl: 'http://bank.test', auth: { clientId: 'p', clientSecret: 's' }, fetch });
    await Promise.all([c.accounts.retrieve('acc_1'), c.accounts.retrieve('acc_1')]);
    expect(seen.filter((s) => s.url.endsWith('/v1/auth/token'))).toHaveLength(1);
    expect(seen[0]?.body).toEqual({ grant_type: 'client_credentials', client_id: 'p', client_secret: 's' });
  });

  it('when a cached token is refused with 401 unauthenticated, then the client logs in again once and retries', async () => {
    const { fetch, seen } = fakeFetch(tokenReply('t1'), unauthenticated, tokenReply('t2'), {
      status: 201,
      body: transfer,
    });
    const c = new Wekeza({ baseUrl: 'http://bank.test', auth: { username: 'u', password: 'p' }, fetch });
    await expect(c.transfers.create(transferParams)).resolves.toMatchObject({ id: 'trf_1' });
    expect(seen[3]?.headers.Authorization).toBe('Bearer t2');
    expect(seen[1]?.headers['Idempotency-Key']).toBe(seen[3]?.headers['Idempotency-Key']);
  });

  it('when the renewed token is refused too, then AuthenticationError (no loop)', async () => {
    const { fetch, seen } = fakeFetch(tokenReply('t1'), unauthenticated, tokenReply('t2'), unauthenticated);
    const c = new Wekeza({ baseUrl: 'http://bank.test', auth: { username: 'u', password: 'p' }, fetch });
    await expect(c.me.retrieve()).rejects.toBeInstanceOf(AuthenticationError);
    expect(seen).toHaveLength(4);
  });

  it('when the login itself is refused, then AuthenticationError from the login', async () => {
    const { fetch, seen } = fakeFetch(unauthenticated);
    const c = new Wekeza({ baseUrl: 'http://bank.test', auth: { username: 'u', password: 'bad' }, fetch });
    await expect(c.me.retrieve()).rejects.toBeInstanceOf(AuthenticationError);
    expect(seen).toHaveLength(1);
  });

  it('when getSession is used, then it is called once and again only after a 401 unauthenticated', async () => {
    const getSession = vi.fn<() => Promise<string>>().mockResolvedValueOnce('s1').mockResolvedValueOnce('s2');
    const { fetch, seen } = fakeFetch({ status: 200, body: account }, unauthenticated, {
      status: 200,
      body: account,
    });
    const c = new Wekeza({ baseUrl: 'http://bank.test', auth: { getSession }, fetch });
    await c.accounts.retrieve('acc_1');
    await c.accounts.retrieve('acc_1');
    expect(getSession).toHaveBeenCalledTimes(2);
    expect(seen.map((s) => s.headers.Authorization)).toEqual(['Bearer s1', 'Bearer s1', 'Bearer s2']);
  });

  it('when a static token is refused, then AuthenticationError without another attempt', async () => {
    const { fetch, seen } = fakeFetch(unauthenticated);
    await expect(client(fetch).me.retrieve()).rejects.toBeInstanceOf(AuthenticationError);
    expect(seen).toHaveLength(1);
  });

  it('when the 401 is mfa_required, then nothing is renewed', async () => {
    const getSession = vi.fn(async () => 's1');
    const { fetch, seen } = fakeFetch({ status: 401, body: problem(401, 'mfa_required') });
    const c = new Wekeza({ baseUrl: 'http://bank.test', auth: { getSession }, fetch });
    const error = (await c.transfers.create(transferParams).catch((e) => e)) as AuthenticationError;
    expect(error.code).toBe('mfa_required');
    expect(getSession).toHaveBeenCalledTimes(1);
    expect(seen).toHaveLength(1);
  });
});

describe('pagination', () => {
  const pageOf = (ids: string[], next: string | null) => ({
    status: 200,
    body: { data: ids.map((id) => ({ ...account, id })), has_more: next !== null, next_cursor: next },
  });

  it('when iterated with for await, then every item of every page comes, following the cursors', async () => {
    const { fetch, seen } = fakeFetch(
      pageOf(['acc_1', 'acc_2'], 'acc_2'),
      pageOf(['acc_3', 'acc_4'], 'acc_4'),
      pageOf(['acc_5'], null),
    );
    const ids: string[] = [];
    for await (const a of client(fetch).accounts.list({ limit: 2 })) ids.push(a.id);
    expect(ids).toEqual(['acc_1', 'acc_2', 'acc_3', 'acc_4', 'acc_5']);
    expect(seen.map((s) => new URL(s.url).search)).toEqual([
      '?limit=2',
      '?limit=2&starting_after=acc_2',
      '?limit=2&starting_after=acc_4',
    ]);
  });

  it('when awaited, then it is the first page with its cursor and the way to the next', async () => {
    const { fetch, seen } = fakeFetch(pageOf(['acc_1'], 'acc_1'), pageOf(['acc_2'], null));
    const page = await client(fetch).accounts.list({ limit: 1 });
    expect(page.data.map((a) => a.id)).toEqual(['acc_1']);
    expect(page.hasMore).toBe(true);
    expect(page.nextCursor).toBe('acc_1');
    expect(page.hasNextPage()).toBe(true);
    const next = await page.getNextPage();
    expect(next.hasNextPage()).toBe(false);
    await expect(next.getNextPage()).rejects.toBeInstanceOf(WekezaError);
    expect(seen).toHaveLength(2);
  });

  it('when a PagePromise is awaited twice, then the first page is fetched once', async () => {
    const { fetch, seen } = fakeFetch(pageOf(['acc_1'], null));
    const list = client(fetch).accounts.list();
    await list;
    await list;
    expect(seen).toHaveLength(1);
  });

  it('when startingAfter is given, then the first request starts there', async () => {
    const { fetch, seen } = fakeFetch(pageOf([], null));
    await client(fetch).transactions.list('acc_1', { startingAfter: 'txn_9' });
    expect(seen[0]?.url).toBe('http://bank.test/v1/accounts/acc_1/transactions?starting_after=txn_9');
  });
});
