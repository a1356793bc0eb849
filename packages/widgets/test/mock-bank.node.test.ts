import { Money, Wekeza } from '@wekeza/sdk';
import { describe, expect, it } from 'vitest';
import {
  createMockClient,
  MOCK_OTHER_KES_ID,
  MOCK_OTHER_USD_ID,
  MOCK_SAVINGS_ID,
  MOCK_WALLET_ID,
  MockBank,
} from '../src/mock/index.ts';

const kes = (amount: string) => Money.parse(amount, 'KES');

describe('MockBank through the real SDK client', () => {
  it('when listing, then answers the customer, two KES accounts and ~30 transactions with cursors', async () => {
    const client = createMockClient();
    const me = await client.me.retrieve();
    expect(me.fullName).toBe('Amina Odhiambo');
    const accounts = await client.accounts.list();
    expect(accounts.data.map((a) => a.type)).toEqual(['wallet', 'savings']);
    const wallet = accounts.data[0]!;
    expect(wallet.balance.available.lessThan(wallet.balance.ledger)).toBe(true);
    let count = 0;
    for (const id of [MOCK_WALLET_ID, MOCK_SAVINGS_ID]) {
      for await (const line of client.transactions.list(id, { limit: 7 })) {
        expect(line.accountId).toBe(id);
        count += 1;
      }
    }
    expect(count).toBe(30);
    const first = await client.transactions.list(MOCK_WALLET_ID, { limit: 1 });
    expect(first.data[0]!.balanceAfter.equals(wallet.balance.ledger)).toBe(true);
  });

  it('when transferring, then moves the balances once per Idempotency-Key', async () => {
    const bank = new MockBank();
    const client = createMockClient(bank);
    const before = await client.accounts.retrieve(MOCK_WALLET_ID);
    const params = { fromAccountId: MOCK_WALLET_ID, toAccountId: MOCK_SAVINGS_ID, amount: kes('1500.50') };
    const one = await client.transfers.create(params, { idempotencyKey: 'k-1' });
    const again = await client.transfers.create(params, { idempotencyKey: 'k-1' });
    expect(again.id).toBe(one.id);
    expect(bank.transfersCompleted).toBe(1);
    const after = await client.accounts.retrieve(MOCK_WALLET_ID);
    expect(before.balance.ledger.subtract(after.balance.ledger).toDecimalString()).toBe('1500.50');
    await expect(
      client.transfers.create({ ...params, amount: kes('1') }, { idempotencyKey: 'k-1' }),
    ).rejects.toMatchObject({ code: 'idempotency_key_reused' });
  });

  it('when the money is not there, the currency differs or the account is unknown, then answers problems', async () => {
    const client = createMockClient();
    const from = MOCK_WALLET_ID;
    await expect(
      client.transfers.create({ fromAccountId: from, toAccountId: MOCK_OTHER_KES_ID, amount: kes('90000') }),
    ).rejects.toMatchObject({ status: 422, code: 'insufficient_funds' });
    await expect(
      client.transfers.create({ fromAccountId: from, toAccountId: MOCK_OTHER_USD_ID, amount: kes('10') }),
    ).rejects.toMatchObject({ status: 422, code: 'currency_mismatch' });
    await expect(
      client.transfers.create({ fromAccountId: from, toAccountId: 'acc_nobody', amount: kes('10') }),
    ).rejects.toMatchObject({ status: 404, code: 'not_found' });
    await expect(
      client.transfers.create({
        fromAccountId: MOCK_SAVINGS_ID,
        toAccountId: from,
        amount: kes('100000.01'),
      }),
    ).rejects.toMatchObject({ status: 401, code: 'mfa_required' });
    const stepped = await client.transfers.create({
      fromAccountId: MOCK_SAVINGS_ID,
      toAccountId: from,
      amount: kes('100000.01'),
      otp: '123456',
    });
    expect(stepped.status).toBe('completed');
  });

  it('when signing in, then checks the sandbox credentials', async () => {
    const bank = new MockBank();
    const client = new Wekeza({ baseUrl: 'https://mock.wekeza.invalid', fetch: bank.fetch, maxRetries: 0 });
    const token = await client.auth.token({
      grantType: 'password',
      username: 'customer@sandbox.test',
      password: 'sandbox-pass-123',
    });
    expect(token.tokenType).toBe('Bearer');
    await expect(
      client.auth.token({ grantType: 'password', username: 'customer@sandbox.test', password: 'nope' }),
    ).rejects.toMatchObject({ code: 'unauthenticated' });
    await expect(client.me.retrieve()).rejects.toMatchObject({ code: 'unauthenticated' });
  });
});
