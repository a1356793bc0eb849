import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcile } from '../src/modules/ledger/reconcile.ts';
import { startTestBank, type TestBank, testDialects } from '../src/testing/index.ts';
import { fund, Http, login, newCustomer } from './support/http.ts';

type Account = {
  id: string;
  type: string;
  balance: { ledger: { amount: string }; available: { amount: string } };
};

describe.each(testDialects())('the HTTP API on %s', (dialect) => {
  let bank: TestBank;
  let admin: Http;
  beforeAll(async () => {
    bank = await startTestBank(dialect);
    admin = await login(bank, 'admin@sandbox.test');
  });
  afterAll(async () => {
    await bank?.stop();
  });

  it('when the sandbox starts, then the seeded customer signs in and sees a funded wallet', async () => {
    const customer = await login(bank, 'customer@sandbox.test');
    const me = await customer.get('/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: 'customer@sandbox.test', roles: ['customer'], kyc_tier: 1 });
    const accounts = await customer.get<{ data: Account[] }>('/v1/accounts');
    expect(accounts.body.data).toHaveLength(1);
    expect(accounts.body.data[0]?.balance.ledger).toEqual({ amount: '25000.00', currency: 'KES' });
    // The phone number works as a username too.
    await expect(login(bank, '+254700000001')).resolves.toBeInstanceOf(Http);
  });

  it('when staff and the partner sign in, then /v1/me names their role', async () => {
    expect((await (await login(bank, 'banker@sandbox.test')).get('/v1/me')).body).toMatchObject({
      roles: ['banker'],
    });
    expect((await admin.get('/v1/me')).body).toMatchObject({ roles: ['admin'] });
    const token = await new Http(bank.url).post<{ access_token: string; expires_in: number }>(
      '/v1/auth/token',
      {
        grant_type: 'client_credentials',
        client_id: 'sandbox_partner',
        client_secret: 'sandbox-partner-secret',
      },
    );
    expect(token.status).toBe(200);
    expect(token.body.expires_in).toBeLessThanOrEqual(900);
    expect((await new Http(bank.url, token.body.access_token).get('/v1/me')).body).toEqual({
      id: 'sandbox_partner',
      roles: ['partner'],
    });
  });

  it('when someone signs up, then they get tier 1 with a national id, tier 0 without, and an empty KES wallet', async () => {
    const withId = await newCustomer(bank, { nationalId: '29876543' });
    const without = await newCustomer(bank);
    expect((await withId.http.get('/v1/me')).body).toMatchObject({
      kyc_tier: 1,
      wallet_account_id: withId.walletId,
    });
    expect((await without.http.get('/v1/me')).body).toMatchObject({ kyc_tier: 0 });
    const wallet = await without.http.get<Account>(`/v1/accounts/${without.walletId}`);
    expect(wallet.body).toMatchObject({ type: 'wallet', currency: 'KES', status: 'open' });
    expect(wallet.body.balance.available).toEqual({ amount: '0.00', currency: 'KES' });
  });

  it('when the e-mail or phone is taken, then signup answers 409 conflict', async () => {
    const first = await newCustomer(bank);
    const again = await new Http(bank.url).post(
      '/v1/signup',
      {
        phone: '+254799999999',
        email: first.email.toUpperCase(),
        password: 'another password',
        full_name: 'X',
      },
      { key: false },
    );
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'conflict' });
    const samePhone = await new Http(bank.url).post(
      '/v1/signup',
      { phone: first.phone, email: 'other@example.test', password: 'another password', full_name: 'X' },
      { key: false },
    );
    expect(samePhone.status).toBe(409);
  });

  it('when the password is wrong or the user unknown, then the token endpoint answers 400 invalid_grant alike', async () => {
    const http = new Http(bank.url);
    const wrong = await http.post('/v1/auth/token', {
      grant_type: 'password',
      username: 'customer@sandbox.test',
      password: 'nope-nope-nope',
    });
    const unknown = await http.post('/v1/auth/token', {
      grant_type: 'password',
      username: 'ghost@sandbox.test',
      password: 'nope-nope-nope',
    });
    expect(wrong.status).toBe(400);
    expect(unknown.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: 'invalid_grant', code: 'unauthenticated' });
    expect(wrong.body.detail).toBe(unknown.body.detail);
    expect(wrong.body.error_description).toBe(unknown.body.error_description);
  });

  it('when a customer moves money between own accounts and to another wallet, then both sides and the history agree', async () => {
    const alice = await newCustomer(bank);
    const bob = await newCustomer(bank);
    await fund(admin, alice.walletId, '1000.00');
    const savings = await alice.http.post<Account>('/v1/accounts', { type: 'savings', currency: 'KES' });
    expect(savings.status).toBe(201);

    const own = await alice.http.post('/v1/transfers', {
      from_account_id: alice.walletId,
      to_account_id: savings.body.id,
      amount: { amount: '250.25', currency: 'KES' },
      reference: 'rainy day',
    });
    expect(own.status).toBe(201);
    expect(own.body).toMatchObject({
      status: 'completed',
      amount: { amount: '250.25', currency: 'KES' },
      reference: 'rainy day',
    });
    expect(String(own.body.journal_entry_id)).toMatch(/^je_/);

    const toBob = await alice.http.post('/v1/transfers', {
      from_account_id: alice.walletId,
      to_account_id: bob.walletId,
      amount: { amount: '100', currency: 'KES' },
    });
    expect(toBob.status).toBe(201);

    expect((await alice.http.get<Account>(`/v1/accounts/${alice.walletId}`)).body.balance.ledger.amount).toBe(
      '649.75',
    );
    expect(
      (await alice.http.get<Account>(`/v1/accounts/${savings.body.id}`)).body.balance.ledger.amount,
    ).toBe('250.25');
    expect((await bob.http.get<Account>(`/v1/accounts/${bob.walletId}`)).body.balance.ledger.amount).toBe(
      '100.00',
    );

    const history = await alice.http.get<{
      data: { amount: { amount: string }; balance_after: { amount: string }; kind: string }[];
    }>(`/v1/accounts/${alice.walletId}/transactions`);
    expect(history.body.data.map((t) => [t.kind, t.amount.amount, t.balance_after.amount])).toEqual([
      ['transfer', '-100.00', '649.75'],
      ['transfer', '-250.25', '749.75'],
      ['deposit', '1000.00', '1000.00'],
    ]);

    // Both sides may read the transfer; a stranger may not.
    expect((await bob.http.get(`/v1/transfers/${toBob.body.id}`)).status).toBe(200);
    expect((await alice.http.get(`/v1/transfers/${toBob.body.id}`)).body).toEqual(toBob.body);
    const stranger = await newCustomer(bank);
    expect((await stranger.http.get(`/v1/transfers/${toBob.body.id}`)).status).toBe(404);
  });

  it("when a customer asks for someone else's account, transactions or savings, then the answer is 404", async () => {
    const alice = await newCustomer(bank);
    const bob = await newCustomer(bank);
    await fund(admin, alice.walletId, '50.00');
    const bobSavings = await bob.http.post<Account>('/v1/accounts', { type: 'savings', currency: 'KES' });
    for (const path of [
      `/v1/accounts/${bob.walletId}`,
      `/v1/accounts/${bob.walletId}/transactions`,
      '/v1/accounts/acc_DOESNOTEXIST',
    ]) {
      const res = await alice.http.get(path);
      expect(res.status, path).toBe(404);
      expect(res.body.code).toBe('not_found');
    }
    // Sending into another customer's savings (not their wallet) is refused as unknown.
    const intoSavings = await alice.http.post('/v1/transfers', {
      from_account_id: alice.walletId,
      to_account_id: bobSavings.body.id,
      amount: { amount: '1', currency: 'KES' },
    });
    expect(intoSavings.status).toBe(404);
    // Spending from someone else's wallet is refused as unknown too.
    const fromBob = await alice.http.post('/v1/transfers', {
      from_account_id: bob.walletId,
      to_account_id: alice.walletId,
      amount: { amount: '1', currency: 'KES' },
    });
    expect(fromBob.status).toBe(404);
  });

  it('when a banker reads a customer account, then they see it but cannot move its money', async () => {
    const alice = await newCustomer(bank);
    const banker = await login(bank, 'banker@sandbox.test');
    expect((await banker.get(`/v1/accounts/${alice.walletId}`)).status).toBe(200);
    const move = await banker.post('/v1/transfers', {
      from_account_id: alice.walletId,
      to_account_id: alice.walletId,
      amount: { amount: '1', currency: 'KES' },
    });
    expect(move.status).toBe(403);
    expect(move.body.code).toBe('forbidden');
  });

  it('when a customer opens the same wallet twice at once, then one opens and the other answers 409', async () => {
    const alice = await newCustomer(bank);
    const opens = await Promise.all(
      Array.from({ length: 4 }, () =>
        alice.http.post<Account>('/v1/accounts', { type: 'wallet', currency: 'USD' }),
      ),
    );
    expect(opens.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    for (const refused of opens.filter((r) => r.status === 409))
      expect(refused.body).toMatchObject({ code: 'conflict' });
    const wallets = (await alice.http.get<{ data: Account[] }>('/v1/accounts')).body.data.filter(
      (a) => a.type === 'wallet',
    );
    expect(wallets).toHaveLength(2); // KES from sign-up, and one USD
  });

  it('when transactions span several pages, then the cursor walks them all, newest first, without repeats', async () => {
    const alice = await newCustomer(bank);
    for (let i = 1; i <= 7; i++) await fund(admin, alice.walletId, `${i}.00`);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=3&starting_after=${cursor}` : '?limit=3';
      const page = await alice.http.get<{
        data: { id: string; amount: { amount: string } }[];
        has_more: boolean;
        next_cursor: string | null;
      }>(`/v1/accounts/${alice.walletId}/transactions${query}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.data.map((t) => t.amount.amount));
      cursor = page.body.next_cursor;
      expect(page.body.has_more).toBe(cursor !== null);
    } while (cursor);
    expect(seen).toEqual(['7.00', '6.00', '5.00', '4.00', '3.00', '2.00', '1.00']);
  });

  it('when the same Idempotency-Key is sent again, then the first answer is replayed and the money moves once', async () => {
    const alice = await newCustomer(bank);
    const bob = await newCustomer(bank);
    await fund(admin, alice.walletId, '100.00');
    const body = {
      from_account_id: alice.walletId,
      to_account_id: bob.walletId,
      amount: { amount: '10.00', currency: 'KES' },
    };
    const first = await alice.http.post('/v1/transfers', body, { key: 'transfer-key-0001' });
    const second = await alice.http.post('/v1/transfers', body, { key: 'transfer-key-0001' });
    expect(second.status).toBe(first.status);
    expect(second.body).toEqual(first.body);
    expect((await bob.http.get<Account>(`/v1/accounts/${bob.walletId}`)).body.balance.ledger.amount).toBe(
      '10.00',
    );

    const different = await alice.http.post(
      '/v1/transfers',
      { ...body, amount: { amount: '11.00', currency: 'KES' } },
      { key: 'transfer-key-0001' },
    );
    expect(different.status).toBe(422);
    expect(different.body.code).toBe('idempotency_key_reused');

    // A failed request is answered the same way on retry, even after the balance would allow it.
    const tooMuch = { ...body, amount: { amount: '500.00', currency: 'KES' } };
    const failed = await alice.http.post('/v1/transfers', tooMuch, { key: 'transfer-key-0002' });
    expect(failed.status).toBe(422);
    expect(failed.body.code).toBe('insufficient_funds');
    await fund(admin, alice.walletId, '1000.00');
    const retried = await alice.http.post('/v1/transfers', tooMuch, { key: 'transfer-key-0002' });
    expect(retried.status).toBe(422);
    expect(retried.body.code).toBe('insufficient_funds');

    // Keys belong to the principal: Bob may use the same key string for his own request.
    const bobs = await bob.http.post(
      '/v1/transfers',
      {
        from_account_id: bob.walletId,
        to_account_id: alice.walletId,
        amount: { amount: '1.00', currency: 'KES' },
      },
      { key: 'transfer-key-0001' },
    );
    expect(bobs.status).toBe(201);
  });

  it('when the OpenAPI document and docs are asked for, then they describe every route', async () => {
    const res = await fetch(`${bank.url}/v1/openapi.json`);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    for (const path of [
      '/v1/signup',
      '/v1/auth/token',
      '/v1/me',
      '/v1/accounts',
      '/v1/accounts/{id}',
      '/v1/accounts/{id}/transactions',
      '/v1/transfers',
      '/v1/transfers/{id}',
      '/v1/sandbox/deposits',
      '/.well-known/jwks.json',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
    const transfer = doc.paths['/v1/transfers']?.post as {
      requestBody: { content: { 'application/json': { schema: { properties: Record<string, unknown> } } } };
    };
    expect(Object.keys(transfer.requestBody.content['application/json'].schema.properties)).toContain(
      'amount',
    );
    const docs = await fetch(`${bank.url}/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger-ui');
  });

  it('when any response is sent, then security headers are on and no framework is advertised', async () => {
    const res = await fetch(`${bank.url}/healthz`);
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toContain('max-age');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('when the JWKS is fetched, then it holds the Ed25519 public key only', async () => {
    const jwks = (await (await fetch(`${bank.url}/.well-known/jwks.json`)).json()) as {
      keys: Record<string, string>[];
    };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(jwks.keys[0]?.d).toBeUndefined();
  });

  it('when all this has happened, then the books reconcile', async () => {
    const report = await reconcile(bank.db.prisma);
    expect(report.balanceMismatches).toEqual([]);
    expect(report.unbalancedEntries).toEqual([]);
    expect(report.ok).toBe(true);
  });
});
