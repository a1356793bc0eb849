import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBank, type TestBank, testDialects } from '../src/testing/index.ts';
import { fund, Http, login, newCustomer } from './support/http.ts';

/** What must not change when a request is refused: every count and every balance. */
async function snapshot(bank: TestBank) {
  const prisma = bank.db.prisma;
  const [entries, postings, transfers, users, accounts] = await Promise.all([
    prisma.journalEntry.count(),
    prisma.posting.count(),
    prisma.transfer.count(),
    prisma.user.count(),
    prisma.account.findMany({
      select: { id: true, balanceMinor: true, heldMinor: true },
      orderBy: { id: 'asc' },
    }),
  ]);
  return JSON.stringify({ entries, postings, transfers, users, accounts }, (_k, v) =>
    typeof v === 'bigint' ? v.toString() : v,
  );
}

// Every malformed amount API.md lists, and more.
const BAD_AMOUNTS: [string, unknown][] = [
  ['three decimals for KES', '1.005'],
  ['negative', '-5'],
  ['exponent', '1e3'],
  ['empty', ''],
  ['letters', 'abc'],
  ['beyond 999,999,999,999.99', '1000000000000.00'],
  ['a JSON number', 1500.5],
  ['a JSON integer', 100],
  ['leading plus', '+5'],
  ['spaces', ' 5'],
  ['grouping comma', '1,000'],
  ['trailing dot', '5.'],
  ['leading dot', '.5'],
  ['zero', '0'],
  ['zero with decimals', '0.00'],
  ['hex', '0x10'],
  ['Infinity', 'Infinity'],
  ['NaN', 'NaN'],
  ['null', null],
  ['an object', { value: '5' }],
];

