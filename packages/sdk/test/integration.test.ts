/**
 * The SDK against the real reference bank, in-process, on SQLite and (when TEST_MYSQL_URL is set)
 * on MySQL/MariaDB: every resource method, pagination, typed errors, schema checks, and retries
 * with idempotency under injected faults.
 */
import {
  SANDBOX_PASSWORD,
  startTestBank,
  type TestBank,
  testDialects,
} from '@wekeza/reference-server/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type Account,
  AuthenticationError,
  ConnectionError,
  Money,
  NotFoundError,
  SchemaValidationError,
  UnprocessableEntityError,
  ValidationError,
  Wekeza,
} from '../src/index.ts';

const CUSTOMER = 'customer@sandbox.test';
const kes = (minor: bigint) => Money.of(minor, 'KES');
let signups = 0;

/** A fetch that performs the real request, then (while `drops` lasts) throws the answer away as if the connection broke. */
function droppingFetch(shouldDrop: (url: string, init?: RequestInit) => boolean) {
  const state = { drops: 0, seen: [] as { url: string; method: string; key: string | undefined }[] };
  const fetchFn: typeof fetch = async (input, init) => {
    const url = String(input);
    const headers = (init?.headers ?? {}) as Record<string, string>;
    state.seen.push({ url, method: init?.method ?? 'GET', key: headers['Idempotency-Key'] });
    const response = await fetch(input, init);
    if (state.drops > 0 && shouldDrop(url, init)) {
      state.drops -= 1;
      await response.arrayBuffer(); // the server finished its work; only the answer is lost
      throw new TypeError('fetch failed: socket hang up');
    }
    return response;
  };
  return { fetch: fetchFn, state };
}

