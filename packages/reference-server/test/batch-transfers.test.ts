/** `POST /v1/transfers/batch` (issue 9): up to 100 transfers, all or nothing, in one transaction. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcile } from '../src/modules/ledger/reconcile.ts';
import { startTestBank, type TestBank, testDialects } from '../src/testing/index.ts';
import { fund, type Http, login, newCustomer } from './support/http.ts';

const kes = (amount: string) => ({ amount, currency: 'KES' });
type Batch = {
  id: string;
  status: string;
  transfers: { id: string; batch_id: string; amount: { amount: string } }[];
};

describe.each(testDialects())('batch transfers on %s', (dialect) => {
  let bank: TestBank;
  let admin: Http;
  beforeAll(async () => {
    bank = await startTestBank(dialect);
    admin = await login(bank, 'admin@sandbox.test');
  });
  afterAll(async () => {
    await bank?.stop();
  });

  let n = 0;
  const tier1 = () => newCustomer(bank, { nationalId: `B${dialect}${++n}x` });
  const balance = async (c: { http: Http; walletId: string }) =>
    (await c.http.get<{ balance: { ledger: { amount: string } } }>(`/v1/accounts/${c.walletId}`)).body.balance
      .ledger.amount;
  const snapshot = async () =>
    JSON.stringify(
      await Promise.all([
        bank.db.prisma.journalEntry.count(),
        bank.db.prisma.transfer.count(),
        bank.db.prisma.auditEvent.count(),
        bank.db.prisma.dailyOutgoing.findMany(),
      ]),
      (_k, v) => (typeof v === 'bigint' ? v.toString() : v),
    );

  it('when a payroll of five transfers is sent, then each is posted once, in one batch, with its own entry', async () => {
    const employer = await tier1();
    const staff = await Promise.all([tier1(), tier1(), tier1()]);
    await fund(admin, employer.walletId, '9000.00');
    const savings = await employer.http.post<{ id: string }>('/v1/accounts', {
      type: 'savings',
      currency: 'KES',
    });
    const payroll = [
      { from_account_id: employer.walletId, to_account_id: savings.body.id, amount: kes('1000.00') },
      // Money moved into one's own account earlier in the batch can be sent on.
      {
        from_account_id: savings.body.id,
        to_account_id: staff[0]!.walletId,
        amount: kes('1000.00'),
        reference: 'Salary',
      },
      { from_account_id: employer.walletId, to_account_id: staff[1]!.walletId, amount: kes('2500.00') },
      { from_account_id: employer.walletId, to_account_id: staff[2]!.walletId, amount: kes('2500.50') },
      { from_account_id: employer.walletId, to_account_id: staff[2]!.walletId, amount: kes('0.50') },
    ];
    const key = `payroll-${dialect}`;
    const sent = await employer.http.post<Batch>(
      '/v1/transfers/batch',
      { transfers: payroll, atomic: true },
      { key },
    );
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body.transfers).toHaveLength(5);
    expect(new Set(sent.body.transfers.map((t) => t.batch_id))).toEqual(new Set([sent.body.id]));
    const again = await employer.http.post<Batch>(
      '/v1/transfers/batch',
      { transfers: payroll, atomic: true },
      { key },
    );
    expect(again.body).toEqual(sent.body);
    expect(await Promise.all([employer, ...staff].map(balance))).toEqual([
      '2999.00',
      '1000.00',
      '2500.00',
      '2501.00',
    ]);
    const entries = await bank.db.prisma.transfer.findMany({
      where: { batchId: sent.body.id },
      select: { entryId: true },
    });
    expect(new Set(entries.map((e) => e.entryId)).size).toBe(5);
    expect((await reconcile(bank.db.prisma)).ok).toBe(true);
  });

  it('when any transfer of a batch cannot be made, then the whole batch is refused with each refusal named, and nothing changes', async () => {
    const payer = await tier1();
    const payees = await Promise.all([tier1(), tier1(), newCustomer(bank)]); // the last: tier 0, holds at most 50,000
    await fund(admin, payer.walletId, '1000.00');
    await fund(admin, payees[2]!.walletId, '49990.00');
    const before = await snapshot();
    const refused = await payer.http.post('/v1/transfers/batch', {
      atomic: true,
      transfers: [
        { from_account_id: payer.walletId, to_account_id: payees[0]!.walletId, amount: kes('600.00') },
        { from_account_id: payer.walletId, to_account_id: payees[1]!.walletId, amount: kes('300.00') },
        { from_account_id: payer.walletId, to_account_id: payees[1]!.walletId, amount: kes('200.00') }, // 1,100 > 1,000
      ],
    });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      code: 'insufficient_funds',
      errors: [{ path: '/transfers/2/amount', message: expect.stringContaining('insufficient_funds') }],
    });
    expect(await snapshot()).toBe(before);
    // The receiver's cap counts what the batch itself already sends them; its refusal says nothing more.
    const capped = await payer.http.post('/v1/transfers/batch', {
      atomic: true,
      transfers: [
        { from_account_id: payer.walletId, to_account_id: payees[2]!.walletId, amount: kes('6.00') },
        { from_account_id: payer.walletId, to_account_id: payees[2]!.walletId, amount: kes('6.00') },
      ],
    });
    expect(capped.body).toMatchObject({
      code: 'recipient_cannot_receive',
      errors: [{ path: '/transfers/1/to_account_id' }],
    });
    expect(await snapshot()).toBe(before);
    // A stranger's account anywhere in the batch: the batch is refused, the account not revealed.
    const stranger = await newCustomer(bank);
    const savings = await stranger.http.post<{ id: string }>('/v1/accounts', {
      type: 'savings',
      currency: 'KES',
    });
    const beforeHidden = await snapshot(); // opening the savings account is audited
    const hidden = await payer.http.post('/v1/transfers/batch', {
      atomic: true,
      transfers: [{ from_account_id: payer.walletId, to_account_id: savings.body.id, amount: kes('1.00') }],
    });
    expect(hidden.body).toMatchObject({
      code: 'not_found',
      errors: [{ path: '/transfers/0/to_account_id' }],
    });
    expect(await snapshot()).toBe(beforeHidden);
  });

  it('when the batch together passes the step-up threshold, then it needs a second factor, though each transfer alone would not', async () => {
    const payer = await tier1();
    const payees = await Promise.all([tier1(), tier1()]);
    await fund(admin, payer.walletId, '20000.00');
    const res = await payer.http.post('/v1/transfers/batch', {
      atomic: true,
      transfers: payees.map((p) => ({
        from_account_id: payer.walletId,
        to_account_id: p.walletId,
        amount: kes('6000.00'),
      })),
    });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('mfa_required');
  });

  it('when batches are malformed (none, more than 100, not atomic), then 422 and nothing happens', async () => {
    const payer = await tier1();
    const payee = await tier1();
    const one = { from_account_id: payer.walletId, to_account_id: payee.walletId, amount: kes('1.00') };
    for (const body of [
      { transfers: [], atomic: true },
      { transfers: Array(101).fill(one), atomic: true },
      { transfers: [one], atomic: false },
      { transfers: [one] },
    ]) {
      const res = await payer.http.post('/v1/transfers/batch', body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(422);
      expect(res.body.code).toBe('validation_failed');
    }
  });

  it('when two batches cross the same accounts in opposite orders at once, then both go through (one lock order), and the books balance', async () => {
    const [a, b, c] = await Promise.all([tier1(), tier1(), tier1()]);
    await Promise.all([a, b].map((x) => fund(admin, x.walletId, '500.00')));
    const forward = [
      { from_account_id: a.walletId, to_account_id: b.walletId, amount: kes('1.00') },
      { from_account_id: a.walletId, to_account_id: c.walletId, amount: kes('1.00') },
    ];
    const backward = [
      { from_account_id: b.walletId, to_account_id: c.walletId, amount: kes('1.00') },
      { from_account_id: b.walletId, to_account_id: a.walletId, amount: kes('1.00') },
    ];
    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? b : a).http.post('/v1/transfers/batch', {
          atomic: true,
          transfers: i % 2 ? backward : forward,
        }),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(await Promise.all([a, b, c].map(balance))).toEqual(['495.00', '495.00', '10.00']);
    expect((await reconcile(bank.db.prisma)).ok).toBe(true);
  });
});