describe.each(testDialects())('bad input on %s', (dialect) => {
  let bank: TestBank;
  let alice: Awaited<ReturnType<typeof newCustomer>>;
  let bob: Awaited<ReturnType<typeof newCustomer>>;
  let aliceSavings: string;
  let aliceUsd: string;
  beforeAll(async () => {
    bank = await startTestBank(dialect, { WEKEZA_BODY_LIMIT: '4kb' });
    const admin = await login(bank, 'admin@sandbox.test');
    alice = await newCustomer(bank);
    bob = await newCustomer(bank);
    await fund(admin, alice.walletId, '100.00');
    aliceSavings = String(
      (await alice.http.post('/v1/accounts', { type: 'savings', currency: 'KES' })).body.id,
    );
    aliceUsd = String((await alice.http.post('/v1/accounts', { type: 'wallet', currency: 'USD' })).body.id);
  });
  afterAll(async () => {
    await bank?.stop();
  });

  /** Sends a refused request and checks the problem, its code, and that nothing changed. */
  async function refused(
    send: () => Promise<{ status: number; headers: Headers; body: Record<string, unknown> }>,
    status: number,
    code: string,
    /** RFC 6749 §5.2 says OAuth errors are application/json (with our problem fields beside `error`). */
    contentType = 'application/problem+json',
  ) {
    const before = await snapshot(bank);
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain(contentType);
    expect(res.body).toMatchObject({ status, code, type: `urn:wekeza:problem:${code}` });
    expect(typeof res.body.title).toBe('string');
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+|node_modules|Error:/);
    expect(await snapshot(bank)).toBe(before);
    return res.body;
  }

  const transfer = (http: Http, body: unknown, headers: Record<string, string> = {}) =>
    http.post('/v1/transfers', body, { headers });

  it.each(BAD_AMOUNTS)(
    'when the amount is %s, then 422 validation_failed names body.amount.amount',
    async (_name, amount) => {
      const body = await refused(
        () =>
          transfer(alice.http, {
            from_account_id: alice.walletId,
            to_account_id: bob.walletId,
            amount: { amount, currency: 'KES' },
          }),
        422,
        'validation_failed',
      );
      expect(body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ path: 'body.amount.amount' })]),
      );
    },
  );

  it('when a UGX amount has decimals, then it is refused (UGX has no minor unit)', async () => {
    await refused(
      () =>
        alice.http.post('/v1/sandbox/deposits', {
          account_id: alice.walletId,
          amount: { amount: '10.5', currency: 'UGX' },
        }),
      422,
      'validation_failed',
    );
  });

  it('when the currency is unknown, then 422 names the currency', async () => {
    const body = await refused(
      () =>
        transfer(alice.http, {
          from_account_id: alice.walletId,
          to_account_id: bob.walletId,
          amount: { amount: '1.00', currency: 'XXX' },
        }),
      422,
      'validation_failed',
    );
    expect(body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'body.amount.currency' })]),
    );
  });

  it('when the body has an unknown field, then 422 says which', async () => {
    const body = await refused(
      () =>
        transfer(alice.http, {
          from_account_id: alice.walletId,
          to_account_id: bob.walletId,
          amount: { amount: '1.00', currency: 'KES' },
          fee_waiver: true,
        }),
      422,
      'validation_failed',
    );
    expect(JSON.stringify(body.errors)).toContain('fee_waiver');
  });

  it('when a required field is missing or of the wrong type, then 422', async () => {
    await refused(
      () =>
        transfer(alice.http, {
          from_account_id: alice.walletId,
          amount: { amount: '1.00', currency: 'KES' },
        }),
      422,
      'validation_failed',
    );
    await refused(
      () =>
        transfer(alice.http, {
          from_account_id: 42,
          to_account_id: bob.walletId,
          amount: { amount: '1', currency: 'KES' },
        }),
      422,
      'validation_failed',
    );
    await refused(() => transfer(alice.http, [1, 2, 3]), 422, 'validation_failed');
    await refused(
      () => alice.http.post('/v1/accounts', { type: 'checking', currency: 'KES' }),
      422,
      'validation_failed',
    );
  });

  it('when the accounts are unknown or foreign, then 404', async () => {
    await refused(
      () =>
        transfer(alice.http, {
          from_account_id: alice.walletId,
          to_account_id: 'acc_NOPE',
          amount: { amount: '1.00', currency: 'KES' },
        }),
      404,
      'not_found',
    );
    await refused(
      () =>
        transfer(alice.http, {
          from_account_id: bob.walletId,
          to_account_id: alice.walletId,
          amount: { amount: '1.00', currency: 'KES' },
        }),
      404,
      'not_found',
    );
  });

  it('when both sides are the same account, then 422', async () => {
    await refused(
      () =>
        transfer(alice.http, {
          from_account_id: alice.walletId,
          to_account_id: alice.walletId,
          amount: { amount: '1.00', currency: 'KES' },
        }),
      422,
      'validation_failed',
    );
  });

  it('when the currencies do not match, then 422 currency_mismatch', async () => {
    await refused(
      () =>
        transfer(alice.http, {
          from_account_id: alice.walletId,
          to_account_id: aliceUsd,
          amount: { amount: '1.00', currency: 'KES' },
        }),
      422,
      'currency_mismatch',
    );
    await refused(
      () =>
        transfer(alice.http, {
          from_account_id: alice.walletId,
          to_account_id: aliceSavings,
          amount: { amount: '1.00', currency: 'USD' },
        }),
      422,
      'currency_mismatch',
    );
  });

  it('when the balance is too low, then 422 insufficient_funds', async () => {
    await refused(
      () =>
        transfer(alice.http, {
          from_account_id: alice.walletId,
          to_account_id: bob.walletId,
          amount: { amount: '100.01', currency: 'KES' },
        }),
      422,
      'insufficient_funds',
    );
  });

  it('when the JSON is malformed, then 400 malformed_request', async () => {
    await refused(
      () =>
        alice.http.request('POST', '/v1/transfers', {
          raw: '{"from_account_id": ',
          headers: { 'content-type': 'application/json' },
        }),
      400,
      'malformed_request',
    );
  });

  it('when the content type is not JSON, then 415', async () => {
    await refused(
      () =>
        alice.http.request('POST', '/v1/transfers', {
          raw: 'from=a&to=b',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
      415,
      'unsupported_media_type',
    );
    await refused(
      () =>
        alice.http.request('POST', '/v1/transfers', { raw: '{}', headers: { 'content-type': 'text/plain' } }),
      415,
      'unsupported_media_type',
    );
  });

  it('when the body is larger than the limit, then 413', async () => {
    await refused(
      () =>
        transfer(alice.http, {
          from_account_id: alice.walletId,
          to_account_id: bob.walletId,
          amount: { amount: '1.00', currency: 'KES' },
          reference: 'x'.repeat(10_000),
        }),
      413,
      'payload_too_large',
    );
  });

  it('when the token is missing, garbage, or signed by someone else, then 401', async () => {
    const anonymous = alice.http.as('');
    await refused(() => anonymous.get('/v1/accounts'), 401, 'unauthenticated');
    await refused(() => alice.http.as('garbage.garbage.garbage').get('/v1/accounts'), 401, 'unauthenticated');
    // A well-formed token from another bank (a different signing key).
    const other = await startTestBank('sqlite');
    try {
      const token = await new Http(other.url).post<{ access_token: string }>('/v1/auth/token', {
        grant_type: 'password',
        username: 'customer@sandbox.test',
        password: 'sandbox-pass-123',
      });
      const foreign = alice.http.as(token.body.access_token);
      await refused(() => foreign.get('/v1/me'), 401, 'unauthenticated');
      await refused(
        () =>
          transfer(foreign, {
            from_account_id: alice.walletId,
            to_account_id: bob.walletId,
            amount: { amount: '1.00', currency: 'KES' },
          }),
        401,
        'unauthenticated',
      );
    } finally {
      await other.stop();
    }
  });

  it('when the Idempotency-Key is missing or malformed on a transfer, then 422 names the header', async () => {
    const body = {
      from_account_id: alice.walletId,
      to_account_id: bob.walletId,
      amount: { amount: '1.00', currency: 'KES' },
    };
    const missing = await refused(
      () => alice.http.post('/v1/transfers', body, { key: false }),
      422,
      'validation_failed',
    );
    expect(missing.errors).toEqual([
      { path: 'headers.idempotency-key', message: 'is required on this request' },
    ]);
    await refused(() => alice.http.post('/v1/transfers', body, { key: 'short' }), 422, 'validation_failed');
  });

  it('when the list parameters are out of range, then 422', async () => {
    for (const query of [
      '?limit=0',
      '?limit=101',
      '?limit=abc',
      '?limit=1&limit=2',
      '?starting_after=txn_NOPE',
      '?unknown=1',
    ]) {
      await refused(
        () => alice.http.get(`/v1/accounts/${alice.walletId}/transactions${query}`),
        422,
        'validation_failed',
      );
    }
  });

  it('when the route or the method does not exist, then 404 problem+json', async () => {
    await refused(() => alice.http.get('/v1/nothing-here'), 404, 'not_found');
    await refused(() => alice.http.request('DELETE', '/v1/transfers'), 404, 'not_found');
  });

  it('when signup input is bad, then 422 and no user is created', async () => {
    const anonymous = alice.http.as('');
    const good = {
      phone: '+254711111111',
      email: 'new@example.test',
      password: 'long enough password',
      full_name: 'New',
    };
    for (const bad of [
      { ...good, phone: '0711111111' },
      { ...good, email: 'not-an-email' },
      { ...good, password: 'short' },
      { ...good, full_name: '' },
      { ...good, national_id: 'x' },
      { ...good, role: 'admin' },
    ]) {
      await refused(() => anonymous.post('/v1/signup', bad, { key: false }), 422, 'validation_failed');
    }
    // The token endpoint answers in RFC 6749's words: 400 with `error`, and our `code` beside it.
    const oauth = await refused(
      () => anonymous.post('/v1/auth/token', { grant_type: 'magic', username: 'a' }),
      400,
      'validation_failed',
      'application/json',
    );
    expect(oauth.error).toBe('unsupported_grant_type');
    const missing = await refused(
      () => anonymous.post('/v1/auth/token', { grant_type: 'password', username: 'a' }),
      400,
      'validation_failed',
      'application/json',
    );
    expect(missing.error).toBe('invalid_request');
  });
});
