import {
  defaultFixtures,
  formatMinor,
  MOCK_OTHER_KES_ID,
  MOCK_OTP,
  MOCK_STEP_UP_MINOR,
  type MockFixtures,
  type WireAccount,
  type WireTransaction,
} from './fixtures.ts';
import { MockBorrow } from './loans.ts';
import { MockRails } from './rails.ts';
import { defaultSaveFixtures, MockSave } from './save.ts';
import type { StaffMock } from './staff.ts';
import { staffMockLoader } from './staff-hook.ts';

export interface MockBankOptions {
  /** The data to start from (default: `defaultFixtures()`). */
  fixtures?: MockFixtures;
  /** Delay of every answer in ms, to see loading states (default 0). */
  latencyMs?: number;
  /** How long a deposit's phone (or a withdrawal's rail) takes to answer, in ms (default 1500). */
  railDelayMs?: number;
}

/** A request the fake received, for tests (e.g. count the POSTs of a double click). */
export interface MockRequestRecord {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
  status: number;
}

/** A canned failure: answer every matching request with this problem (or a network error). */
export interface MockFailure {
  method?: string;
  /** Matched against the path (e.g. `/v1/accounts`). */
  path?: RegExp;
  /** An HTTP status and problem code, or `network` for a fetch that rejects. */
  status?: number;
  code?: string;
  network?: boolean;
  /** Field errors of a `validation_failed` answer. */
  errors?: { path: string; message: string }[];
  /** Answer only this many times (default: until `clearFailures()`). */
  times?: number;
}

interface Answer {
  status: number;
  body: unknown;
  /** A file (a statement download) instead of a JSON body. */
  file?: { text: string; type: string; name: string };
}

const TITLES: Record<string, string> = {
  unauthenticated: 'Authentication required',
  not_found: 'Not found',
  validation_failed: 'The request is not valid',
  insufficient_funds: 'Insufficient funds',
  currency_mismatch: 'Currency mismatch',
  mfa_required: 'Step-up authentication required',
  conflict: 'Conflict',
  exceeds_payoff: 'Exceeds payoff',
  idempotency_key_reused: 'Idempotency key reused',
  forbidden: 'Forbidden',
  rate_limited: 'Too many requests',
  internal_error: 'Internal error',
};

function oauthError(status: number, error: string, code: string, detail: string): Answer {
  const answer = problem(status, code, detail);
  return { status, body: { error, error_description: detail, ...(answer.body as object) } };
}

function problem(
  status: number,
  code: string,
  detail?: string,
  errors?: { path: string; message: string }[],
): Answer {
  return {
    status,
    body: {
      type: `https://docs.wekeza.dev/problems/${code}`,
      title: TITLES[code] ?? code,
      status,
      code,
      ...(detail !== undefined ? { detail } : {}),
      ...(errors !== undefined ? { errors } : {}),
    },
  };
}

/** The paths the staff side of the mock answers. */
const STAFF_PATH = /^\/v1\/(customers|loan-applications\/|approvals|risk\/|audit)/;

const EXPONENTS: Record<string, number> = { UGX: 0, RWF: 0, JPY: 0 };
const exponentOf = (currency: string) => EXPONENTS[currency] ?? 2;

/**
 * An in-memory Wekeza API for mock mode: `bank.fetch` answers `/v1/*` requests from fixtures the
 * way the reference server does (problem+json errors, cursors, idempotency), so widgets in mock
 * mode still go through the real SDK client. Transfers move the in-memory balances, append
 * transactions, refuse overdrafts with 422 `insufficient_funds`, and above KES 100,000 need the
 * one-time code `123456` (401 `mfa_required` otherwise).
 */
export class MockBank {
  readonly fixtures: MockFixtures;
  latencyMs: number;
  /** Every request received, oldest first. */
  readonly requests: MockRequestRecord[] = [];
  #staff: Promise<StaffMock> | undefined;
  readonly #failures: MockFailure[] = [];
  readonly #idempotency = new Map<string, { body: string; answer: Answer }>();
  #sequence = 0;
  /** Borrow routes (credit limit, products, quotes, applications, loans). */
  readonly borrow: MockBorrow;
  /** Deposits, withdrawals and the event stream (issue 14). */
  readonly rails: MockRails;
  /** Save, statements and pay by phone (savings products, fixed deposits, statements, payees). */
  readonly save: MockSave;

  constructor(options: MockBankOptions = {}) {
    this.fixtures = options.fixtures ?? defaultFixtures();
    this.latencyMs = options.latencyMs ?? 0;
    this.borrow = new MockBorrow(
      this.fixtures.borrow,
      () => this.fixtures.accounts,
      this.fixtures.customer.id,
      problem,
    );
    this.rails = new MockRails(this.fixtures, problem, options.railDelayMs);
    this.save = new MockSave(defaultSaveFixtures(MOCK_OTHER_KES_ID), () => this.fixtures, problem);
  }

