/**
 * Pay by phone number through the SDK, against the real bank: resolve a number, send to the wallet
 * it answers, and the typed errors of a miss and of the per-caller limit.
 */
import { startTestBank, type TestBank, testDialects } from '@wekeza/reference-server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Money, NotFoundError, RateLimitError, ValidationError, Wekeza } from '../src/index.ts';

let signups = 0;

describe.each(testDialects())('payees on %s', (dialect) => {
  let bank: TestBank;

  async function newCustomer(fullName: string) {
    signups += 1;
    const n = `${Date.now() % 1_000_000}${signups}`.padStart(8, '0').slice(-8);
    const email = `payee-${dialect}-${n}@example.test`;
    const phone = `+2547${n}`;
    const created = await new Wekeza({ baseUrl: bank.url }).signup({
      phone,
      email,
      password: 'long-password-1',
      fullName,
    });
    const client = new Wekeza({ baseUrl: bank.url, auth: { username: email, password: 'long-password-1' } });
    return { client, phone, walletId: created.walletAccountId as string };
  }

  beforeAll(async () => {
    bank = await startTestBank(dialect, { WEKEZA_PAYEE_MISSES_PER_DAY: '2' });
  }, 60_000);
  afterAll(async () => {
    await bank?.stop();
  });

  it('when a customer resolves a phone number, then they see the masked name and can send to it', async () => {
    const payer = await newCustomer('Baraka Otieno');
    const payee = await newCustomer('Wanjiru Kamau');
    const admin = new Wekeza({
      baseUrl: bank.url,
      auth: { username: 'admin@sandbox.test', password: 'sandbox-pass-123' },
    });
    await admin.sandbox.deposits.create({ accountId: payer.walletId, amount: Money.of(10_000n, 'KES') });
    const resolved = await payer.client.payees.resolve(`0${payee.phone.slice(4)}`);
    expect(resolved).toEqual({ accountId: payee.walletId, displayName: 'Wanjiru K.' });
    const transfer = await payer.client.transfers.create({
      fromAccountId: payer.walletId,
      toAccountId: resolved.accountId,
      amount: Money.of(2_500n, 'KES'),
    });
    expect(transfer.status).toBe('completed');
  });

  it('when a number pays nobody, then NotFoundError; past the miss budget, RateLimitError', async () => {
    const payer = await newCustomer('Guessing Gabriel');
    await expect(payer.client.payees.resolve('+254798765401')).rejects.toBeInstanceOf(NotFoundError);
    await expect(payer.client.payees.resolve('+254798765402')).rejects.toBeInstanceOf(NotFoundError);
    const refused = await payer.client.payees
      .resolve('+254798765403', { maxRetries: 0 })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RateLimitError);
    await expect(payer.client.payees.resolve('not a phone')).rejects.toBeInstanceOf(ValidationError);
  });

  it('when a customer saves a payee, then it is listed with the masked name and can be forgotten', async () => {
    const saver = await newCustomer('Saving Sarah');
    const payee = await newCustomer('Otieno Baraka Odhiambo');
    const saved = await saver.client.payees.create({ phone: payee.phone, label: 'Cousin' });
    expect(saved).toMatchObject({ phone: payee.phone, label: 'Cousin', displayName: 'Otieno O.' });
    const listed = [];
    for await (const p of saver.client.payees.list()) listed.push(p);
    expect(listed.map((p) => p.id)).toEqual([saved.id]);
    await saver.client.payees.delete(saved.id);
    expect((await saver.client.payees.list()).data).toEqual([]);
    await expect(saver.client.payees.delete(saved.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});
