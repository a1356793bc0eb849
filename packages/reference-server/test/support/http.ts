import { randomUUID } from 'node:crypto';
import { SANDBOX_PASSWORD, type TestBank } from '../../src/testing/index.ts';

export interface Reply<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/** A thin JSON client over fetch for the server's own tests (the SDK has its own suite). */
export class Http {
  constructor(
    readonly baseUrl: string,
    private token?: string,
  ) {}

  as(token: string): Http {
    return new Http(this.baseUrl, token);
  }

  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: { body?: unknown; raw?: string; headers?: Record<string, string>; key?: string | false } = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let payload: string | undefined = options.raw;
    if (options.body !== undefined) {
      payload = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    if (method === 'POST' && options.key !== false)
      headers['idempotency-key'] ??= options.key ?? randomUUID();
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body: payload });
    // A stream never ends by itself: its status and headers are the answer.
    if (res.headers.get('content-type')?.startsWith('text/event-stream')) {
      await res.body?.cancel();
      return { status: res.status, headers: res.headers, body: undefined as T };
    }
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as T };
  }

  /** The raw response (for downloads that are not JSON). */
  fetch(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${this.baseUrl}${path}`, {
      headers: { ...headers, ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
    });
  }

  get<T = Record<string, unknown>>(path: string) {
    return this.request<T>('GET', path);
  }

  post<T = Record<string, unknown>>(
    path: string,
    body: unknown,
    options: { key?: string | false; headers?: Record<string, string> } = {},
  ) {
    return this.request<T>('POST', path, { body, ...options });
  }
}

export async function login(bank: TestBank, username: string, password = SANDBOX_PASSWORD): Promise<Http> {
  const http = new Http(bank.url);
  const res = await http.post<{ access_token: string }>('/v1/auth/token', {
    grant_type: 'password',
    username,
    password,
  });
  if (res.status !== 200)
    throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return http.as(res.body.access_token);
}

let counter = 0;
/** Signs a new customer up and logs them in; returns their client and wallet id. */
export async function newCustomer(bank: TestBank, options: { nationalId?: string } = {}) {
  counter += 1;
  const tag = `${process.pid}${Date.now().toString().slice(-6)}${counter}`;
  const email = `c${tag}@example.test`;
  const phone = `+2547${tag.slice(-8).padStart(8, '0')}`;
  const signup = await new Http(bank.url).post<{ id: string; wallet_account_id: string }>(
    '/v1/signup',
    {
      phone,
      email,
      password: 'correct horse battery',
      full_name: `Customer ${tag}`,
      ...(options.nationalId ? { national_id: options.nationalId } : {}),
    },
    { key: false },
  );
  if (signup.status !== 201)
    throw new Error(`signup failed: ${signup.status} ${JSON.stringify(signup.body)}`);
  const http = await login(bank, email, 'correct horse battery');
  return { http, id: signup.body.id, walletId: signup.body.wallet_account_id, email, phone };
}

/** Funds an account through the sandbox deposit endpoint (as the admin). */
export async function fund(admin: Http, accountId: string, amount: string, currency = 'KES') {
  const res = await admin.post('/v1/sandbox/deposits', {
    account_id: accountId,
    amount: { amount, currency },
  });
  if (res.status !== 201) throw new Error(`deposit failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