  /** A `fetch` answering from this bank; pass it to `new Wekeza({ fetch })`. */
  readonly fetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const path = url.pathname.replace(/^.*?(?=\/v1\/)/, '');
    const text = request.method === 'GET' ? '' : await request.text();
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = text;
    }
    const headers: Record<string, string> = {};
    request.headers.forEach((value, key) => {
      headers[key] = value;
    });
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    const record: MockRequestRecord = { method: request.method, path, headers, body, status: 0 };
    this.requests.push(record);

    const failure = this.#failures.find(
      (f) =>
        (f.method === undefined || f.method === request.method) &&
        (f.path === undefined || f.path.test(path)),
    );
    if (failure !== undefined) {
      if (failure.times !== undefined && --failure.times <= 0) {
        this.#failures.splice(this.#failures.indexOf(failure), 1);
      }
      if (failure.network) {
        record.status = -1;
        throw new TypeError('Failed to fetch');
      }
      return this.#respond(
        record,
        problem(failure.status ?? 500, failure.code ?? 'internal_error', undefined, failure.errors),
      );
    }
    if (
      request.method === 'GET' &&
      path === '/v1/events/stream' &&
      /^Bearer \S+/.test(headers.authorization ?? '')
    ) {
      record.status = 200;
      return this.rails.stream(headers['last-event-id'], request.signal);
    }
    // The staff side (bankers and administrators) answers its own paths; see staff.ts.
    const authorized = /^Bearer \S+/.test(headers.authorization ?? '') || path === '/v1/audit/public-keys';
    const staffSide = authorized && STAFF_PATH.test(path) ? await this.staffMock() : undefined;
    const staff = await staffSide?.route(request.method, path, url.searchParams, body, problem);
    return this.#respond(
      record,
      staff ?? this.#route(request.method, path, url.searchParams, headers, text, body),
    );
  };

  /**
   * The staff side (customers and their 360, reviews, approvals, risk, the audit log), loaded on
   * first use (undefined until a staff widget has loaded: they register it), so a customer page in
   * mock mode never carries it.
   */
  staffMock(): Promise<StaffMock> | undefined {
    const load = staffMockLoader();
    if (load) this.#staff ??= load();
    return this.#staff;
  }

  /** Answers matching requests with a failure until `clearFailures()` (or `times` answers). */
  fail(failure: MockFailure): this {
    this.#failures.push({ ...failure });
    return this;
  }

  clearFailures(): void {
    this.#failures.length = 0;
  }

  /** The POSTs to `/v1/transfers` received so far. */
  get transferRequests(): MockRequestRecord[] {
    return this.requests.filter((r) => r.method === 'POST' && r.path === '/v1/transfers');
  }

  /** Transfers that actually moved money. */
  transfersCompleted = 0;

  /** An account's current ledger balance as a wire decimal string. */
  balanceOf(accountId: string): string | undefined {
    const account = this.fixtures.accounts.find((a) => a.id === accountId);
    return account && formatMinor(account.ledgerMinor, exponentOf(account.currency));
  }

  #respond(record: MockRequestRecord, answer: Answer): Response {
    record.status = answer.status;
    if (answer.file) {
      return new Response(answer.file.text, {
        status: answer.status,
        headers: {
          'content-type': answer.file.type,
          'content-disposition': `attachment; filename="${answer.file.name}"`,
          'x-request-id': `req_mock_${++this.#sequence}`,
        },
      });
    }
    const requestId = `req_mock_${++this.#sequence}`;
    const isProblem = answer.status >= 400;
    if (isProblem && typeof answer.body === 'object' && answer.body !== null) {
      (answer.body as Record<string, unknown>).request_id = requestId;
    }
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status,
      headers: {
        'content-type': isProblem ? 'application/problem+json' : 'application/json',
        'x-request-id': requestId,
      },
    });
  }

  #route(
    method: string,
    path: string,
    query: URLSearchParams,
    headers: Record<string, string>,
    text: string,
    body: unknown,
  ): Answer {
    if (method === 'POST' && path === '/v1/auth/token') return this.#token(body);
    if (!/^Bearer \S+/.test(headers.authorization ?? '')) return problem(401, 'unauthenticated');
    if (method === 'GET' && path === '/v1/me') return { status: 200, body: this.#me() };
    if (method === 'GET' && path === '/v1/accounts') {
      const own = this.fixtures.accounts.filter((a) => a.ownerId === this.fixtures.customer.id);
      return this.#page(
        own.map((a) => this.#account(a)),
        query,
      );
    }
    let match = /^\/v1\/accounts\/([^/]+)$/.exec(path);
    if (method === 'GET' && match) {
      const account = this.#ownAccount(decodeURIComponent(match[1] ?? ''));
      return account ? { status: 200, body: this.#account(account) } : problem(404, 'not_found');
    }
    match = /^\/v1\/accounts\/([^/]+)\/transactions$/.exec(path);
    if (method === 'GET' && match) {
      const account = this.#ownAccount(decodeURIComponent(match[1] ?? ''));
      if (!account) return problem(404, 'not_found');
      return this.#page(
        this.fixtures.transactions.filter((t) => t.account_id === account.id),
        query,
      );
    }
    if (method === 'POST' && path === '/v1/transfers') {
      const key = headers['idempotency-key'];
      if (key !== undefined) {
        const seen = this.#idempotency.get(key);
        if (seen) return seen.body === text ? seen.answer : problem(422, 'idempotency_key_reused');
      }
      const answer = this.#transfer(body);
      if (key !== undefined) this.#idempotency.set(key, { body: text, answer });
      return answer;
    }
    const borrowKey = headers['idempotency-key'];
    const borrowSeen =
      method === 'POST' && borrowKey !== undefined ? this.#idempotency.get(borrowKey) : undefined;
    if (borrowSeen)
      return borrowSeen.body === text ? borrowSeen.answer : problem(422, 'idempotency_key_reused');
    const borrow = this.borrow.route(method, path, query, body);
    if (borrow !== undefined) {
      if (method === 'POST' && borrowKey !== undefined)
        this.#idempotency.set(borrowKey, { body: text, answer: borrow });
      return borrow;
    }
    const save = this.save.route(method, path, query, body);
    if (save !== undefined) {
      if (method === 'POST' && borrowKey !== undefined)
        this.#idempotency.set(borrowKey, { body: text, answer: save });
      return save;
    }
    // Rails and events (issue 14): deposits, withdrawals, the event list.
    const railKey = method === 'POST' ? headers['idempotency-key'] : undefined;
    const railSeen = railKey === undefined ? undefined : this.#idempotency.get(railKey);
    if (railSeen) return railSeen.body === text ? railSeen.answer : problem(422, 'idempotency_key_reused');
    const rails = this.rails.route(method, path, body);
    if (rails !== undefined) {
      if (railKey !== undefined && rails.status < 500)
        this.#idempotency.set(railKey, { body: text, answer: rails });
      return rails;
    }
    return problem(404, 'not_found', `No route for ${method} ${path}`);
  }

  #token(body: unknown): Answer {
    const grant = (body ?? {}) as Record<string, unknown>;
    const { usernames, password } = this.fixtures.credentials;
    if (
      grant.grant_type !== 'password' ||
      typeof grant.username !== 'string' ||
      typeof grant.password !== 'string'
    ) {
      return oauthError(400, 'invalid_request', 'validation_failed', 'grant_type must be "password"');
    }
    // As the bank's token endpoint answers (RFC 6749 §5.2): 400 invalid_grant, the problem code beside it.
    if (!usernames.includes(grant.username) || grant.password !== password)
      return oauthError(400, 'invalid_grant', 'unauthenticated', 'Wrong username or password.');
    return {
      status: 200,
      body: { access_token: `mock_${++this.#sequence}_token`, token_type: 'Bearer', expires_in: 900 },
    };
  }

  #me() {
    const c = this.fixtures.customer;
    return {
      id: c.id,
      roles: c.roles,
      email: c.email,
      phone: c.phone,
      full_name: c.full_name,
      kyc_tier: c.kyc_tier,
      created_at: c.created_at,
    };
  }

  #ownAccount(id: string): WireAccount | undefined {
    return this.fixtures.accounts.find((a) => a.id === id && a.ownerId === this.fixtures.customer.id);
  }

  #account(a: WireAccount) {
    const exp = exponentOf(a.currency);
    const body: Record<string, unknown> & { id: string } = {
      id: a.id,
      type: a.type,
      currency: a.currency,
      status: a.status,
      balance: {
        ledger: { amount: formatMinor(a.ledgerMinor, exp), currency: a.currency },
        available: { amount: formatMinor(a.ledgerMinor - a.holdsMinor, exp), currency: a.currency },
      },
      created_at: a.created_at,
    };
    this.save.decorate(a, body);
    return body;
  }

  #page<T extends { id: string }>(items: T[], query: URLSearchParams): Answer {
    const limitText = query.get('limit');
    if (limitText !== null && !/^(100|[1-9][0-9]?)$/.test(limitText)) {
      return problem(422, 'validation_failed', undefined, [
        { path: 'limit', message: 'must be a whole number from 1 to 100' },
      ]);
    }
    const limit = limitText === null ? 20 : Number.parseInt(limitText, 10);
    const after = query.get('starting_after');
    const start = after === null ? 0 : items.findIndex((item) => item.id === after) + 1;
    if (after !== null && start === 0) return problem(404, 'not_found');
    const data = items.slice(start, start + limit);
    const hasMore = start + limit < items.length;
    return {
      status: 200,
      body: { data, has_more: hasMore, next_cursor: hasMore ? (data.at(-1)?.id ?? null) : null },
    };
  }

  #transfer(body: unknown): Answer {
    const input = (body ?? {}) as Record<string, unknown>;
    const errors: { path: string; message: string }[] = [];
    const amount = input.amount as { amount?: unknown; currency?: unknown } | undefined;
    const idPattern = /^acc_[0-9A-Za-z_]{1,60}$/;
    if (typeof input.from_account_id !== 'string' || !idPattern.test(input.from_account_id)) {
      errors.push({ path: 'from_account_id', message: 'must be an acc_… identifier' });
    }
    if (typeof input.to_account_id !== 'string' || !idPattern.test(input.to_account_id)) {
      errors.push({ path: 'to_account_id', message: 'must be an acc_… identifier' });
    }
    const currency = typeof amount?.currency === 'string' ? amount.currency : '';
    const exp = exponentOf(currency);
    const pattern =
      exp > 0 ? new RegExp(`^(0|[1-9][0-9]{0,11})(\\.[0-9]{1,${exp}})?$`) : /^(0|[1-9][0-9]{0,11})$/;
    let minor = 0n;
    if (typeof amount?.amount !== 'string' || !pattern.test(amount.amount)) {
      errors.push({ path: 'amount.amount', message: 'must be a positive decimal string' });
    } else {
      const [whole = '0', fraction = ''] = amount.amount.split('.');
      minor = BigInt(whole + fraction.padEnd(exp, '0'));
      if (minor <= 0n) errors.push({ path: 'amount.amount', message: 'must be greater than zero' });
    }
    if (
      input.reference !== undefined &&
      (typeof input.reference !== 'string' || input.reference.length > 140)
    ) {
      errors.push({ path: 'reference', message: 'must be at most 140 characters' });
    }
    if (errors.length === 0 && input.from_account_id === input.to_account_id) {
      errors.push({ path: 'to_account_id', message: 'must differ from from_account_id' });
    }
    if (errors.length > 0) return problem(422, 'validation_failed', 'The request is not valid', errors);

    const from = this.#ownAccount(input.from_account_id as string);
    const to = this.fixtures.accounts.find((a) => a.id === input.to_account_id);
    if (!from || !to) return problem(404, 'not_found', 'No such account');
    if (from.currency !== currency || to.currency !== currency) {
      return problem(422, 'currency_mismatch', `Both accounts and the amount must be in ${from.currency}`);
    }
    if (minor > MOCK_STEP_UP_MINOR && input.otp !== MOCK_OTP) {
      return problem(401, 'mfa_required', 'This transfer needs a one-time code');
    }
    if (from.ledgerMinor - from.holdsMinor < minor) {
      return problem(422, 'insufficient_funds', 'Not enough available funds');
    }

    const n = ++this.#sequence;
    const journalEntryId = `je_mock${n}`;
    const now = new Date().toISOString();
    const reference = typeof input.reference === 'string' ? input.reference : null;
    from.ledgerMinor -= minor;
    to.ledgerMinor += minor;
    const line = (account: WireAccount, signed: bigint, description: string): WireTransaction => ({
      id: `txn_mock${n}_${account === from ? 'd' : 'c'}`,
      account_id: account.id,
      journal_entry_id: journalEntryId,
      kind: 'transfer',
      description,
      direction: signed < 0n ? 'debit' : 'credit',
      amount: { amount: formatMinor(signed, exp), currency },
      balance_after: { amount: formatMinor(account.ledgerMinor, exp), currency },
      effective_date: now.slice(0, 10),
      created_at: now,
    });
    this.fixtures.transactions.unshift(
      line(from, -minor, reference ?? `Transfer to ${to.id}`),
      line(to, minor, reference ?? `Transfer from ${from.id}`),
    );
    this.transfersCompleted += 1;
    this.rails.publish('transfer.completed', {
      transfer_id: `trf_mock${n}`,
      from_account_id: from.id,
      to_account_id: to.id,
    });
    return {
      status: 201,
      body: {
        id: `trf_mock${n}`,
        status: 'completed',
        from_account_id: from.id,
        to_account_id: to.id,
        amount: { amount: formatMinor(minor, exp), currency },
        reference,
        journal_entry_id: journalEntryId,
        created_at: now,
      },
    };
  }
}
