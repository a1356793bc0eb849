/**
 * docs/savings.md's worked examples, to the cent, through the real bank: HTTP requests, the ledger,
 * and the daily close run by the sandbox clock. The bank's wall clock starts on the example's first
 * day (2025-03-01 or 2025-08-31, 10:00 in Nairobi), so its bank dates are the example's dates.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcile } from '../src/modules/ledger/reconcile.ts';
import { startTestBank, type TestBank, TestClock, testDialects } from '../src/testing/index.ts';
import { fund, type Http, login, newCustomer } from './support/http.ts';

type Money = { amount: string; currency: string };
const kes = (amount: string): Money => ({ amount, currency: 'KES' });

/** A clock whose wall time starts at `start` and runs on from there. */
function clockAt(start: string): TestClock {
  const clock = new TestClock();
  clock.offsetMs = new Date(start).getTime() - Date.now();
  return clock;
}

interface StatementJson {
  opening_balance: Money;
  closing_balance: Money;
  lines: { date: string; description: string; amount: Money; balance: Money; entry_id: string }[];
}

describe.each(testDialects())('the worked examples of docs/savings.md on %s', (dialect) => {
  describe('example 1: a month of savings with a deposit and a withdrawal, then April compounds', () => {
    let bank: TestBank;
    let admin: Http;
    let customer: Awaited<ReturnType<typeof newCustomer>>;
    let savingsId: string;

    beforeAll(async () => {
      bank = await startTestBank(dialect, {}, { clock: clockAt('2025-03-01T07:00:00Z') });
      admin = await login(bank, 'admin@sandbox.test');
      customer = await newCustomer(bank, { nationalId: 'GOLDEN1' });
      await fund(admin, customer.walletId, '100000.00');
    }, 60_000);
    afterAll(async () => {
      await bank?.stop();
    });

    const advance = async (days: number) => {
      const res = await admin.post<{ bank_date: string }>('/v1/sandbox/clock/advance', { days });
      expect(res.status).toBe(200);
      return res.body.bank_date;
    };

    it('when the savings account opens on 1 March with KES 50,000 at 8 %, then it starts accruing that day', async () => {
      const opened = await customer.http.post<Record<string, unknown>>('/v1/accounts', {
        type: 'savings',
        currency: 'KES',
        product_id: 'sprod_sandbox_savings',
        amount: kes('50000.00'),
      });
      expect(opened.status, JSON.stringify(opened.body)).toBe(201);
      savingsId = String(opened.body.id);
      expect(opened.body).toMatchObject({
        type: 'savings',
        balance: { ledger: kes('50000.00') },
        product_id: 'sprod_sandbox_savings',
        interest_rate: '0.08',
        opened_on: '2025-03-01',
        accrued_interest: kes('0.00'),
        accrued_through: '2025-02-28',
      });
      expect(
        (await customer.http.get<{ balance: { ledger: Money } }>(`/v1/accounts/${customer.walletId}`)).body
          .balance.ledger,
      ).toEqual(kes('50000.00'));
    });

    it('when KES 20,000 comes in on 11 March and 15,000 goes out on 21 March, then March posts 395.62 gross and 59.34 tax, carrying −130 (× 365)', async () => {
      expect(await advance(10)).toBe('2025-03-11');
      const moved = await customer.http.post('/v1/transfers', {
        from_account_id: customer.walletId,
        to_account_id: savingsId,
        amount: kes('20000.00'),
      });
      expect(moved.status).toBe(201);
      expect(await advance(10)).toBe('2025-03-21');
      const out = await customer.http.post<Record<string, unknown>>(
        `/v1/accounts/${savingsId}/withdrawals-to-wallet`,
        { amount: kes('15000.00') },
      );
      expect(out.status, JSON.stringify(out.body)).toBe(201);
      expect(out.body).toMatchObject({ effective_date: '2025-03-21', to_account_id: customer.walletId });
      expect(await advance(11)).toBe('2025-04-01');

      const state = await bank.db.prisma.savingsAccount.findUniqueOrThrow({
        where: { accountId: savingsId },
      });
      expect(state).toMatchObject({
        accruedThrough: '2025-03-31',
        accruedTimes365: '-130',
        postedThrough: '2025-03-31',
      });
      const account = await customer.http.get<Record<string, unknown>>(`/v1/accounts/${savingsId}`);
      expect(account.body).toMatchObject({
        balance: { ledger: kes('55336.28') },
        accrued_through: '2025-03-31',
      });

      const statement = await customer.http.get<StatementJson>(
        `/v1/accounts/${savingsId}/statement?from=2025-03-01&to=2025-03-31`,
      );
      expect(statement.status).toBe(200);
      expect(statement.body.opening_balance).toEqual(kes('0.00'));
      expect(statement.body.closing_balance).toEqual(kes('55336.28'));
      expect(statement.body.lines.map((l) => [l.date, l.amount.amount, l.balance.amount])).toEqual([
        ['2025-03-01', '50000.00', '50000.00'],
        ['2025-03-11', '20000.00', '70000.00'],
        ['2025-03-21', '-15000.00', '55000.00'],
        ['2025-03-31', '395.62', '55395.62'],
        ['2025-03-31', '-59.34', '55336.28'],
      ]);
      expect(statement.body.lines[3]?.description).toBe('Interest 2025-03-01 to 2025-03-31');
      expect(statement.body.lines[4]?.description).toBe(
        'Withholding tax 15% on interest 2025-03-01 to 2025-03-31',
      );

      const events = await customer.http.get<{ data: { type: string; data: Record<string, unknown> }[] }>(
        '/v1/events',
      );
      const posted = events.body.data.find((e) => e.type === 'account.interest_posted');
      expect(posted?.data).toMatchObject({
        account_id: savingsId,
        period_to: '2025-03-31',
        gross: kes('395.62'),
        tax: kes('59.34'),
        net: kes('336.28'),
      });
    });

    it('when April passes, then the net interest compounds: 363.85 gross, 54.58 tax, balance 55,645.55, carry 52.2', async () => {
      expect(await advance(30)).toBe('2025-05-01');
      const state = await bank.db.prisma.savingsAccount.findUniqueOrThrow({
        where: { accountId: savingsId },
      });
      expect(state).toMatchObject({ accruedThrough: '2025-04-30', accruedTimes365: '52.2' });
      const statement = await customer.http.get<StatementJson>(
        `/v1/accounts/${savingsId}/statement?from=2025-04-01&to=2025-04-30`,
      );
      expect(statement.body.opening_balance).toEqual(kes('55336.28'));
      expect(statement.body.lines.map((l) => l.amount.amount)).toEqual(['363.85', '-54.58']);
      expect(statement.body.closing_balance).toEqual(kes('55645.55'));
      // The bank's side: interest expense and tax payable carry exactly the two months.
      const bankAccount = (code: string) =>
        bank.db.prisma.account.findUniqueOrThrow({ where: { id: `acc_bank_${code}_kes` } });
      expect((await bankAccount('withholding_tax_payable')).balanceMinor).toBe(5_934n + 5_458n);
      expect((await bankAccount('interest_expense')).balanceMinor).toBe(39_562n + 36_385n);
      expect((await reconcile(bank.db.prisma)).ok).toBe(true);
    });
  });

  describe('examples 2 and 3: KES 100,000 for 6 months at 10 % from 31 August 2025, to maturity and closed early on day 45', () => {
    let bank: TestBank;
    let admin: Http;
    let customer: Awaited<ReturnType<typeof newCustomer>>;
    let heldToMaturity: string;
    let closedEarly: string;
    let rolledOver: string;

    beforeAll(async () => {
      bank = await startTestBank(dialect, {}, { clock: clockAt('2025-08-31T07:00:00Z') });
      admin = await login(bank, 'admin@sandbox.test');
      customer = await newCustomer(bank, { nationalId: 'GOLDEN2' });
      await fund(admin, customer.walletId, '300000.00');
    }, 60_000);
    afterAll(async () => {
      await bank?.stop();
    });

    const openDeposit = async (product: string, atMaturity: 'pay_out' | 'roll_over', months: number) => {
      const res = await customer.http.post<Record<string, unknown>>('/v1/accounts', {
        type: 'fixed_deposit',
        currency: 'KES',
        product_id: product,
        term_months: months,
        amount: kes('100000.00'),
        at_maturity: atMaturity,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res;
    };

    it('when a deposit is quoted and opened on 31 August, then it matures on 28 February 2026 with 4,958.90 interest, 743.84 tax and 104,215.06 paid', async () => {
      const quote = await customer.http.post<Record<string, unknown>>('/v1/deposit-quotes', {
        product_id: 'sprod_sandbox_fd_6m',
        amount: kes('100000.00'),
        term_months: 6,
      });
      expect(quote.status, JSON.stringify(quote.body)).toBe(200);
      expect(quote.body).toEqual({
        product_id: 'sprod_sandbox_fd_6m',
        principal: kes('100000.00'),
        annual_rate: '0.10',
        opening_date: '2025-08-31',
        term_months: 6,
        maturity_date: '2026-02-28',
        interest: kes('4958.90'),
        tax: kes('743.84'),
        maturity_amount: kes('104215.06'),
      });
      const opened = await openDeposit('sprod_sandbox_fd_6m', 'pay_out', 6);
      heldToMaturity = String(opened.body.id);
      expect(opened.body).toMatchObject({
        type: 'fixed_deposit',
        balance: { ledger: kes('100000.00') },
        interest_rate: '0.10',
        principal: kes('100000.00'),
        opened_on: '2025-08-31',
        maturity_date: '2026-02-28',
        maturity_amount: kes('104215.06'),
        at_maturity: 'pay_out',
        accrued_interest: kes('0.00'),
      });
      closedEarly = String((await openDeposit('sprod_sandbox_fd_6m', 'pay_out', 6)).body.id);
      rolledOver = String((await openDeposit('sprod_sandbox_fd_3m', 'roll_over', 3)).body.id);
      // Money enters a fixed deposit only at opening.
      const topUp = await customer.http.post('/v1/sandbox/deposits', {
        account_id: heldToMaturity,
        amount: kes('1.00'),
      });
      expect(topUp.status).toBe(409);
    });

    it('when a day has closed, then the first day accrues 27.40 and the second 27.39 (the carry gives back what rounding took)', async () => {
      await admin.post('/v1/sandbox/clock/advance', { days: 1 });
      const first = await customer.http.get<Record<string, unknown>>(`/v1/accounts/${heldToMaturity}`);
      expect(first.body).toMatchObject({ accrued_interest: kes('27.40'), accrued_through: '2025-08-31' });
      await admin.post('/v1/sandbox/clock/advance', { days: 1 });
      const second = await customer.http.get<Record<string, unknown>>(`/v1/accounts/${heldToMaturity}`);
      expect(second.body).toMatchObject({ accrued_interest: kes('54.79'), accrued_through: '2025-09-01' });
    });

    it('when the second deposit is closed on 15 October (day 45), then the quote and the close agree: 1,232.88 accrued, 616.44 forfeited, 92.47 tax, 100,523.97 paid', async () => {
      const moved = await admin.post<{ bank_date: string }>('/v1/sandbox/clock/advance', { days: 43 });
      expect(moved.body.bank_date).toBe('2025-10-15');
      const expected = {
        account_id: closedEarly,
        close_date: '2025-10-15',
        principal: kes('100000.00'),
        interest_accrued: kes('1232.88'),
        interest_forfeited: kes('616.44'),
        interest_kept: kes('616.44'),
        tax: kes('92.47'),
        total: kes('100523.97'),
        paid_to_account_id: customer.walletId,
      };
      const quote = await customer.http.get(`/v1/accounts/${closedEarly}/close-quote`);
      expect(quote.body).toEqual(expected);
      const walletBefore = await customer.http.get<{ balance: { ledger: Money } }>(
        `/v1/accounts/${customer.walletId}`,
      );
      const closed = await customer.http.post<Record<string, unknown>>(
        `/v1/accounts/${closedEarly}/close`,
        undefined,
      );
      expect(closed.status, JSON.stringify(closed.body)).toBe(200);
      expect(closed.body).toMatchObject(expected);
      expect(closed.body.journal_entry_ids).toHaveLength(4);
      const walletAfter = await customer.http.get<{ balance: { ledger: Money } }>(
        `/v1/accounts/${customer.walletId}`,
      );
      expect(
        Math.round(Number(walletAfter.body.balance.ledger.amount) * 100) -
          Math.round(Number(walletBefore.body.balance.ledger.amount) * 100),
      ).toBe(10_052_397);
      const statement = await customer.http.get<StatementJson>(
        `/v1/accounts/${closedEarly}/statement?from=2025-08-31&to=2025-10-15`,
      );
      expect(statement.body.lines.map((l) => [l.date, l.amount.amount, l.balance.amount])).toEqual([
        ['2025-08-31', '100000.00', '100000.00'],
        ['2025-10-15', '1232.88', '101232.88'],
        ['2025-10-15', '-616.44', '100616.44'],
        ['2025-10-15', '-92.47', '100523.97'],
        ['2025-10-15', '-100523.97', '0.00'],
      ]);
      expect(statement.body.lines[2]?.description).toBe('Early close: 50% of the interest forfeited');
      expect((await customer.http.get(`/v1/accounts/${closedEarly}`)).body).toMatchObject({
        status: 'closed',
        closed_on: '2025-10-15',
      });
      // Closing twice: the account is closed; the same key replays the first answer.
      expect((await customer.http.post(`/v1/accounts/${closedEarly}/close`, undefined)).status).toBe(409);
    });

    it('when the 3-month deposit rolls over on 30 November, then the new term takes the product rate of that day and the first term’s net interest', async () => {
      const retuned = await admin.request('PUT', '/v1/savings-products/sprod_sandbox_fd_3m', {
        body: { annual_rate: '0.085', status: 'active', reason: 'Central Bank rate cut' },
      });
      expect(retuned.status, JSON.stringify(retuned.body)).toBe(200);
      const moved = await admin.post<{ bank_date: string }>('/v1/sandbox/clock/advance', { days: 47 });
      expect(moved.body.bank_date).toBe('2025-12-01');
      // 100,000 × 0.09 × 91 / 365 = 2,243.84 (to the cent); tax 336.58 (336.576); net 1,907.26.
      const account = await customer.http.get<Record<string, unknown>>(`/v1/accounts/${rolledOver}`);
      expect(account.body).toMatchObject({
        status: 'open',
        principal: kes('101907.26'),
        balance: { ledger: kes('101907.26') },
        interest_rate: '0.085',
        opened_on: '2025-11-30',
        maturity_date: '2026-02-28',
        accrued_through: '2025-11-29',
      });
      const events = await customer.http.get<{ data: { type: string; data: Record<string, unknown> }[] }>(
        '/v1/events',
      );
      expect(events.body.data.find((e) => e.type === 'fixed_deposit.matured')?.data).toMatchObject({
        account_id: rolledOver,
        interest: kes('2243.84'),
        tax: kes('336.58'),
        maturity_amount: kes('101907.26'),
        at_maturity: 'roll_over',
        rollover: { principal: kes('101907.26'), annual_rate: '0.085', opened_on: '2025-11-30' },
      });
    });

    it('when 28 February 2026 closes, then the first deposit pays 104,215.06 to the wallet, its accruals summing to 4,958.90', async () => {
      const walletBefore = await bank.db.prisma.account.findUniqueOrThrow({
        where: { id: customer.walletId },
      });
      const moved = await admin.post<{ bank_date: string }>('/v1/sandbox/clock/advance', { days: 90 });
      expect(moved.body.bank_date).toBe('2026-03-01');
      const walletAfter = await bank.db.prisma.account.findUniqueOrThrow({
        where: { id: customer.walletId },
      });
      expect(walletAfter.balanceMinor - walletBefore.balanceMinor).toBe(10_421_506n);
      expect((await customer.http.get(`/v1/accounts/${heldToMaturity}`)).body).toMatchObject({
        status: 'closed',
        closed_on: '2026-02-28',
        accrued_interest: kes('4958.90'),
      });
      const accruals = await bank.db.prisma.$queryRawUnsafe<{ total: unknown }[]>(
        "SELECT SUM(amount_minor) AS total FROM journal_entries e JOIN postings p ON p.entry_id = e.id WHERE e.kind = 'interest_accrual' AND p.side = 'debit' AND e.description LIKE ?",
        `%${heldToMaturity}%`,
      );
      expect(BigInt(String(accruals[0]?.total))).toBe(495_890n);
      const statement = await customer.http.get<StatementJson>(
        `/v1/accounts/${heldToMaturity}/statement?from=2025-08-31&to=2026-02-28`,
      );
      expect(statement.body.lines.map((l) => [l.date, l.amount.amount])).toEqual([
        ['2025-08-31', '100000.00'],
        ['2026-02-28', '4958.90'],
        ['2026-02-28', '-743.84'],
        ['2026-02-28', '-104215.06'],
      ]);
      // The roll-over's second term matured the same day and rolled again, at 8.5 %.
      expect((await customer.http.get(`/v1/accounts/${rolledOver}`)).body).toMatchObject({
        opened_on: '2026-02-28',
        maturity_date: '2026-05-28',
      });
      // Everything accrued was either paid or forfeited: interest payable holds only the live roll-over's accrual.
      const payable = await bank.db.prisma.account.findUniqueOrThrow({
        where: { id: 'acc_bank_interest_payable_kes' },
      });
      const live = await bank.db.prisma.fixedDeposit.findMany({ where: { status: 'active' } });
      expect(payable.balanceMinor).toBe(live.reduce((sum, d) => sum + d.accruedMinor, 0n));
      expect((await reconcile(bank.db.prisma)).ok).toBe(true);
    });
  });
});
