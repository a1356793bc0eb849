/**
 * Money in and out over rails (issue 14): M-Pesa deposits (STK push), withdrawals (B2C) and
 * paybill payments (C2B), and RTGS payouts (pacs.008 → pacs.002), through the sandbox simulator
 * over HTTP, with the adapters the production server uses. Every scenario ends with a
 * reconciliation of the whole ledger.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { reconcile } from '../src/modules/ledger/reconcile.ts';
import type { PaybillTarget } from '../src/modules/rails/paybill.ts';
import { startTestBank, type TestBank, testDialects } from '../src/testing/index.ts';
import { fund, type Http, login, newCustomer } from './support/http.ts';
import { balanceOf, callback, FAST_RAILS, payBill, waitFor } from './support/rails.ts';

const kes = (amount: string) => ({ amount, currency: 'KES' });

describe.each(testDialects())('rails on %s', (dialect) => {
  let bank: TestBank;
  let admin: Http;
  const knobs = (rail: string, body: Record<string, unknown>) =>
    admin.request('PUT', `/v1/sandbox/rails/${rail}`, { body });
  const settlement = () => bank.services.ledger.bankAccount('settlement_mpesa', 'KES');

  beforeAll(async () => {
    bank = await startTestBank(dialect, FAST_RAILS);
    admin = await login(bank, 'admin@sandbox.test');
  });
  afterEach(async () => {
    await knobs('mpesa', {
      delay_ms: 20,
      failure_rate: 0,
      duplicate_rate: 0,
      out_of_order: false,
      loss_rate: 0,
    });
    await knobs('rtgs', {
      delay_ms: 20,
      failure_rate: 0,
      duplicate_rate: 0,
      out_of_order: false,
      loss_rate: 0,
    });
    await bank.services.simulator?.flush();
    const report = await reconcile(bank.db.prisma);
    expect(
      report.ok,
      JSON.stringify(report, (_k, v) => (typeof v === 'bigint' ? String(v) : v)),
    ).toBe(true);
  });
  afterAll(async () => {
    await bank?.stop();
  });

  async function customer(funds = '1000.00') {
    const c = await newCustomer(bank, { nationalId: `N${Math.random().toString(36).slice(2, 10)}` });
    if (funds !== '0') await fund(admin, c.walletId, funds);
    return c;
  }
  const movement = (c: { http: Http }, kind: 'deposits' | 'withdrawals', id: unknown) =>
    c.http.get<Record<string, unknown>>(`/v1/${kind}/${String(id)}`);
  const settled = (c: { http: Http }, kind: 'deposits' | 'withdrawals', id: unknown) =>
    waitFor(
      async () => {
        const res = await movement(c, kind, id);
        return res.body.status !== 'pending' ? res.body : undefined;
      },
      10_000,
      `${kind} ${String(id)}`,
    );

  it('when a customer deposits by STK and the phone pays, then the wallet is credited once, with the receipt and an event', async () => {
    const c = await customer('0');
    const before = await balanceOf(bank, settlement());
    const res = await c.http.post('/v1/deposits', {
      account_id: c.walletId,
      amount: kes('250'),
      rail: 'mpesa',
      phone: '0712345678',
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'pending', phone: '254712345678', amount: kes('250.00') });
    const deposit = await settled(c, 'deposits', res.body.id);
    expect(deposit).toMatchObject({ status: 'succeeded', failure_reason: null });
    expect(String(deposit.receipt)).toMatch(/^[A-Z0-9]{10}$/);
    expect((await balanceOf(bank, c.walletId)).balance).toBe(25_000n);
    expect((await balanceOf(bank, settlement())).balance - before.balance).toBe(25_000n);
    const events = await c.http.get<{ data: { type: string; data: Record<string, unknown> }[] }>(
      '/v1/events',
    );
    expect(events.body.data.find((e) => e.type === 'deposit.succeeded')?.data).toMatchObject({
      deposit_id: res.body.id,
      amount: kes('250.00'),
    });
  });

  it('when the payer cancels (…1032), then the deposit fails with that reason and nothing is credited', async () => {
    const c = await customer('0');
    const res = await c.http.post('/v1/deposits', {
      account_id: c.walletId,
      amount: kes('100'),
      rail: 'mpesa',
      phone: '+254700001032',
    });
    expect(await settled(c, 'deposits', res.body.id)).toMatchObject({
      status: 'failed',
      failure_reason: 'cancelled_by_user',
    });
    expect((await balanceOf(bank, c.walletId)).balance).toBe(0n);
  });

  it('when the phone never answers (…1037), then the deposit fails at its timeout; a late success is still credited, once, however often it comes', async () => {
    const c = await customer('0');
    const res = await c.http.post('/v1/deposits', {
      account_id: c.walletId,
      amount: kes('75'),
      rail: 'mpesa',
      phone: '0700001037',
    });
    expect(await settled(c, 'deposits', res.body.id)).toMatchObject({
      status: 'failed',
      failure_reason: 'timeout',
    });
    const row = await bank.db.prisma.railMovement.findUniqueOrThrow({ where: { id: String(res.body.id) } });
    const late = {
      Body: {
        stkCallback: {
          MerchantRequestID: '1-2-3',
          CheckoutRequestID: row.railReference,
          ResultCode: 0,
          ResultDesc: 'The service request is processed successfully.',
          CallbackMetadata: {
            Item: [
              { Name: 'Amount', Value: 75 },
              { Name: 'MpesaReceiptNumber', Value: 'LATE123456' },
              { Name: 'Balance' },
              { Name: 'TransactionDate', Value: 20260101120000 },
              { Name: 'PhoneNumber', Value: 254700001037 },
            ],
          },
        },
      },
    };
    const replies = await Promise.all([1, 2, 3].map(() => callback(bank, 'mpesa', 'stk', late)));
    for (const reply of replies)
      expect(reply).toEqual({ status: 200, body: { ResultCode: 0, ResultDesc: 'Accepted' } });
    expect((await movement(c, 'deposits', res.body.id)).body).toMatchObject({
      status: 'succeeded',
      receipt: 'LATE123456',
    });
    expect((await balanceOf(bank, c.walletId)).balance).toBe(7_500n);
    expect(await bank.db.prisma.railReceipt.count({ where: { receipt: 'LATE123456' } })).toBe(1);
  });

  it.each([
    ['deposits', { rail: 'mpesa', phone: '0712345678' }],
    ['withdrawals', { rail: 'mpesa', destination: { phone: '0712345678' } }],
  ])('when %s over M-Pesa have cents, then 422 and nothing is recorded', async (kind, rest) => {
    const c = await customer();
    const before = await bank.db.prisma.railMovement.count();
    const res = await c.http.post(`/v1/${kind}`, { account_id: c.walletId, amount: kes('10.50'), ...rest });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'body.amount.amount' }] });
    expect(await bank.db.prisma.railMovement.count()).toBe(before);
    expect((await balanceOf(bank, c.walletId)).held).toBe(0n);
  });

  it("when a withdrawal is made, then its money is held at once, and only the rail's success posts it (to the settlement account)", async () => {
    const c = await customer('500.00');
    await knobs('mpesa', { delay_ms: 600_000 });
    const before = await balanceOf(bank, settlement());
    const res = await c.http.post('/v1/withdrawals', {
      account_id: c.walletId,
      amount: kes('200'),
      rail: 'mpesa',
      destination: { phone: '0722000000' },
    });
    expect(res.status).toBe(202);
    expect(await balanceOf(bank, c.walletId)).toEqual({ balance: 50_000n, held: 20_000n });
    const account = await c.http.get<{ balance: { available: { amount: string } } }>(
      `/v1/accounts/${c.walletId}`,
    );
    expect(account.body.balance.available.amount).toBe('300.00');
    // Spending the held money elsewhere is refused.
    const spend = await c.http.post('/v1/withdrawals', {
      account_id: c.walletId,
      amount: kes('301'),
      rail: 'mpesa',
      destination: { phone: '0722000000' },
    });
    expect(spend.body).toMatchObject({ code: 'insufficient_funds' });
    await bank.services.simulator?.flush();
    expect(await settled(c, 'withdrawals', res.body.id)).toMatchObject({ status: 'succeeded' });
    expect(await balanceOf(bank, c.walletId)).toEqual({ balance: 30_000n, held: 0n });
    expect(before.balance - (await balanceOf(bank, settlement())).balance).toBe(20_000n);
  });

  it("when the rail fails a payout, then the hold is voided, the money available again and the day's limit given back", async () => {
    const c = await customer('500.00');
    await knobs('mpesa', { failure_rate: 1 });
    const res = await c.http.post('/v1/withdrawals', {
      account_id: c.walletId,
      amount: kes('400'),
      rail: 'mpesa',
      destination: { phone: '0722000001' },
    });
    expect(await settled(c, 'withdrawals', res.body.id)).toMatchObject({
      status: 'failed',
      failure_reason: 'mpesa_2040',
    });
    expect(await balanceOf(bank, c.walletId)).toEqual({ balance: 50_000n, held: 0n });
    const row = await bank.db.prisma.railMovement.findUniqueOrThrow({ where: { id: String(res.body.id) } });
    const sent = await bank.db.prisma.dailyOutgoing.findFirst({
      where: { customerId: c.id, bankDate: row.bankDate },
    });
    expect(sent?.sentMinor ?? 0n).toBe(0n);
    const hold = await bank.db.prisma.hold.findUniqueOrThrow({ where: { id: String(row.holdId) } });
    expect(hold.status).toBe('voided');
  });

  it('when a payout gets no callback, then the bank asks the rail (Transaction Status) and settles on its answer', async () => {
    const c = await customer('500.00');
    await knobs('mpesa', { loss_rate: 1 });
    const queries = bank.services.simulator?.mpesa.requests.status ?? 0;
    const res = await c.http.post('/v1/withdrawals', {
      account_id: c.walletId,
      amount: kes('100'),
      rail: 'mpesa',
      destination: { phone: '0722000002' },
    });
    await knobs('mpesa', { loss_rate: 0 });
    expect(await settled(c, 'withdrawals', res.body.id)).toMatchObject({ status: 'succeeded' });
    expect(bank.services.simulator?.mpesa.requests.status).toBeGreaterThan(queries);
    expect(await balanceOf(bank, c.walletId)).toEqual({ balance: 40_000n, held: 0n });
  });

  it('when a payout is never answered (…1037), then it stays held past its deadline and alerts staff once; a late success still posts it', async () => {
    const c = await customer('500.00');
    const res = await c.http.post('/v1/withdrawals', {
      account_id: c.walletId,
      amount: kes('150'),
      rail: 'mpesa',
      destination: { phone: '0700001037' },
    });
    const id = String(res.body.id);
    // A queue timeout is no answer: it never voids the hold.
    const timeout = {
      Result: {
        ResultType: 0,
        ResultCode: 1,
        ResultDesc: 'The service request timed out.',
        OriginatorConversationID: id,
        ConversationID: 'AG_1',
        TransactionID: 'X',
      },
    };
    expect((await callback(bank, 'mpesa', 'b2c-timeout', timeout)).status).toBe(200);
    const alerted = await waitFor(
      () => bank.db.prisma.railMovement.findFirst({ where: { id, alertedAt: { not: null } } }),
      10_000,
      'the alert',
    );
    expect(alerted.status).toBe('pending');
    expect(alerted.checks).toBeGreaterThan(1);
    expect(await balanceOf(bank, c.walletId)).toEqual({ balance: 50_000n, held: 15_000n });
    expect(
      await bank.db.prisma.auditEvent.count({ where: { action: 'rail.payout_unresolved', subjectId: id } }),
    ).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(
      await bank.db.prisma.auditEvent.count({ where: { action: 'rail.payout_unresolved', subjectId: id } }),
    ).toBe(1);
    const success = {
      Result: {
        ResultType: 0,
        ResultCode: 0,
        ResultDesc: 'ok',
        OriginatorConversationID: id,
        ConversationID: 'AG_2',
        TransactionID: 'LATEB2C001',
      },
    };
    await Promise.all([
      callback(bank, 'mpesa', 'b2c-result', success),
      callback(bank, 'mpesa', 'b2c-result', success),
    ]);
    expect((await movement(c, 'withdrawals', id)).body).toMatchObject({
      status: 'succeeded',
      receipt: 'LATEB2C001',
    });
    expect(await balanceOf(bank, c.walletId)).toEqual({ balance: 35_000n, held: 0n });
  });

  it('when callbacks come twice, out of order and late, then each movement settles exactly once', async () => {
    const c = await customer('2000.00');
    await knobs('mpesa', { duplicate_rate: 1, out_of_order: true, delay_ms: 30 });
    const ids = await Promise.all(
      Array.from({ length: 6 }, async (_, i) =>
        i % 2 === 0
          ? String(
              (
                await c.http.post('/v1/deposits', {
                  account_id: c.walletId,
                  amount: kes('10'),
                  rail: 'mpesa',
                  phone: '0733000000',
                })
              ).body.id,
            )
          : String(
              (
                await c.http.post('/v1/withdrawals', {
                  account_id: c.walletId,
                  amount: kes('20'),
                  rail: 'mpesa',
                  destination: { phone: '0733000000' },
                })
              ).body.id,
            ),
      ),
    );
    await bank.services.simulator?.flush();
    for (const id of ids)
      expect((await settled(c, id.startsWith('dep') ? 'deposits' : 'withdrawals', id)).status).toBe(
        'succeeded',
      );
    expect(await balanceOf(bank, c.walletId)).toEqual({
      balance: 200_000n + 3n * 1_000n - 3n * 2_000n,
      held: 0n,
    });
  });

  it('when a callback names no request we know, then it is acknowledged and changes nothing', async () => {
    const before = await balanceOf(bank, settlement());
    const unknown = {
      Result: {
        ResultType: 0,
        ResultCode: 0,
        ResultDesc: 'ok',
        OriginatorConversationID: 'wdr_NOSUCHTHING00000000000000',
        ConversationID: 'AG',
        TransactionID: 'NOPE000001',
      },
    };
    expect((await callback(bank, 'mpesa', 'b2c-result', unknown)).status).toBe(200);
    const failed = {
      Body: { stkCallback: { CheckoutRequestID: 'ws_CO_NOSUCH', ResultCode: 1032, ResultDesc: 'cancelled' } },
    };
    expect((await callback(bank, 'mpesa', 'stk', failed)).status).toBe(200);
    expect(await balanceOf(bank, settlement())).toEqual(before);
  });

  it('when callbacks carry a wrong token, an unknown kind or junk, then they are refused (404/400, never 500) and change nothing', async () => {
    const before = await Promise.all([bank.db.prisma.railInbox.count(), balanceOf(bank, settlement())]);
    const valid = { Body: { stkCallback: { CheckoutRequestID: 'ws_CO_X', ResultCode: 1032 } } };
    expect((await callback(bank, 'mpesa', 'stk', valid, { token: 'wrong' })).status).toBe(404);
    expect(
      (await callback(bank, 'mpesa', 'stk', valid, { token: `${bank.config.rails.callbackToken}x` })).status,
    ).toBe(404);
    expect((await callback(bank, 'mpesa', 'no-such-kind', valid)).status).toBe(404);
    expect((await callback(bank, 'card', 'stk', valid)).status).toBe(404);
    for (const junk of [
      'not json',
      '[]',
      '{"Body":{}}',
      '{"Result":{"ResultCode":0}}',
      '{"Body":{"stkCallback":{"CheckoutRequestID":"x","ResultCode":0}}}',
    ])
      for (const kind of ['stk', 'b2c-result', 'c2b-confirmation', 'status-result']) {
        const reply = await callback(bank, 'mpesa', kind, junk);
        expect(reply.status, `${kind} ${junk}`).toBeLessThan(500);
      }
    expect(
      (await callback(bank, 'rtgs', 'status-report', '<x/>', { contentType: 'application/xml' })).status,
    ).toBe(400);
    expect(await Promise.all([bank.db.prisma.railInbox.count(), balanceOf(bank, settlement())])).toEqual(
      before,
    );
  });

  it("when a C2B payment names a customer's phone, then their wallet is credited; an unknown account goes to suspense; a repeated receipt credits nothing more", async () => {
    const c = await customer('0');
    const phone = c.phone.replace('+', '');
    await payBill(bank, { phone: '254799000000', amount: 120, account: c.phone });
    await payBill(bank, { phone: '254799000000', amount: 80, account: 'NO-SUCH-ACCOUNT' });
    await bank.services.simulator?.flush();
    expect((await balanceOf(bank, c.walletId)).balance).toBe(12_000n);
    const suspense = bank.services.ledger.bankAccount('rail_suspense', 'KES');
    const receipts = await bank.db.prisma.railReceipt.findMany({
      where: { kind: 'c2b' },
      orderBy: { createdAt: 'desc' },
      take: 2,
    });
    expect(receipts.map((r) => r.target).sort()).toEqual(['suspense', 'wallet']);
    const suspenseBefore = (await balanceOf(bank, suspense)).balance;
    const replayed = receipts.find((r) => r.target === 'wallet');
    const again = {
      TransactionType: 'Pay Bill',
      TransID: replayed?.receipt,
      TransAmount: '120.00',
      BusinessShortCode: '174379',
      BillRefNumber: phone,
      MSISDN: '254799000000',
    };
    expect((await callback(bank, 'mpesa', 'c2b-confirmation', again)).status).toBe(200);
    expect((await balanceOf(bank, c.walletId)).balance).toBe(12_000n);
    expect((await balanceOf(bank, suspense)).balance).toBe(suspenseBefore);
  });

  it("when a C2B payment names a loan number, then the Borrow target repays it and the excess reaches the owner's wallet", async () => {
    const c = await customer('0');
    const repaid: { loanNumber: string; amount: bigint; receipt: string }[] = [];
    const target: PaybillTarget = {
      async repayByLoanNumber(tx, loanNumber, amountMinor, source) {
        if (loanNumber !== '4242') return undefined;
        const applied = amountMinor < 30_000n ? amountMinor : 30_000n;
        // A stand-in for the loan's own entry: the settlement account pays the receivable.
        await bank.services.ledger.post(tx, {
          kind: 'loan_repayment',
          description: `test repayment ${source.receipt}`,
          postings: [
            { accountId: source.accountId, side: 'debit', amountMinor: applied },
            {
              accountId: bank.services.ledger.bankAccount('interest_income', 'KES'),
              side: 'credit',
              amountMinor: applied,
            },
          ],
        });
        repaid.push({ loanNumber, amount: applied, receipt: source.receipt });
        return { loanId: 'loan_TEST', customerId: c.id, appliedMinor: applied };
      },
    };
    const borrow = bank.services.rails.paybillTarget;
    bank.services.rails.paybillTarget = target;
    try {
      await payBill(bank, { phone: '254799000001', amount: 500, account: '4242' });
      await bank.services.simulator?.flush();
      expect(repaid).toHaveLength(1);
      expect(repaid[0]?.amount).toBe(30_000n);
      expect((await balanceOf(bank, c.walletId)).balance).toBe(20_000n);
      const receipt = await bank.db.prisma.railReceipt.findFirstOrThrow({
        where: { receipt: repaid[0]?.receipt },
      });
      expect(receipt).toMatchObject({ target: 'loan', targetId: 'loan_TEST', amountMinor: 50_000n });
    } finally {
      bank.services.rails.paybillTarget = borrow;
    }
  });

  it('when a C2B payment names a real loan number, then Borrow closes the loan at its payoff and the excess reaches the wallet, once however often M-Pesa calls back', async () => {
    const c = await customer('0');
    const banker = await login(bank, 'banker@sandbox.test');
    const applied = await c.http.post<{ id: string; status: string }>('/v1/loan-applications', {
      product_id: 'lprod_sandbox_digital',
      amount: kes('1000.00'),
      term_months: 1,
    });
    if (applied.body.status !== 'approved')
      await banker.post(`/v1/loan-applications/${applied.body.id}/override`, {
        decision: 'approve',
        reason: 'paybill test',
      });
    const loan = await c.http.post<{ id: string; loan_number: string }>(
      `/v1/loan-applications/${applied.body.id}/accept`,
      {},
    );
    expect(loan.status, JSON.stringify(loan.body)).toBe(201);
    const payoff = await c.http.get<{ total: { amount: string } }>(`/v1/loans/${loan.body.id}/payoff`);
    const payoffMinor = BigInt(payoff.body.total.amount.replace('.', ''));
    const paid = Math.ceil(Number(payoffMinor) / 100) + 50; // whole shillings, more than the payoff
    const walletBefore = (await balanceOf(bank, c.walletId)).balance;
    await knobs('mpesa', { duplicate_rate: 1, delay_ms: 20 });
    await payBill(bank, { phone: '254799000002', amount: paid, account: loan.body.loan_number });
    await bank.services.simulator?.flush();
    const closed = await waitFor(
      async () => {
        const res = await c.http.get<{ status: string }>(`/v1/loans/${loan.body.id}`);
        return res.body.status === 'closed' ? res.body : undefined;
      },
      10_000,
      'the loan closed',
    );
    expect(closed.status).toBe('closed');
    expect((await balanceOf(bank, c.walletId)).balance).toBe(
      walletBefore + BigInt(paid) * 100n - payoffMinor,
    );
    expect(await bank.db.prisma.loanRepayment.count({ where: { loanId: loan.body.id } })).toBe(1);
    const receipts = await bank.db.prisma.railReceipt.findMany({ where: { targetId: loan.body.id } });
    expect(receipts).toHaveLength(1);
    expect(receipts[0]).toMatchObject({ target: 'loan', amountMinor: BigInt(paid) * 100n });
  });

  it('when the same deposit request is retried with its key, then one STK push and one movement', async () => {
    const c = await customer('0');
    const stk = bank.services.simulator?.mpesa.requests.stk ?? 0;
    const body = { account_id: c.walletId, amount: kes('30'), rail: 'mpesa', phone: '0711000000' };
    const [first, second] = await Promise.all([
      c.http.post('/v1/deposits', body, { key: 'same-key-123' }),
      c.http.post('/v1/deposits', body, { key: 'same-key-123' }),
    ]);
    expect(second.body.id).toBe(first.body.id);
    expect(bank.services.simulator?.mpesa.requests.stk).toBe(stk + 1);
    expect(await bank.db.prisma.railMovement.count({ where: { customerId: c.id } })).toBe(1);
  });

  it("when a withdrawal is above the step-up threshold without a second factor, or above the day's limit, then it is refused before anything is held", async () => {
    const c = await customer('15000.00');
    const big = await c.http.post('/v1/withdrawals', {
      account_id: c.walletId,
      amount: kes('10001'),
      rail: 'mpesa',
      destination: { phone: '0712000000' },
    });
    expect(big).toMatchObject({ status: 401, body: { code: 'mfa_required' } });
    const poor = await customer('0');
    expect(
      (
        await poor.http.post('/v1/withdrawals', {
          account_id: poor.walletId,
          amount: kes('10'),
          rail: 'mpesa',
          destination: { phone: '0712000000' },
        })
      ).body,
    ).toMatchObject({ code: 'insufficient_funds' });
    const tier0 = await newCustomer(bank);
    await fund(admin, tier0.walletId, '30000.00');
    for (let i = 0; i < 2; i++)
      expect(
        (
          await tier0.http.post('/v1/withdrawals', {
            account_id: tier0.walletId,
            amount: kes('10000'),
            rail: 'mpesa',
            destination: { phone: '0712000000' },
          })
        ).status,
      ).toBe(202);
    const over = await tier0.http.post('/v1/withdrawals', {
      account_id: tier0.walletId,
      amount: kes('1'),
      rail: 'mpesa',
      destination: { phone: '0712000000' },
    });
    expect(over.body).toMatchObject({ code: 'limit_exceeded' });
    expect((await balanceOf(bank, c.walletId)).held).toBe(0n);
  });

  it('when a withdrawal goes by RTGS, then a pacs.008 settles on the pacs.002 (ACSC), and a rejection (RJCT) voids the hold', async () => {
    const c = await customer('1000.00');
    const rtgsSettlement = bank.services.ledger.bankAccount('settlement_rtgs', 'KES');
    const before = await balanceOf(bank, rtgsSettlement);
    const destination = {
      bank_code: 'KCBLKENX',
      account_number: '1100223344',
      account_name: 'Otieno Ochieng',
    };
    const ok = await c.http.post('/v1/withdrawals', {
      account_id: c.walletId,
      amount: kes('123.45'),
      rail: 'rtgs',
      destination,
    });
    expect(ok.status).toBe(202);
    expect(await settled(c, 'withdrawals', ok.body.id)).toMatchObject({ status: 'succeeded', destination });
    expect(before.balance - (await balanceOf(bank, rtgsSettlement)).balance).toBe(12_345n);
    expect(
      bank.services.simulator?.rtgs.received.some((xml) =>
        xml.includes(`<EndToEndId>${ok.body.id}</EndToEndId>`),
      ),
    ).toBe(true);
    await knobs('rtgs', { failure_rate: 1 });
    const rejected = await c.http.post('/v1/withdrawals', {
      account_id: c.walletId,
      amount: kes('50'),
      rail: 'rtgs',
      destination,
    });
    expect(await settled(c, 'withdrawals', rejected.body.id)).toMatchObject({
      status: 'failed',
      failure_reason: 'rtgs_ac04',
    });
    expect(await balanceOf(bank, c.walletId)).toEqual({ balance: 100_000n - 12_345n, held: 0n });
    const phone = await c.http.post('/v1/withdrawals', {
      account_id: c.walletId,
      amount: kes('50'),
      rail: 'rtgs',
      destination: { phone: '0712000000' },
    });
    expect(phone.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'body.destination' }] });
    const deposit = await c.http.post('/v1/deposits', {
      account_id: c.walletId,
      amount: kes('50'),
      rail: 'rtgs',
      phone: '0712000000',
    });
    expect(deposit.status).toBe(422);
  });

  it('when another customer, a partner or a banker asks for a movement, then 404 / 403 / the staff view', async () => {
    const c = await customer();
    const other = await customer();
    const res = await c.http.post('/v1/deposits', {
      account_id: c.walletId,
      amount: kes('10'),
      rail: 'mpesa',
      phone: '0712000000',
    });
    expect((await other.http.get(`/v1/deposits/${String(res.body.id)}`)).status).toBe(404);
    expect((await other.http.get(`/v1/withdrawals/${String(res.body.id)}`)).status).toBe(404);
    expect(
      (await (await login(bank, 'banker@sandbox.test')).get(`/v1/deposits/${String(res.body.id)}`)).status,
    ).toBe(200);
    const foreign = await other.http.post('/v1/deposits', {
      account_id: c.walletId,
      amount: kes('10'),
      rail: 'mpesa',
      phone: '0712000000',
    });
    expect(foreign.status).toBe(404);
  });
});

describe('rail callbacks from outside the allow-list', () => {
  let bank: TestBank;
  beforeAll(async () => {
    bank = await startTestBank('sqlite', { ...FAST_RAILS, WEKEZA_MPESA_CALLBACK_ALLOW: '196.201.214.200' });
  });
  afterAll(async () => {
    await bank?.stop();
  });

  it("when Safaricom's addresses are the only ones allowed, then a callback from here is refused, even with the right token", async () => {
    const admin = await login(bank, 'admin@sandbox.test');
    const c = await newCustomer(bank);
    await fund(admin, c.walletId, '100.00');
    const res = await c.http.post('/v1/deposits', {
      account_id: c.walletId,
      amount: { amount: '10', currency: 'KES' },
      rail: 'mpesa',
      phone: '0712345678',
    });
    await bank.services.simulator?.flush();
    expect((await c.http.get(`/v1/deposits/${String(res.body.id)}`)).body).toMatchObject({
      status: 'pending',
    });
    const forged = { Body: { stkCallback: { CheckoutRequestID: 'ws_CO_X', ResultCode: 1032 } } };
    expect((await callback(bank, 'mpesa', 'stk', forged)).status).toBe(404);
    expect(await bank.db.prisma.railInbox.count()).toBe(0);
  });
});