describe.each(testDialects())('on %s', (dialect) => {
  let bank: TestBank;
  let customer: Wekeza;
  let wallet: Account;

  /** A new customer with their own wallet (and client). */
  async function newCustomer(): Promise<{ client: Wekeza; walletId: string; email: string }> {
    signups += 1;
    const n = `${Date.now() % 1_000_000}${signups}`.padStart(8, '0');
    const email = `sdk-${dialect}-${n}@example.test`;
    const anonymous = new Wekeza({ baseUrl: bank.url });
    const created = await anonymous.signup({
      phone: `+2547${n.slice(-8)}`,
      email,
      password: 'long-password-1',
      fullName: 'SDK Tester',
    });
    const client = new Wekeza({ baseUrl: bank.url, auth: { username: email, password: 'long-password-1' } });
    return { client, walletId: created.walletAccountId as string, email };
  }

  async function savings(client: Wekeza): Promise<Account> {
    return client.accounts.create({ type: 'savings', currency: 'KES' });
  }

  beforeAll(async () => {
    bank = await startTestBank(dialect);
    customer = new Wekeza({ baseUrl: bank.url, auth: { username: CUSTOMER, password: SANDBOX_PASSWORD } });
    const first = await customer.accounts.list();
    wallet = first.data.find((a) => a.type === 'wallet') as Account;
  }, 60_000);

  afterAll(async () => {
    await bank?.stop();
  });

  describe('identity', () => {
    it('when the sandbox customer signs in with a password, then auth.token answers a bearer token', async () => {
      const token = await customer.auth.token({
        grantType: 'password',
        username: CUSTOMER,
        password: SANDBOX_PASSWORD,
      });
      expect(token.tokenType).toBe('Bearer');
      expect(token.accessToken.split('.')).toHaveLength(3);
      expect(token.expiresIn).toBeGreaterThan(0);
      expect(token.expiresIn).toBeLessThanOrEqual(900);
    });

    it('when the partner signs in with client credentials, then me is the partner', async () => {
      const partner = new Wekeza({
        baseUrl: bank.url,
        auth: { clientId: 'sandbox_partner', clientSecret: 'sandbox-partner-secret' },
      });
      const me = await partner.me.retrieve();
      expect(me.roles).toEqual(['partner']);
      expect(me.id).toBe('sandbox_partner');
    });

    it('when the customer asks who they are, then me has the camelCased profile', async () => {
      const me = await customer.me.retrieve();
      expect(me).toMatchObject({ email: CUSTOMER, phone: '+254700000001', roles: ['customer'], kycTier: 1 });
      expect(me.fullName).toBeTruthy();
      expect(me.createdAt).toMatch(/Z$/);
    });

    it('when someone signs up, then the customer comes back with a wallet and can sign in', async () => {
      const anonymous = new Wekeza({ baseUrl: bank.url });
      const email = `sdk-signup-${dialect}-${Date.now()}@example.test`;
      const created = await anonymous.signup({
        phone: `+2547${String(Date.now()).slice(-8)}`,
        email,
        password: 'long-password-1',
        fullName: 'Wanjiru Signup',
        nationalId: 'A1234567',
      });
      expect(created).toMatchObject({ email, fullName: 'Wanjiru Signup', kycTier: 1, roles: ['customer'] });
      expect(created.id).toMatch(/^cus_/);
      expect(created.walletAccountId).toMatch(/^acc_/);
      const client = new Wekeza({
        baseUrl: bank.url,
        auth: { username: email, password: 'long-password-1' },
      });
      const account = await client.accounts.retrieve(created.walletAccountId as string);
      expect(account.balance.ledger.isZero()).toBe(true);
    });

    it('when the password is wrong, then AuthenticationError with code unauthenticated', async () => {
      const client = new Wekeza({
        baseUrl: bank.url,
        auth: { username: CUSTOMER, password: 'wrong-password' },
      });
      const error = await client.me.retrieve().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthenticationError);
      // RFC 6749: the token endpoint answers a wrong password 400 invalid_grant.
      expect((error as AuthenticationError).status).toBe(400);
      expect((error as AuthenticationError).oauthError).toBe('invalid_grant');
      expect((error as AuthenticationError).code).toBe('unauthenticated');
      expect((error as AuthenticationError).requestId).toBeTruthy();
    });

    it('when a static token is garbage, then AuthenticationError', async () => {
      const client = new Wekeza({ baseUrl: bank.url, auth: { token: 'not-a-jwt' } });
      await expect(client.accounts.list()).rejects.toBeInstanceOf(AuthenticationError);
    });

    it('when getSession hands out a stale token, then it is asked again once and the call succeeds', async () => {
      const fresh = await customer.auth.token({
        grantType: 'password',
        username: CUSTOMER,
        password: SANDBOX_PASSWORD,
      });
      const getSession = vi
        .fn<() => Promise<string>>()
        .mockResolvedValueOnce('stale.token.value')
        .mockResolvedValueOnce(fresh.accessToken);
      const client = new Wekeza({ baseUrl: bank.url, auth: { getSession } });
      await expect(client.me.retrieve()).resolves.toMatchObject({ email: CUSTOMER });
      expect(getSession).toHaveBeenCalledTimes(2);
    });

    it('when the server refuses a cached password-login token, then the client logs in again once', async () => {
      let sabotage = true;
      let logins = 0;
      const fetchFn: typeof fetch = async (input, init) => {
        if (String(input).endsWith('/v1/auth/token')) logins += 1;
        const headers = { ...(init?.headers as Record<string, string>) };
        if (sabotage && String(input).endsWith('/v1/me')) {
          sabotage = false;
          headers.Authorization = 'Bearer expired.or.revoked';
        }
        return fetch(input, { ...init, headers });
      };
      const client = new Wekeza({
        baseUrl: bank.url,
        auth: { username: CUSTOMER, password: SANDBOX_PASSWORD },
        fetch: fetchFn,
      });
      await expect(client.me.retrieve()).resolves.toMatchObject({ email: CUSTOMER });
      expect(logins).toBe(2);
    });
  });

  describe('accounts', () => {
    it('when the customer lists accounts, then the funded wallet has Money balances', async () => {
      expect(wallet.id).toMatch(/^acc_/);
      expect(wallet.currency).toBe('KES');
      expect(wallet.balance.ledger).toBeInstanceOf(Money);
      expect(typeof wallet.balance.ledger.minor).toBe('bigint');
      expect(wallet.balance.available.currency).toBe('KES');
    });

    it('when an account is opened and retrieved, then both answers agree', async () => {
      const { client } = await newCustomer();
      const opened = await client.accounts.create({ type: 'savings', currency: 'KES' });
      expect(opened).toMatchObject({ type: 'savings', currency: 'KES', status: 'open' });
      expect(opened.balance.ledger.equals(kes(0n))).toBe(true);
      const again = await client.accounts.retrieve(opened.id);
      expect(again.id).toBe(opened.id);
      expect(again.createdAt).toBe(opened.createdAt);
    });

    it('when an account is opened twice with one Idempotency-Key, then one account exists', async () => {
      const { client } = await newCustomer();
      const a = await client.accounts.create(
        { type: 'savings', currency: 'KES' },
        { idempotencyKey: 'open-savings-once' },
      );
      const b = await client.accounts.create(
        { type: 'savings', currency: 'KES' },
        { idempotencyKey: 'open-savings-once' },
      );
      expect(b.id).toBe(a.id);
      const all = await client.accounts.list();
      expect(all.data).toHaveLength(2);
    });

    it('when a customer has more accounts than a page, then for await walks every page in order', async () => {
      const { client, walletId, email } = await newCustomer();
      const opened: string[] = [];
      for (let i = 0; i < 6; i += 1) opened.push((await savings(client)).id);
      const requests: string[] = [];
      const spy: typeof fetch = (input, init) => {
        requests.push(String(input));
        return fetch(input, init);
      };
      const spying = new Wekeza({
        baseUrl: bank.url,
        auth: { username: email, password: 'long-password-1' },
        fetch: spy,
      });
      const ids: string[] = [];
      for await (const account of spying.accounts.list({ limit: 3 })) ids.push(account.id);
      expect(ids).toEqual([walletId, ...opened].sort());
      expect(requests.filter((u) => u.includes('/v1/accounts'))).toHaveLength(3);
      const first = await spying.accounts.list({ limit: 3 });
      expect(first.data).toHaveLength(3);
      expect(first.hasMore).toBe(true);
      const second = await first.getNextPage();
      expect(second.data[0]?.id).toBe(ids[3]);
      const pages: number[] = [];
      for await (const page of first.iterPages()) pages.push(page.data.length);
      expect(pages).toEqual([3, 3, 1]);
    });

    it("when a customer retrieves someone else's account, then NotFoundError with code not_found", async () => {
      const { client } = await newCustomer();
      const error = await client.accounts.retrieve(wallet.id).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotFoundError);
      expect((error as NotFoundError).code).toBe('not_found');
      expect((error as NotFoundError).status).toBe(404);
    });

    it('when an id holds a slash, then it is encoded and cannot reach another route', async () => {
      await expect(customer.accounts.retrieve(`${wallet.id}/transactions`)).rejects.toBeInstanceOf(
        NotFoundError,
      );
    });

    it('when a response breaks the contract, then SchemaValidationError, with the request having worked', async () => {
      const corrupting: typeof fetch = async (input, init) => {
        const response = await fetch(input, init);
        if (!String(input).includes('/v1/accounts/')) return response;
        const body = (await response.json()) as { balance: { ledger: { amount: unknown } } };
        body.balance.ledger.amount = 25000; // a JSON number: never allowed for money
        return new Response(JSON.stringify(body), { status: response.status, headers: response.headers });
      };
      const client = new Wekeza({
        baseUrl: bank.url,
        auth: { username: CUSTOMER, password: SANDBOX_PASSWORD },
        fetch: corrupting,
      });
      const error = await client.accounts.retrieve(wallet.id).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SchemaValidationError);
      expect((error as SchemaValidationError).status).toBe(200);
      expect((error as SchemaValidationError).requestId).toBeTruthy();
      expect((error as SchemaValidationError).issues.map((i) => i.path)).toContain('balance.ledger.amount');
    });
  });

  describe('transfers, transactions and deposits', () => {
    it('when a customer moves money to their savings, then the transfer, both balances and both histories agree', async () => {
      const { client, walletId } = await newCustomer();
      await client.sandbox.deposits.create({ accountId: walletId, amount: kes(100_000n) });
      const target = await savings(client);
      const transfer = await client.transfers.create({
        fromAccountId: walletId,
        toAccountId: target.id,
        amount: kes(25_050n),
        reference: 'School fees',
      });
      expect(transfer).toMatchObject({
        status: 'completed',
        fromAccountId: walletId,
        toAccountId: target.id,
        reference: 'School fees',
      });
      expect(transfer.amount.equals(kes(25_050n))).toBe(true);
      expect(transfer.journalEntryId).toBeTruthy();
      expect((await client.transfers.retrieve(transfer.id)).journalEntryId).toBe(transfer.journalEntryId);
      expect((await client.accounts.retrieve(walletId)).balance.ledger.equals(kes(74_950n))).toBe(true);
      expect((await client.accounts.retrieve(target.id)).balance.available.equals(kes(25_050n))).toBe(true);

      const history = await client.transactions.list(walletId);
      const [last, before] = history.data;
      expect(last).toMatchObject({
        kind: 'transfer',
        direction: 'debit',
        journalEntryId: transfer.journalEntryId,
        accountId: walletId,
      });
      expect(last?.amount.equals(kes(-25_050n))).toBe(true);
      expect(last?.balanceAfter.equals(kes(74_950n))).toBe(true);
      expect(last?.effectiveDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(before?.balanceAfter.equals(kes(100_000n))).toBe(true);
    });

    it('when a sandbox deposit is made, then it answers the completed deposit with its journal entry', async () => {
      const { client, walletId } = await newCustomer();
      const deposit = await client.sandbox.deposits.create({ accountId: walletId, amount: kes(12_345n) });
      expect(deposit).toMatchObject({ status: 'completed', accountId: walletId });
      expect(deposit.amount.equals(kes(12_345n))).toBe(true);
      expect(deposit.journalEntryId).toBe(deposit.id);
    });

    it('when an account has many transactions, then for await walks them newest first across pages', async () => {
      const { client, walletId } = await newCustomer();
      for (let i = 1n; i <= 5n; i += 1n) {
        await client.sandbox.deposits.create({ accountId: walletId, amount: kes(i * 100n) });
      }
      const amounts: bigint[] = [];
      for await (const txn of client.transactions.list(walletId, { limit: 2 }))
        amounts.push(txn.amount.minor);
      expect(amounts).toEqual([500n, 400n, 300n, 200n, 100n]);
    });

    it('when the wallet holds too little, then a 422 insufficient_funds and nothing is posted', async () => {
      const { client, walletId } = await newCustomer();
      await client.sandbox.deposits.create({ accountId: walletId, amount: kes(1_000n) });
      const target = await savings(client);
      const error = await client.transfers
        .create({ fromAccountId: walletId, toAccountId: target.id, amount: kes(1_001n) })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toBeInstanceOf(UnprocessableEntityError);
      expect((error as ValidationError).code).toBe('insufficient_funds');
      expect((error as ValidationError).status).toBe(422);
      expect((await client.accounts.retrieve(walletId)).balance.ledger.equals(kes(1_000n))).toBe(true);
      expect((await client.transactions.list(walletId)).data).toHaveLength(1);
    });

    it('when a customer retrieves a transfer that is not theirs, then NotFoundError', async () => {
      const { client, walletId } = await newCustomer();
      await client.sandbox.deposits.create({ accountId: walletId, amount: kes(1_000n) });
      const transfer = await client.transfers.create({
        fromAccountId: walletId,
        toAccountId: wallet.id,
        amount: kes(1n),
      });
      const stranger = await newCustomer();
      await expect(stranger.client.transfers.retrieve(transfer.id)).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe('retries and idempotency under injected faults', () => {
    it('when the answer to a transfer is lost twice, then the SDK retries with one key and the money moves exactly once', async () => {
      const { client: owner, walletId, email } = await newCustomer();
      await owner.sandbox.deposits.create({ accountId: walletId, amount: kes(50_000n) });
      const target = await savings(owner);
      const faults = droppingFetch((url, init) => url.endsWith('/v1/transfers') && init?.method === 'POST');
      faults.state.drops = 2;
      const client = new Wekeza({
        baseUrl: bank.url,
        auth: { username: email, password: 'long-password-1' },
        fetch: faults.fetch,
      });
      vi.spyOn(Math, 'random').mockReturnValue(0);
      try {
        const transfer = await client.transfers.create({
          fromAccountId: walletId,
          toAccountId: target.id,
          amount: kes(7_500n),
        });
        expect(transfer.status).toBe('completed');
        expect(transfer.amount.equals(kes(7_500n))).toBe(true);
        const posts = faults.state.seen.filter((s) => s.url.endsWith('/v1/transfers'));
        expect(posts).toHaveLength(3);
        expect(new Set(posts.map((p) => p.key)).size).toBe(1);
        expect(posts[0]?.key).toBeTruthy();
        expect((await owner.transfers.retrieve(transfer.id)).id).toBe(transfer.id);
      } finally {
        vi.restoreAllMocks();
      }
      expect((await owner.accounts.retrieve(walletId)).balance.ledger.equals(kes(42_500n))).toBe(true);
      expect((await owner.accounts.retrieve(target.id)).balance.ledger.equals(kes(7_500n))).toBe(true);
      expect((await owner.transactions.list(walletId)).data).toHaveLength(2); // the deposit and one transfer
      expect((await owner.transactions.list(target.id)).data).toHaveLength(1);
    });

    it('when every answer is lost, then ConnectionError, and a later call with the same key returns the one completed transfer', async () => {
      const { client: owner, walletId, email } = await newCustomer();
      await owner.sandbox.deposits.create({ accountId: walletId, amount: kes(10_000n) });
      const target = await savings(owner);
      const faults = droppingFetch((url) => url.endsWith('/v1/transfers'));
      faults.state.drops = 3;
      const client = new Wekeza({
        baseUrl: bank.url,
        auth: { username: email, password: 'long-password-1' },
        fetch: faults.fetch,
      });
      const params = { fromAccountId: walletId, toAccountId: target.id, amount: kes(3_000n) };
      vi.spyOn(Math, 'random').mockReturnValue(0);
      try {
        const error = await client.transfers
          .create(params, { idempotencyKey: 'pay-rent-2025-01' })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ConnectionError);
        expect(faults.state.seen.filter((s) => s.url.endsWith('/v1/transfers'))).toHaveLength(3);
        const transfer = await client.transfers.create(params, { idempotencyKey: 'pay-rent-2025-01' });
        expect(transfer.status).toBe('completed');
      } finally {
        vi.restoreAllMocks();
      }
      expect((await owner.accounts.retrieve(walletId)).balance.ledger.equals(kes(7_000n))).toBe(true);
      expect((await owner.transactions.list(target.id)).data).toHaveLength(1);
    });

    it('when a sandbox deposit answer is lost, then it is retried and credited once', async () => {
      const { client: owner, walletId, email } = await newCustomer();
      const faults = droppingFetch((url) => url.endsWith('/v1/sandbox/deposits'));
      faults.state.drops = 1;
      const client = new Wekeza({
        baseUrl: bank.url,
        auth: { username: email, password: 'long-password-1' },
        fetch: faults.fetch,
      });
      vi.spyOn(Math, 'random').mockReturnValue(0);
      try {
        await client.sandbox.deposits.create({ accountId: walletId, amount: kes(900n) });
      } finally {
        vi.restoreAllMocks();
      }
      expect((await owner.accounts.retrieve(walletId)).balance.ledger.equals(kes(900n))).toBe(true);
      expect((await owner.transactions.list(walletId)).data).toHaveLength(1);
    });

    it('when the same key is reused for a different transfer, then 422 idempotency_key_reused and no second posting', async () => {
      const { client, walletId } = await newCustomer();
      await client.sandbox.deposits.create({ accountId: walletId, amount: kes(10_000n) });
      const target = await savings(client);
      await client.transfers.create(
        { fromAccountId: walletId, toAccountId: target.id, amount: kes(100n) },
        { idempotencyKey: 'one-intent-key' },
      );
      const error = await client.transfers
        .create(
          { fromAccountId: walletId, toAccountId: target.id, amount: kes(200n) },
          { idempotencyKey: 'one-intent-key' },
        )
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).code).toBe('idempotency_key_reused');
      expect((await client.accounts.retrieve(target.id)).balance.ledger.equals(kes(100n))).toBe(true);
    });
  });

  describe('save: products, fixed deposits, withdrawals, closes and statements', () => {
    it('when a customer quotes and opens a fixed deposit, then the quote and the account agree and the wallet pays once', async () => {
      const { client, walletId } = await newCustomer();
      await client.sandbox.deposits.create({ accountId: walletId, amount: kes(5_000_000n) });
      const products = [];
      for await (const product of client.savingsProducts.list()) products.push(product);
      const sixMonths = products.find((p) => p.id === 'sprod_sandbox_fd_6m');
      expect(sixMonths).toMatchObject({ type: 'fixed_deposit', annualRate: '0.10', termMonths: [6] });
      expect(sixMonths?.minOpeningBalance.equals(kes(100_000n))).toBe(true);
      const quote = await client.depositQuotes.create({
        productId: 'sprod_sandbox_fd_6m',
        amount: kes(1_000_000n),
        termMonths: 6,
      });
      expect(quote.principal.equals(kes(1_000_000n))).toBe(true);
      expect(quote.maturityAmount.equals(quote.principal.add(quote.interest).subtract(quote.tax))).toBe(true);
      const deposit = await client.accounts.create({
        type: 'fixed_deposit',
        currency: 'KES',
        productId: 'sprod_sandbox_fd_6m',
        termMonths: 6,
        amount: kes(1_000_000n),
        atMaturity: 'roll_over',
      });
      expect(deposit).toMatchObject({
        type: 'fixed_deposit',
        interestRate: quote.annualRate,
        maturityDate: quote.maturityDate,
        atMaturity: 'roll_over',
      });
      expect(deposit.maturityAmount?.equals(quote.maturityAmount)).toBe(true);
      expect((await client.accounts.retrieve(walletId)).balance.ledger.equals(kes(4_000_000n))).toBe(true);
      // Closed the day it opened: the principal comes back, no interest.
      const closeQuote = await client.accounts.closeQuote(deposit.id);
      expect(closeQuote.total.equals(kes(1_000_000n))).toBe(true);
      const closed = await client.accounts.close(deposit.id);
      expect(closed.total.equals(closeQuote.total)).toBe(true);
      expect(closed.journalEntryIds).toHaveLength(1);
      expect((await client.accounts.retrieve(deposit.id)).status).toBe('closed');
    });

    it('when a customer withdraws from savings and downloads statements, then the JSON is typed Money and the files come back as bytes and streams', async () => {
      const { client, walletId } = await newCustomer();
      await client.sandbox.deposits.create({ accountId: walletId, amount: kes(100_000n) });
      const saver = await client.accounts.create({ type: 'savings', currency: 'KES', amount: kes(60_000n) });
      expect(saver.productId).toBe('sprod_sandbox_savings');
      const out = await client.accounts.withdrawToWallet(saver.id, { amount: kes(10_000n) });
      expect(out).toMatchObject({ status: 'completed', fromAccountId: saver.id, toAccountId: walletId });

      const statement = await client.statements.retrieve(saver.id);
      expect(statement.openingBalance.equals(kes(0n))).toBe(true);
      expect(statement.lines.map((l) => l.amount.minor)).toEqual([60_000n, -10_000n]);
      expect(statement.closingBalance.equals(kes(50_000n))).toBe(true);

      const csv = await client.statements.download(saver.id, { format: 'csv' });
      expect(csv.contentType).toBe('text/csv; charset=utf-8; header=present');
      expect(csv.fileName).toBe(`statement-${saver.id}-${statement.from}-${statement.to}.csv`);
      const text = await csv.text();
      expect(text).toContain('date,description,amount,balance,currency,entry_id');
      expect(text).toContain(',-100.00,500.00,KES,');
      await expect(csv.bytes()).rejects.toThrow(/already read/);

      const pdf = await client.statements.download(saver.id, { format: 'pdf', from: statement.from });
      const chunks: Uint8Array[] = [];
      for await (const chunk of pdf.stream() as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
      const bytes = Buffer.concat(chunks);
      expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdf.fileName?.endsWith('.pdf')).toBe(true);

      const xml = await (await client.statements.download(saver.id, { format: 'camt053' })).blob();
      expect(xml.type).toBe('application/xml; charset=utf-8');
      expect(await xml.text()).toContain('urn:iso:std:iso:20022:tech:xsd:camt.053.001.08');

      const error = await client.statements
        .download(saver.id, { format: 'pdf', to: '2999-01-01' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
    });
  });
});
