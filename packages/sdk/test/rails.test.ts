/**
 * Moving money in and out and hearing about it, through the SDK against the real bank and its
 * rails simulator: deposits, withdrawals, webhook endpoints, and the event stream reader, which
 * reconnects with Last-Event-ID when the server ends the stream.
 */
import { startTestBank, type TestBank, testDialects } from '@wekeza/reference-server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Event, Money, NotFoundError, UnprocessableEntityError, Wekeza } from '../src/index.ts';

let signups = 0;

describe.each(testDialects())('rails and events through the SDK on %s', (dialect) => {
  let bank: TestBank;
  let client: Wekeza;
  let walletId: string;

  beforeAll(async () => {
    // Streams end every 1.5 s here, so the reader has to reconnect (with Last-Event-ID) mid-test.
    bank = await startTestBank(dialect, {
      WEKEZA_EVENT_STREAM_MAX_MS: '1500',
      WEKEZA_WEBHOOK_INTERVAL_MS: '50',
    });
    signups += 1;
    const n = `${Date.now() % 1_000_000}${signups}`.padStart(8, '0');
    const email = `sdk-rails-${dialect}-${n}@example.test`;
    const created = await new Wekeza({ baseUrl: bank.url }).signup({
      phone: `+2547${n.slice(-8)}`,
      email,
      password: 'correct horse battery',
      fullName: 'SDK Rails',
      nationalId: `SDKR${n}`,
    });
    walletId = String(created.walletAccountId);
    client = new Wekeza({ baseUrl: bank.url, auth: { username: email, password: 'correct horse battery' } });
  });
  afterAll(async () => {
    await bank?.stop();
  });

  it('when a deposit and a withdrawal are made, then the SDK answers them pending, then settled', async () => {
    const deposit = await client.deposits.create({
      accountId: walletId,
      amount: Money.of(50_000n, 'KES'),
      rail: 'mpesa',
      phone: '0712345678',
    });
    expect(deposit.status).toBe('pending');
    expect(deposit.amount.equals(Money.of(50_000n, 'KES'))).toBe(true);
    await bank.services.simulator?.flush();
    const settled = await client.deposits.retrieve(deposit.id);
    expect(settled.status).toBe('succeeded');
    expect(settled.receipt).toMatch(/^[A-Z0-9]{10}$/);
    const withdrawal = await client.withdrawals.create({
      accountId: walletId,
      amount: Money.of(10_000n, 'KES'),
      rail: 'rtgs',
      destination: { bankCode: 'KCBLKENX', accountNumber: '1100223344', accountName: 'Otieno Ochieng' },
    });
    expect(withdrawal.destination).toEqual({
      bankCode: 'KCBLKENX',
      accountNumber: '1100223344',
      accountName: 'Otieno Ochieng',
    });
    await bank.services.simulator?.flush();
    expect((await client.withdrawals.retrieve(withdrawal.id)).status).toBe('succeeded');
    await expect(
      client.deposits.create({
        accountId: walletId,
        amount: Money.of(1_050n, 'KES'),
        rail: 'mpesa',
        phone: '0712345678',
      }),
    ).rejects.toBeInstanceOf(UnprocessableEntityError);
    await expect(client.withdrawals.retrieve('wdr_NOSUCH0000000000')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('when a webhook endpoint is created, listed, replayed and deleted, then the SDK speaks each call', async () => {
    const created = await client.webhookEndpoints.create({
      url: 'http://127.0.0.1:9/hooks',
      events: ['deposit.succeeded'],
    });
    expect(created.secret).toMatch(/^whsec_/);
    const listed = [];
    for await (const endpoint of client.webhookEndpoints.list()) listed.push(endpoint);
    expect(listed.map((e) => e.id)).toContain(created.id);
    expect(listed[0]).not.toHaveProperty('secret');
    const replay = await client.webhookEndpoints.replay(created.id, {
      since: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(replay.endpointId).toBe(created.id);
    expect((await client.webhookEndpoints.delete(created.id)).id).toBe(created.id);
    await expect(client.webhookEndpoints.delete(created.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('when events happen while the stream reconnects, then the reader yields each once, in order', async () => {
    const controller = new AbortController();
    const seen: Event[] = [];
    const reading = (async () => {
      for await (const event of client.events.stream({ signal: controller.signal })) {
        seen.push(event);
        if (seen.length === 4) controller.abort();
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (let i = 0; i < 4; i++) {
      await client.deposits.create({
        accountId: walletId,
        amount: Money.of(1_000n, 'KES'),
        rail: 'mpesa',
        phone: '0712345678',
      });
      await bank.services.simulator?.flush();
      // Past the stream's 1.5 s life: the reader must reconnect between events.
      if (i === 1) await new Promise((resolve) => setTimeout(resolve, 1_800));
    }
    await Promise.race([
      reading,
      new Promise((_, reject) => setTimeout(() => reject(new Error('stream timed out')), 15_000)),
    ]);
    expect(seen.map((e) => e.type)).toEqual([
      'deposit.succeeded',
      'deposit.succeeded',
      'deposit.succeeded',
      'deposit.succeeded',
    ]);
    expect(new Set(seen.map((e) => e.id)).size).toBe(4);
    expect(seen.every((e) => typeof e.data.depositId === 'string')).toBe(true);
  });
});
