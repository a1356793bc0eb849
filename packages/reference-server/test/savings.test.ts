/**
 * Save's rules around the worked examples: products and their rate history, what an opening refuses,
 * idempotent openings, money that may not enter or leave a fixed deposit, withdrawals, the savings
 * close, catch-up of missed days, re-running a day, and statements (audited staff reads, ordering
 * by effective date, consistency while postings arrive).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, daysBetween, lastDayOfMonth } from '../src/bank-calendar.ts';
import { systemClock } from '../src/clock.ts';
import { reconcile } from '../src/modules/ledger/reconcile.ts';
import { StatementService } from '../src/modules/statements/service.ts';
import { checkedLines } from '../src/modules/statements/statement.ts';
import { startTestBank, type TestBank, TestClock, testDialects } from '../src/testing/index.ts';
import { fund, type Http, login, newCustomer } from './support/http.ts';

type Money = { amount: string; currency: string };
const kes = (amount: string): Money => ({ amount, currency: 'KES' });

describe.each(testDialects())('Save on %s', (dialect) => {
  let bank: TestBank;
  let admin: Http;
  let banker: Http;
  let customer: Awaited<ReturnType<typeof newCustomer>>;

  beforeAll(async () => {
    // A fixed start, so that the month ends the tests cross are known: 2 June 2025, 10:00 in Nairobi.
    const clock = new TestClock();
    clock.offsetMs = Date.parse('2025-06-02T07:00:00Z') - Date.now();
    bank = await startTestBank(dialect, {}, { clock });
    admin = await login(bank, 'admin@sandbox.test');
    banker = await login(bank, 'banker@sandbox.test');
    customer = await newCustomer(bank, { nationalId: `SAVE${dialect}` });
    await fund(admin, customer.walletId, '200000.00');
  }, 60_000);
  afterAll(async () => {
    await bank?.stop();
  });

  const open = (body: Record<string, unknown>, key?: string) =>
    customer.http.post<Record<string, unknown>>(
      '/v1/accounts',
      { currency: 'KES', ...body },
      key ? { key } : {},
    );
  const balanceOf = async (id: string) =>
    (await bank.db.prisma.account.findUniqueOrThrow({ where: { id } })).balanceMinor;

  it('when an admin creates products, then they are listed, audited, and a bad product is refused field by field', async () => {
    const created = await admin.post<Record<string, unknown>>('/v1/savings-products', {
      name: 'Bonus saver',
      type: 'savings',
      currency: 'KES',
      annual_rate: '0.12',
      min_opening_balance: kes('500.00'),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ type: 'savings', annual_rate: '0.12', status: 'active' });
    expect(created.body).not.toHaveProperty('term_months');
    const audit = await bank.db.prisma.auditEvent.findFirst({
      where: { action: 'savings_product.created', subjectId: String(created.body.id) },
    });
    expect(audit?.actorRole).toBe('admin');

    const bad = await admin.post<{ errors: { path: string }[] }>('/v1/savings-products', {
      name: 'Broken deposit',
      type: 'fixed_deposit',
      currency: 'KES',
      annual_rate: '0.1',
      min_opening_balance: { amount: '1.00', currency: 'USD' },
      term_months: [3, 3],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e) => e.path).sort()).toEqual([
      'body.min_opening_balance.currency',
      'body.term_months',
    ]);
    for (const annualRate of ['8%', '0.08.1', '-0.01', '1.5', 0.08, '0.123456789'])
      expect(
        (
          await admin.post('/v1/savings-products', {
            name: 'x',
            type: 'savings',
            currency: 'KES',
            annual_rate: annualRate,
            min_opening_balance: kes('0.00'),
          })
        ).status,
        String(annualRate),
      ).toBe(422);

    const list = await customer.http.get<{ data: { id: string; type: string; term_months?: number[] }[] }>(
      '/v1/savings-products?limit=100',
    );
    expect(list.body.data.map((p) => p.id)).toEqual(
      expect.arrayContaining([
        'sprod_sandbox_savings',
        'sprod_sandbox_fd_3m',
        'sprod_sandbox_fd_6m',
        'sprod_sandbox_fd_12m',
      ]),
    );
    expect(list.body.data.find((p) => p.id === 'sprod_sandbox_fd_12m')?.term_months).toEqual([12]);
  });

  it('when an opening asks for what the product does not offer, then it is refused and nothing is opened or moved', async () => {
    const accountsBefore = await bank.db.prisma.account.count();
    const walletBefore = await balanceOf(customer.walletId);
    const refusals: [Record<string, unknown>, number, string][] = [
      [
        { type: 'fixed_deposit', product_id: 'sprod_sandbox_fd_6m', term_months: 6 },
        422,
        'validation_failed',
      ],
      [
        { type: 'fixed_deposit', product_id: 'sprod_sandbox_fd_6m', term_months: 3, amount: kes('5000.00') },
        422,
        'validation_failed',
      ],
      [
        { type: 'fixed_deposit', product_id: 'sprod_sandbox_fd_6m', term_months: 6, amount: kes('999.99') },
        422,
        'validation_failed',
      ],
      [
        {
          type: 'fixed_deposit',
          product_id: 'sprod_sandbox_savings',
          term_months: 6,
          amount: kes('5000.00'),
        },
        422,
        'validation_failed',
      ],
      [
        {
          type: 'fixed_deposit',
          product_id: 'sprod_sandbox_fd_6m',
          term_months: 6,
          amount: kes('900000.00'),
        },
        422,
        'insufficient_funds',
      ],
      [{ type: 'savings', product_id: 'sprod_sandbox_fd_3m' }, 422, 'validation_failed'],
      [{ type: 'savings', product_id: 'sprod_nosuchproduct' }, 422, 'validation_failed'],
      [{ type: 'wallet', amount: kes('1.00') }, 422, 'validation_failed'],
      [{ type: 'savings', at_maturity: 'roll_over' }, 422, 'validation_failed'],
      [{ type: 'savings', amount: kes('1.00'), funding_account_id: 'acc_nosuchaccount' }, 404, 'not_found'],
    ];
    for (const [body, status, code] of refusals) {
      const res = await open(body);
      expect([res.status, res.body.code], JSON.stringify(body)).toEqual([status, code]);
    }
    expect(await bank.db.prisma.account.count()).toBe(accountsBefore);
    expect(await balanceOf(customer.walletId)).toBe(walletBefore);
    // A movement needs a key.
    const keyless = await customer.http.post<{ errors: { path: string }[] }>(
      '/v1/accounts',
      { type: 'savings', currency: 'KES', amount: kes('1.00') },
      { key: false },
    );
    expect(keyless.status).toBe(422);
    expect(keyless.body.errors[0]?.path).toBe('headers.idempotency-key');
  });

  it('when the same opening is sent twice with one key, then one deposit opens and the wallet pays once', async () => {
    const walletBefore = await balanceOf(customer.walletId);
    const body = {
      type: 'fixed_deposit',
      product_id: 'sprod_sandbox_fd_12m',
      term_months: 12,
      amount: kes('2000.00'),
    };
    const [first, second] = await Promise.all([open(body, 'open-fd-once-1'), open(body, 'open-fd-once-1')]);
    expect(first.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(walletBefore - (await balanceOf(customer.walletId))).toBe(200_000n);
    expect(first.body).toMatchObject({ interest_rate: '0.11', term_months: 12, at_maturity: 'pay_out' });
  });

  it('when anyone tries to move money into or out of a fixed deposit outside opening, maturity and close, then it is refused and nothing moves', async () => {
    const deposit = await open({
      type: 'fixed_deposit',
      product_id: 'sprod_sandbox_fd_3m',
      term_months: 3,
      amount: kes('1000.00'),
    });
    const id = String(deposit.body.id);
    const into = await customer.http.post('/v1/transfers', {
      from_account_id: customer.walletId,
      to_account_id: id,
      amount: kes('1.00'),
    });
    const out = await customer.http.post('/v1/transfers', {
      from_account_id: id,
      to_account_id: customer.walletId,
      amount: kes('1.00'),
    });
    const withdrawal = await customer.http.post(`/v1/accounts/${id}/withdrawals-to-wallet`, {
      amount: kes('1.00'),
    });
    expect([into.status, out.status, withdrawal.status]).toEqual([409, 409, 409]);
    expect(await balanceOf(id)).toBe(100_000n);
  });

  it('when a savings account withdraws more than it holds, then nothing moves; within it, the wallet gets it at once', async () => {
    const savings = await open({ type: 'savings', amount: kes('300.00') });
    const id = String(savings.body.id);
    const tooMuch = await customer.http.post<{ code: string }>(`/v1/accounts/${id}/withdrawals-to-wallet`, {
      amount: kes('300.01'),
    });
    expect([tooMuch.status, tooMuch.body.code]).toEqual([422, 'insufficient_funds']);
    const walletBefore = await balanceOf(customer.walletId);
    const ok = await customer.http.post(`/v1/accounts/${id}/withdrawals-to-wallet`, {
      amount: kes('100.00'),
    });
    expect(ok.status).toBe(201);
    expect((await balanceOf(customer.walletId)) - walletBefore).toBe(10_000n);
    expect(await balanceOf(id)).toBe(20_000n);
  });

  it('when a savings account is closed mid-month, then the quote and the close agree, interest to yesterday is posted with its tax, and the wallet gets it all', async () => {
    const savings = await open({ type: 'savings', amount: kes('100000.00') });
    const id = String(savings.body.id);
    await admin.post('/v1/sandbox/clock/advance', { days: 10 });
    // 10 days of 100,000.00 at 8 %: 219.178… → 219.18 gross, 32.88 tax (32.877).
    const quote = await customer.http.get<Record<string, unknown>>(`/v1/accounts/${id}/close-quote`);
    expect(quote.body).toMatchObject({
      principal: kes('100000.00'),
      interest_accrued: kes('219.18'),
      interest_forfeited: kes('0.00'),
      tax: kes('32.88'),
      total: kes('100186.30'),
      paid_to_account_id: customer.walletId,
    });
    const walletBefore = await balanceOf(customer.walletId);
    const closed = await customer.http.post<Record<string, unknown>>(`/v1/accounts/${id}/close`, undefined);
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect({ ...closed.body, journal_entry_ids: undefined }).toEqual({
      ...quote.body,
      journal_entry_ids: undefined,
    });
    expect((await balanceOf(customer.walletId)) - walletBefore).toBe(10_018_630n);
    expect(await balanceOf(id)).toBe(0n);
    // Closed: no more interest, no more money in.
    await admin.post('/v1/sandbox/clock/advance', { days: 2 });
    expect(
      (await bank.db.prisma.savingsAccount.findUniqueOrThrow({ where: { accountId: id } })).accruedThrough,
    ).toBe(addDays(String(quote.body.close_date), -1));
    const into = await customer.http.post('/v1/transfers', {
      from_account_id: customer.walletId,
      to_account_id: id,
      amount: kes('1.00'),
    });
    expect(into.status).toBe(409);
  });

  it('when the daily close falls behind and money moves meanwhile, then the catch-up accrues each missed day on its own end-of-day balance', async () => {
    const savings = await open({ type: 'savings', amount: kes('36500.00') });
    const id = String(savings.body.id);
    const opened = bank.services.bankClock.today();
    // Five bank days pass without a close; on the fifth, 36,500 more comes in.
    await bank.services.bankClock.advance(5);
    await customer.http.post('/v1/transfers', {
      from_account_id: customer.walletId,
      to_account_id: id,
      amount: kes('36500.00'),
    });
    await bank.services.dailyClose.closeThrough(addDays(bank.services.bankClock.today(), -1));
    // Days opened..opened+4 at 36,500.00: 5 × 3,650,000 × 0.08 = 1,460,000 (× 365); the deposit is dated the sixth day.
    const state = await bank.db.prisma.savingsAccount.findUniqueOrThrow({ where: { accountId: id } });
    expect(state.accruedThrough).toBe(addDays(opened, 4));
    // A month end inside the gap posts what accrued up to it; either way the total is exact.
    const posted = await bank.db.prisma.$queryRawUnsafe<{ total: unknown }[]>(
      "SELECT COALESCE(SUM(p.amount_minor), 0) AS total FROM postings p JOIN journal_entries e ON e.id = p.entry_id WHERE p.account_id = ? AND e.kind = 'interest_posting'",
      id,
    );
    const exactTimes365 = 1_460_000n;
    expect(BigInt(String(posted[0]?.total)) * 365n + BigInt(state.accruedTimes365)).toBe(exactTimes365);
    // Running the same days again changes nothing.
    await bank.db.sql.$executeRawUnsafe("DELETE FROM job_runs WHERE job LIKE 'savings.%'");
    const before = JSON.stringify(
      await bank.db.prisma.savingsAccount.findMany({ orderBy: { accountId: 'asc' } }),
    );
    await bank.db.sql.$executeRawUnsafe('DELETE FROM bank_days WHERE bank_date >= ?', opened);
    await bank.services.dailyClose.closeThrough(addDays(bank.services.bankClock.today(), -1));
    expect(
      JSON.stringify(await bank.db.prisma.savingsAccount.findMany({ orderBy: { accountId: 'asc' } })),
    ).toBe(before);
  });

  it('when a banker reads a statement, then it is audited; a customer’s own read is not; a foreign one is 404', async () => {
    const path = `/v1/accounts/${customer.walletId}/statement`;
    const before = await bank.db.prisma.auditEvent.count({ where: { action: 'statement.read' } });
    expect((await customer.http.get(path)).status).toBe(200);
    expect(await bank.db.prisma.auditEvent.count({ where: { action: 'statement.read' } })).toBe(before);
    expect((await banker.get(path)).status).toBe(200);
    const audit = await bank.db.prisma.auditEvent.findFirst({
      where: { action: 'statement.read' },
      orderBy: { id: 'desc' },
    });
    expect(audit).toMatchObject({ actorRole: 'banker', subjectId: customer.walletId });
    const other = await newCustomer(bank);
    expect((await other.http.get(path)).status).toBe(404);
    expect(
      (await customer.http.get(`${path}?to=${addDays(bank.services.bankClock.today(), 1)}`)).status,
    ).toBe(422);
    expect((await customer.http.get(`${path}?from=2026-02-30`)).status).toBe(422);
    expect((await customer.http.get(`${path}?format=docx`)).status).toBe(422);
  });

  it('when postings arrive while a statement is being read, then it still adds up: it covers the postings there were when it began', async () => {
    const today = bank.services.bankClock.today();
    const account = await bank.db.prisma.account.findUniqueOrThrow({ where: { id: customer.walletId } });
    const { header, lines } = await bank.services.statements.open(
      { id: customer.id, role: 'customer' },
      customer.walletId,
      { from: addDays(today, -30), to: today, format: 'json' },
    );
    expect(header.closingBalance).toBe(account.balanceMinor);
    await fund(admin, customer.walletId, '123.45');
    const seen = [];
    for await (const line of checkedLines(header, lines)) seen.push(line);
    expect(seen).toHaveLength(header.lineCount as number);
    expect(seen.at(-1)?.balance).toBe(account.balanceMinor);
  });

  it('when a statement runs over many pages, then every line comes once, in (date, posting) order, whatever the page size', async () => {
    const read = async (pageSize: number) => {
      const service = new StatementService(
        bank.db,
        bank.services.accounts,
        bank.services.audit,
        bank.services.bankClock,
        systemClock,
        { name: 'Test' },
        pageSize,
      );
      const { header, lines } = await service.open({ id: customer.id, role: 'customer' }, customer.walletId, {
        from: '2025-06-01',
        to: bank.services.bankClock.today(),
        format: 'json',
      });
      const out = [];
      for await (const line of checkedLines(header, lines))
        out.push(`${line.date} ${line.entryId} ${line.balance}`);
      return out;
    };
    const whole = await read(10_000);
    expect(whole.length).toBeGreaterThanOrEqual(10);
    for (const size of [1, 2, 3, 7]) expect(await read(size)).toEqual(whole);
  });

  it('when a catch-up writes postings dated before postings already written, then the statement orders lines by date and its balances follow that order', async () => {
    const savings = await open({ type: 'savings', amount: kes('1000.00') });
    const id = String(savings.body.id);
    // Leave the close behind across a month end, then move money on the new day.
    const today = bank.services.bankClock.today();
    await bank.services.bankClock.advance(daysBetween(today, lastDayOfMonth(today)) + 2);
    const moved = await customer.http.post(`/v1/accounts/${id}/withdrawals-to-wallet`, {
      amount: kes('10.00'),
    });
    expect(moved.status).toBe(201);
    await bank.services.dailyClose.closeThrough(addDays(bank.services.bankClock.today(), -1));
    const rows = await bank.db.prisma.posting.findMany({
      where: { accountId: id },
      orderBy: { accountSeq: 'asc' },
      include: { entry: { select: { effectiveDate: true, kind: true } } },
    });
    const interest = rows.find((r) => r.entry.kind === 'interest_posting');
    const withdrawal = rows.find((r) => r.entry.kind === 'savings_withdrawal');
    expect(interest && withdrawal).toBeTruthy();
    // Written after the withdrawal, dated before it.
    expect(interest!.accountSeq > withdrawal!.accountSeq).toBe(true);
    expect(interest!.entry.effectiveDate < withdrawal!.entry.effectiveDate).toBe(true);
    const statement = await customer.http.get<{
      opening_balance: Money;
      closing_balance: Money;
      lines: { date: string; amount: Money; balance: Money }[];
    }>(`/v1/accounts/${id}/statement?from=${today}&to=${bank.services.bankClock.today()}`);
    const dates = statement.body.lines.map((l) => l.date);
    expect(dates).toEqual([...dates].sort());
    expect(statement.body.lines.map((l) => l.amount.amount).at(-1)).toBe('-10.00');
    let running = Math.round(Number(statement.body.opening_balance.amount) * 100);
    for (const line of statement.body.lines) {
      running += Math.round(Number(line.amount.amount) * 100);
      expect(Math.round(Number(line.balance.amount) * 100)).toBe(running);
    }
    expect(Math.round(Number(statement.body.closing_balance.amount) * 100)).toBe(running);
    expect(statement.body.closing_balance.amount).toBe((Number(await balanceOf(id)) / 100).toFixed(2));
    expect((await reconcile(bank.db.prisma)).ok).toBe(true);
  });

  it('when the daily close has not yet posted a month end before yesterday, then a savings close waits for it', async () => {
    const savings = await open({ type: 'savings', amount: kes('1000.00') });
    const id = String(savings.body.id);
    const opened = bank.services.bankClock.today();
    await bank.services.bankClock.advance(daysBetween(opened, lastDayOfMonth(opened)) + 2);
    const early = await customer.http.get<{ code: string }>(`/v1/accounts/${id}/close-quote`);
    expect([early.status, early.body.code]).toEqual([409, 'conflict']);
    expect((await customer.http.post(`/v1/accounts/${id}/close`, undefined)).status).toBe(409);
    await bank.services.dailyClose.closeThrough(addDays(bank.services.bankClock.today(), -1));
    const quote = await customer.http.get<Record<string, unknown>>(`/v1/accounts/${id}/close-quote`);
    expect(quote.status).toBe(200);
    const closed = await customer.http.post<Record<string, unknown>>(`/v1/accounts/${id}/close`, undefined);
    expect(closed.body.total).toEqual(quote.body.total);
  });

  it('when an admin changes the savings rate, then each day accrues at its own rate; a retired product opens nothing new', async () => {
    const savings = await open({ type: 'savings', amount: kes('36500.00') });
    const id = String(savings.body.id);
    const opened = bank.services.bankClock.today();
    expect(lastDayOfMonth(opened) >= addDays(opened, 4)).toBe(true); // no month end in the five days
    await admin.post('/v1/sandbox/clock/advance', { days: 2 });
    const change = (body: Record<string, unknown>) =>
      admin.request('PUT', '/v1/savings-products/sprod_sandbox_savings', { body });
    const raised = await change({ annual_rate: '0.10', status: 'active', reason: 'rate review' });
    expect(raised.status, JSON.stringify(raised.body)).toBe(200);
    await admin.post('/v1/sandbox/clock/advance', { days: 3 });
    // 3,650,000 cents × (2 days × 0.08 + 3 days × 0.10).
    const state = await bank.db.prisma.savingsAccount.findUniqueOrThrow({ where: { accountId: id } });
    expect(state).toMatchObject({ accruedThrough: addDays(opened, 4), accruedTimes365: '1679000' });
    expect((await customer.http.get(`/v1/accounts/${id}`)).body).toMatchObject({ interest_rate: '0.10' });
    const audit = await bank.db.prisma.auditEvent.findFirst({
      where: { action: 'savings_product.updated', subjectId: 'sprod_sandbox_savings' },
    });
    expect(audit?.reason).toBe('rate review');
    expect(JSON.parse(audit?.beforeState ?? '{}')).toEqual({ annual_rate: '0.08', status: 'active' });

    expect(
      (await change({ annual_rate: '0.10', status: 'retired', reason: 'closed to new savers' })).status,
    ).toBe(200);
    expect((await open({ type: 'savings', product_id: 'sprod_sandbox_savings' })).status).toBe(409);
    // Without a product named, the oldest active savings product is the default: no longer this one.
    const fallback = await open({ type: 'savings', amount: kes('500.00') });
    expect(fallback.status).toBe(201);
    expect(fallback.body.product_id).not.toBe('sprod_sandbox_savings');
    expect((await change({ annual_rate: '0.08', status: 'active', reason: 'reopened' })).status).toBe(200);
  });
});
