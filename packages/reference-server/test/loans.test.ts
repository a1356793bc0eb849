/**
 * Borrow end to end over HTTP (issue 10, "Proof"): apply → decide → accept → advance the clock →
 * repay on time → miss one → arrears and penalty → pay off → closed; a loan written off
 * automatically and then recovered; banker overrides with maker-checker; thin files and the
 * bureau's answers; quotes, products and the portfolio. On SQLite and MySQL/MariaDB.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../src/bank-calendar.ts';
import { reconcile } from '../src/modules/ledger/reconcile.ts';
import { buildSchedule } from '../src/modules/loans/schedule.ts';
import { startTestBank, type TestBank, testDialects } from '../src/testing/index.ts';
import { fund, type Http, login, newCustomer } from './support/http.ts';

type Money = { amount: string; currency: string };
type Loan = {
  id: string;
  loan_number: string;
  status: string;
  label: string;
  outstanding: Record<'principal' | 'interest' | 'fees' | 'penalties' | 'total', Money>;
  days_past_due: number;
  arrears_bucket: string;
  written_off: Money;
  recovered: Money;
  schedule: {
    n: number;
    due_date: string;
    total: Money;
    due: Money;
    state: string;
    principal: Money;
    interest: Money;
  }[];
  status_history: { status: string; label: string; bank_date: string }[];
};
type Application = {
  id: string;
  status: string;
  decision: string;
  score: number;
  pd: string;
  reasons: { code: string }[];
  offer: { amount: Money; schedule: { total: Money }[]; expires_on: string } | null;
  override: { decision: string; by: string; approved_by: string | null } | null;
  loan_id: string | null;
};

const kes = (amount: string) => ({ amount, currency: 'KES' });
const cents = (m: Money) => BigInt(m.amount.replace('.', ''));
let ids = 0;
/** A national ID the sandbox bureau answers as `last` says (9 negative, 8 timeout, 7 thin file, else clean). */
const nationalId = (last: string) =>
  `3${String(Date.now() % 1_000_000).padStart(6, '0')}${(ids++ % 90) + 10}${last}`;

describe.each(testDialects())('Borrow end to end on %s', (dialect) => {
  let bank: TestBank;
  let admin: Http;
  let banker: Http;
  let banker2: Http;
  let borrower: Awaited<ReturnType<typeof newCustomer>>;
  /** Two more customers with the same history: one for each write-off (a write-off spoils a record). */
  let borrower2: Awaited<ReturnType<typeof newCustomer>>;
  let borrower3: Awaited<ReturnType<typeof newCustomer>>;

  const today = () => bank.services.bankClock.today();
  const advance = async (days: number) => {
    if (days <= 0) return;
    const res = await admin.post('/v1/sandbox/clock/advance', { days });
    expect(res.status).toBe(200);
  };
  const wallet = async (c: { http: Http; walletId: string }) =>
    cents(
      (await c.http.get<{ balance: { ledger: Money } }>(`/v1/accounts/${c.walletId}`)).body.balance.ledger,
    );
  const glBalance = async (code: string) =>
    (await bank.db.prisma.account.findUniqueOrThrow({ where: { id: `acc_bank_${code}_kes` } })).balanceMinor;

  beforeAll(async () => {
    bank = await startTestBank(dialect);
    admin = await login(bank, 'admin@sandbox.test');
    banker = await login(bank, 'banker@sandbox.test');
    banker2 = await login(bank, 'banker2@sandbox.test');
    // Four months of salary in and spending out: a history the behavioural model can score.
    borrower = await newCustomer(bank, { nationalId: nationalId('3') });
    borrower2 = await newCustomer(bank, { nationalId: nationalId('5') });
    borrower3 = await newCustomer(bank, { nationalId: nationalId('6') });
    const payee = await newCustomer(bank);
    for (let month = 0; month < 4; month++) {
      for (const c of [borrower, borrower2, borrower3]) {
        await fund(admin, c.walletId, '30000.00');
        await c.http.post('/v1/transfers', {
          from_account_id: c.walletId,
          to_account_id: payee.walletId,
          amount: kes('9000.00'),
        });
      }
      await advance(30);
    }
  }, 120_000);
  afterAll(async () => {
    await bank?.stop();
  });

  it('when anyone signed in lists loan products, then the three sandbox KES products are offered; without a token, 401', async () => {
    const list = await borrower.http.get<{
      data: { id: string; currency: string; interest_method: string }[];
    }>('/v1/loan-products');
    expect(list.status).toBe(200);
    const seeded = list.body.data.filter((p) => p.id.startsWith('lprod_sandbox_'));
    expect(seeded.map((p) => p.id).sort()).toEqual([
      'lprod_sandbox_digital',
      'lprod_sandbox_flat',
      'lprod_sandbox_personal',
    ]);
    expect(seeded.every((p) => p.currency === 'KES')).toBe(true);
    expect((await banker.get('/v1/loan-products')).status).toBe(200);
    expect(
      (await new (borrower.http.constructor as typeof Http)(bank.url).get('/v1/loan-products')).status,
    ).toBe(401);
  });

  it('when an admin adds a product, then it is listed and audited; a customer may not, and a nonsense rate is refused', async () => {
    const body = {
      name: 'Test product',
      currency: 'KES',
      interest_method: 'declining_balance',
      amortization: 'equal_principal',
      annual_rate: '0.2',
      min_amount: kes('100.00'),
      max_amount: kes('10000.00'),
      min_term_months: 1,
      max_term_months: 6,
      processing_fee_rate: '0.01',
      penalty_rate: '0.1',
      grace_days: 0,
      write_off_days: 10,
    };
    const created = await admin.post<{ id: string; amortization: string }>('/v1/loan-products', body);
    expect(created.status).toBe(201);
    expect(created.body.amortization).toBe('equal_principal');
    const audit = await bank.db.prisma.auditEvent.findFirst({
      where: { action: 'loan_product.created', subjectId: created.body.id },
    });
    expect(audit?.actorRole).toBe('admin');
    expect((await borrower.http.post('/v1/loan-products', body)).status).toBe(403);
    const bad = await admin.post('/v1/loan-products', { ...body, processing_fee_rate: '1.5' });
    expect(bad.status).toBe(422);
    expect((await admin.post('/v1/loan-products', { ...body, interest_method: 'flat' })).status).toBe(422);
  });

  it('when a quote is asked, then it is exactly the schedule the calculators give for a loan disbursed today, and nothing is stored', async () => {
    const before = await bank.db.prisma.journalEntry.count();
    const quote = await borrower.http.post<{
      fee: Money;
      net_disbursed: Money;
      total_interest: Money;
      total_cost_of_credit: Money;
      apr: string;
      disbursement_date: string;
      schedule: { n: number; due_date: string; principal: Money; interest: Money; total: Money }[];
    }>('/v1/loan-quotes', {
      product_id: 'lprod_sandbox_personal',
      amount: kes('100000.00'),
      term_months: 12,
    });
    expect(quote.status).toBe(200);
    const expected = buildSchedule({
      currency: 'KES',
      principal: 10_000_000n,
      termMonths: 12,
      annualRate: '0.16',
      interestMethod: 'declining_balance',
      amortization: 'equal_instalments',
      processingFeeRate: '0.02',
      disbursementDate: today(),
    });
    expect(quote.body.disbursement_date).toBe(today());
    expect(cents(quote.body.fee)).toBe(expected.processingFee);
    expect(cents(quote.body.net_disbursed)).toBe(expected.netDisbursed);
    expect(cents(quote.body.total_interest)).toBe(expected.totalInterest);
    expect(cents(quote.body.total_cost_of_credit)).toBe(expected.totalCostOfCredit);
    expect(quote.body.apr).toBe(expected.apr);
    expect(quote.body.schedule.map((i) => [i.due_date, cents(i.principal), cents(i.interest)])).toEqual(
      expected.instalments.map((i) => [i.dueDate, i.principal, i.interest]),
    );
    expect(await bank.db.prisma.journalEntry.count()).toBe(before);
    // Terms outside the product are bad input, never a 500.
    const outside = await borrower.http.post<{ code: string; errors: { path: string }[] }>(
      '/v1/loan-quotes',
      {
        product_id: 'lprod_sandbox_personal',
        amount: kes('100.00'),
        term_months: 3,
      },
    );
    expect(outside.status).toBe(422);
    expect(outside.body.errors.map((e) => e.path).sort()).toEqual(['body.amount', 'body.term_months']);
  });

  it('when a customer with months of history asks for a limit, then the engine scores now and the scoring is kept with its features, bureau answer and shadow challenger', async () => {
    const limit = await borrower.http.get<{
      decision_id: string;
      decision: string;
      score: number;
      pd: string;
      limit: Money;
      thin_file: boolean;
      model_version: string;
    }>('/v1/credit-limit');
    expect(limit.status).toBe(200);
    expect(limit.body.thin_file).toBe(false);
    expect(limit.body.decision).toBe('approved');
    expect(cents(limit.body.limit)).toBeGreaterThan(1_000_000n);
    expect(limit.body.score).toBeGreaterThan(0);
    expect(Number(limit.body.pd)).toBeGreaterThan(0);
    const stored = await bank.db.prisma.creditDecision.findUniqueOrThrow({
      where: { id: limit.body.decision_id },
    });
    expect(stored.kind).toBe('credit_limit');
    expect(stored.modelVersion).toBe(limit.body.model_version);
    expect(JSON.parse(stored.features).values.tenureMonths).toBeGreaterThan(3);
    expect(JSON.parse(stored.bureau).status).toBe('clean');
    expect(JSON.parse(stored.shadow)[0].name).toBe('behavioural-woe');
    expect(stored.bureau).not.toContain(
      String((await bank.db.prisma.user.findUniqueOrThrow({ where: { id: borrower.id } })).nationalId),
    );
  });

  it('when a new customer has no history, then a thin file gets the starter limit (never a 500); a negative bureau listing declines; a silent bureau refers', async () => {
    const fresh = await newCustomer(bank, { nationalId: nationalId('4') });
    const thin = await fresh.http.get<{
      decision: string;
      limit: Money;
      thin_file: boolean;
      reasons: { code: string }[];
    }>('/v1/credit-limit');
    expect(thin.status).toBe(200);
    expect(thin.body).toMatchObject({ decision: 'approved', thin_file: true, limit: kes('1000.00') });
    expect(thin.body.reasons.map((r) => r.code)).toContain('THIN_FILE');
    const listed = await newCustomer(bank, { nationalId: nationalId('9') });
    const declined = await listed.http.post<Application>('/v1/loan-applications', {
      product_id: 'lprod_sandbox_digital',
      amount: kes('1000.00'),
      term_months: 1,
    });
    expect(declined.status).toBe(201);
    expect(declined.body.status).toBe('declined');
    expect(declined.body.offer).toBeNull();
    expect(declined.body.reasons.map((r) => r.code)).toContain('BUREAU_NEGATIVE_LISTING');
    const noId = await newCustomer(bank); // tier 0: no national ID to ask the bureau with
    expect((await noId.http.get<{ decision: string }>('/v1/credit-limit')).body.decision).toBe('referred');
  });

  let loanId: string;
  let loan: Loan;

  it('when the customer applies, accepts and repays the first instalment on its due date, then one entry disburses the loan and the instalment is paid', async () => {
    const applied = await borrower.http.post<Application>('/v1/loan-applications', {
      product_id: 'lprod_sandbox_digital',
      amount: kes('10000.00'),
      term_months: 3,
      purpose: 'stock for the shop',
    });
    expect(applied.status).toBe(201);
    expect(applied.body).toMatchObject({ status: 'approved', decision: 'approved' });
    expect(applied.body.offer?.schedule).toHaveLength(3);
    const event = await bank.db.prisma.event.findFirst({
      where: { type: 'loan.application_decided', customerId: borrower.id },
    });
    expect(event).not.toBeNull();

    const walletBefore = await wallet(borrower);
    const principalBefore = await glBalance('loan_principal_receivable');
    const feesBefore = await glBalance('fee_income');
    const key = randomUUID();
    const accepted = await borrower.http.post<Loan>(
      `/v1/loan-applications/${applied.body.id}/accept`,
      {},
      { key },
    );
    expect(accepted.status).toBe(201);
    loan = accepted.body;
    loanId = loan.id;
    expect(loan).toMatchObject({ status: 'active', label: 'Credited' });
    expect(loan.loan_number).toMatch(/^[0-9]{11}$/);
    expect(loan.status_history.map((h) => h.status)).toEqual(['pending_disbursement', 'disbursed', 'active']);
    expect(loan.status_history.map((h) => h.label)).toEqual(['WIP', 'Disbursed', 'Credited']);
    expect(await wallet(borrower)).toBe(walletBefore + 970_000n);
    expect(await glBalance('loan_principal_receivable')).toBe(principalBefore + 1_000_000n);
    expect(await glBalance('fee_income')).toBe(feesBefore + 30_000n);
    const entry = await bank.db.prisma.journalEntry.findFirstOrThrow({
      where: { kind: 'loan_disbursement' },
      orderBy: { createdAt: 'desc' },
      include: { postings: true },
    });
    expect(entry.postings).toHaveLength(3);
    // Replaying the key answers the same loan; another accept is a conflict, nothing disbursed twice.
    const replay = await borrower.http.post<Loan>(
      `/v1/loan-applications/${applied.body.id}/accept`,
      {},
      { key },
    );
    expect(replay.body.id).toBe(loanId);
    expect((await borrower.http.post(`/v1/loan-applications/${applied.body.id}/accept`, {})).status).toBe(
      409,
    );
    expect(await bank.db.prisma.loan.count({ where: { applicationId: applied.body.id } })).toBe(1);

    const first = loan.schedule[0]!;
    await advance(daysBetween(today(), first.due_date));
    const paid = await borrower.http.post<{ principal: Money; interest: Money; loan: Loan }>(
      `/v1/loans/${loanId}/repayments`,
      { amount: first.total, from_account_id: borrower.walletId },
    );
    expect(paid.status).toBe(201);
    expect(paid.body.principal).toEqual(first.principal);
    expect(paid.body.interest).toEqual(first.interest);
    expect(paid.body.loan.schedule[0]!.state).toBe('paid');
    expect(paid.body.loan.status).toBe('active');
  });

  it('when the second instalment is missed, then the loan falls in arrears with penalties after the grace days, and the portfolio shows it', async () => {
    const second = loan.schedule[1]!;
    await advance(daysBetween(today(), addDays(second.due_date, 10)));
    const late = await borrower.http.get<Loan>(`/v1/loans/${loanId}`);
    expect(late.body).toMatchObject({ status: 'in_arrears', label: 'In arrears', arrears_bucket: '1-30' });
    expect(late.body.days_past_due).toBe(10);
    expect(late.body.schedule[1]!.state).toBe('overdue');
    // Grace 3 days: penalties from the 4th day after the due date.
    expect(cents(late.body.outstanding.penalties)).toBeGreaterThan(0n);
    const penaltyDays = await bank.db.prisma.loanPosting.groupBy({
      by: ['effectiveDate'],
      where: { loanId, component: 'penalties' },
    });
    expect(penaltyDays).toHaveLength(6); // due + 4 … due + 9 are closed
    expect(
      await bank.db.prisma.event.count({ where: { type: 'loan.in_arrears', customerId: borrower.id } }),
    ).toBe(1);
    const portfolio = await admin.get<{ loans_by_bucket: Record<string, { loans: number }>; par30: string }>(
      '/v1/risk/portfolio',
    );
    expect(portfolio.status).toBe(200);
    expect(portfolio.body.loans_by_bucket['1-30']!.loans).toBeGreaterThanOrEqual(1);
    expect(portfolio.body.par30).toMatch(/^[0-9]\.[0-9]{4}$/);
    expect((await banker.get('/v1/risk/portfolio')).status).toBe(403);
  });

  it('when the customer pays more than the payoff, then it is refused whole; the payoff itself closes the loan', async () => {
    const payoff = await borrower.http.get<{ total: Money; principal: Money; date: string }>(
      `/v1/loans/${loanId}/payoff`,
    );
    expect(payoff.status).toBe(200);
    expect(payoff.body.date).toBe(today());
    const before = await wallet(borrower);
    const over = await borrower.http.post<{ code: string }>(`/v1/loans/${loanId}/repayments`, {
      amount: { amount: ((Number(cents(payoff.body.total)) + 1) / 100).toFixed(2), currency: 'KES' },
      from_account_id: borrower.walletId,
    });
    expect(over.status).toBe(422);
    expect(over.body.code).toBe('exceeds_payoff');
    expect(await wallet(borrower)).toBe(before);
    // A future date's payoff adds the interest (and penalties) still to come.
    const later = await borrower.http.get<{ total: Money }>(
      `/v1/loans/${loanId}/payoff?date=${addDays(today(), 5)}`,
    );
    expect(cents(later.body.total)).toBeGreaterThan(cents(payoff.body.total));
    expect((await borrower.http.get(`/v1/loans/${loanId}/payoff?date=${addDays(today(), -1)}`)).status).toBe(
      422,
    );

    const closed = await borrower.http.post<{ loan: Loan }>(`/v1/loans/${loanId}/repayments`, {
      amount: payoff.body.total,
      from_account_id: borrower.walletId,
    });
    expect(closed.status).toBe(201);
    expect(closed.body.loan).toMatchObject({ status: 'closed', label: 'Closed' });
    for (const value of Object.values(closed.body.loan.outstanding)) expect(cents(value)).toBe(0n);
    expect(closed.body.loan.status_history.map((h) => h.status)).toEqual([
      'pending_disbursement',
      'disbursed',
      'active',
      'in_arrears',
      'closed',
    ]);
    expect(await wallet(borrower)).toBe(before - cents(payoff.body.total));
    expect(
      await bank.db.prisma.event.count({ where: { type: 'loan.closed', customerId: borrower.id } }),
    ).toBe(1);
    expect((await reconcile(bank.db.prisma)).ok).toBe(true);
    expect(
      (
        await borrower.http.post(`/v1/loans/${loanId}/repayments`, {
          amount: kes('1.00'),
          from_account_id: borrower.walletId,
        })
      ).status,
    ).toBe(409);
  });

  it('when the same repayment is sent twice at once with one key, then it is applied once; different keys each apply', async () => {
    await fund(admin, borrower.walletId, '30000.00'); // the salary keeps coming
    const applied = await borrower.http.post<Application>('/v1/loan-applications', {
      product_id: 'lprod_sandbox_digital',
      amount: kes('3000.00'),
      term_months: 3,
    });
    const accepted = await borrower.http.post<Loan>(`/v1/loan-applications/${applied.body.id}/accept`, {});
    const id = accepted.body.id;
    const key = randomUUID();
    const body = { amount: kes('500.00'), from_account_id: borrower.walletId };
    const [a, b] = await Promise.all([
      borrower.http.post<{ id: string }>(`/v1/loans/${id}/repayments`, body, { key }),
      borrower.http.post<{ id: string }>(`/v1/loans/${id}/repayments`, body, { key }),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses[0]).toBe(201);
    expect([201, 409]).toContain(statuses[1]);
    expect(await bank.db.prisma.loanRepayment.count({ where: { loanId: id } })).toBe(1);
    await Promise.all([
      borrower.http.post(`/v1/loans/${id}/repayments`, body),
      borrower.http.post(`/v1/loans/${id}/repayments`, body),
    ]);
    expect(await bank.db.prisma.loanRepayment.count({ where: { loanId: id } })).toBe(3);
    expect((await reconcile(bank.db.prisma)).ok).toBe(true);
  });

  it('when the paybill number is paid (the M-Pesa path), then the loan takes its payoff and the rest goes to the wallet, once per receipt', async () => {
    await fund(admin, borrower.walletId, '30000.00'); // the salary keeps coming
    const applied = await borrower.http.post<Application>('/v1/loan-applications', {
      product_id: 'lprod_sandbox_digital',
      amount: kes('1000.00'),
      term_months: 1,
    });
    const accepted = await borrower.http.post<Loan>(`/v1/loan-applications/${applied.body.id}/accept`, {});
    const payoff = cents(
      (await borrower.http.get<{ total: Money }>(`/v1/loans/${accepted.body.id}/payoff`)).body.total,
    );
    const before = await wallet(borrower);
    const s = bank.services;
    const settlement = s.ledger.bankAccount('settlement_mpesa', 'KES');
    const pay = () =>
      bank.db.sqlTransaction((tx) =>
        s.loans.repayByLoanNumber(tx, accepted.body.loan_number, payoff + 5_000n, {
          accountId: settlement,
          channel: 'mpesa',
          externalRef: `QK${randomUUID().slice(0, 8)}`.toUpperCase(),
        }),
      );
    const ref = `RX${Date.now()}`;
    const once = () =>
      bank.db.sqlTransaction((tx) =>
        s.loans.repayByLoanNumber(tx, accepted.body.loan_number, payoff + 5_000n, {
          accountId: settlement,
          channel: 'mpesa',
          externalRef: ref,
        }),
      );
    const first = await once();
    expect(first?.loan.status).toBe('closed');
    expect(first?.repayment.excessMinor).toBe(5_000n);
    const again = await once();
    expect(again?.repayment.id).toBe(first?.repayment.id);
    expect(await wallet(borrower)).toBe(before + 5_000n);
    // A closed loan passes all of it on to the wallet; an unknown number is the rail's to suspend.
    expect((await pay())?.repayment.excessMinor).toBe(payoff + 5_000n);
    const unknown = await bank.db.sqlTransaction((tx) =>
      s.loans.repayByLoanNumber(tx, '99999999999', 100n, {
        accountId: settlement,
        channel: 'mpesa',
        externalRef: 'X1',
      }),
    );
    expect(unknown).toBeNull();
    expect((await reconcile(bank.db.prisma)).ok).toBe(true);
  });

  it('when a loan is never repaid, then it is written off automatically at write_off_days, and money paid later is recovery income', async () => {
    const product = await admin.post<{ id: string }>('/v1/loan-products', {
      name: 'Quick write-off',
      currency: 'KES',
      interest_method: 'flat',
      annual_rate: '0.3',
      min_amount: kes('100.00'),
      max_amount: kes('10000.00'),
      min_term_months: 1,
      max_term_months: 2,
      processing_fee_rate: '0.02',
      penalty_rate: '0.2',
      grace_days: 0,
      write_off_days: 10,
    });
    await fund(admin, borrower3.walletId, '30000.00'); // the salary keeps coming
    const applied = await borrower3.http.post<Application>('/v1/loan-applications', {
      product_id: product.body.id,
      amount: kes('5000.00'),
      term_months: 1,
    });
    expect(applied.body.status, JSON.stringify(applied.body)).toBe('approved');
    const accepted = await borrower3.http.post<Loan>(`/v1/loan-applications/${applied.body.id}/accept`, {});
    const due = accepted.body.schedule[0]!.due_date;
    const lossBefore = await glBalance('loan_loss_expense');
    await advance(daysBetween(today(), addDays(due, 11)));
    const gone = await borrower3.http.get<Loan>(`/v1/loans/${accepted.body.id}`);
    expect(gone.body).toMatchObject({ status: 'written_off', label: 'Written off' });
    for (const value of Object.values(gone.body.outstanding)) expect(cents(value)).toBe(0n);
    const written = cents(gone.body.written_off);
    expect(written).toBeGreaterThan(500_000n);
    expect(await glBalance('loan_loss_expense')).toBe(lossBefore + written);
    const audit = await bank.db.prisma.auditEvent.findFirst({
      where: { action: 'loan.written_off', subjectId: accepted.body.id },
    });
    expect(audit).toMatchObject({ actorId: 'system' });
    expect(audit?.reason).toContain('10 days past due');

    const recoveryBefore = await glBalance('recovery_income');
    const recovered = await borrower3.http.post<{ kind: string; loan: Loan }>(
      `/v1/loans/${accepted.body.id}/repayments`,
      {
        amount: kes('100.00'),
        from_account_id: borrower3.walletId,
      },
    );
    expect(recovered.status).toBe(201);
    expect(recovered.body.kind).toBe('recovery');
    expect(recovered.body.loan.recovered).toEqual(kes('100.00'));
    expect(await glBalance('recovery_income')).toBe(recoveryBefore + 10_000n);
    const tooMuch = await borrower3.http.post<{ code: string }>(`/v1/loans/${accepted.body.id}/repayments`, {
      amount: { amount: (Number(written) / 100).toFixed(2), currency: 'KES' },
      from_account_id: borrower3.walletId,
    });
    expect(tooMuch.body.code).toBe('exceeds_payoff');
    expect((await reconcile(bank.db.prisma)).ok).toBe(true);
  });

  it('when an admin writes a loan off by hand, then a reason is required, it is audited, and a banker may not', async () => {
    await fund(admin, borrower2.walletId, '30000.00'); // the salary keeps coming
    const applied = await borrower2.http.post<Application>('/v1/loan-applications', {
      product_id: 'lprod_sandbox_digital',
      amount: kes('2000.00'),
      term_months: 2,
    });
    const accepted = await borrower2.http.post<Loan>(`/v1/loan-applications/${applied.body.id}/accept`, {});
    await advance(3);
    expect(
      (await banker.post(`/v1/loans/${accepted.body.id}/write-off`, { reason: 'gone abroad' })).status,
    ).toBe(403);
    expect((await admin.post(`/v1/loans/${accepted.body.id}/write-off`, {})).status).toBe(422);
    const off = await admin.post<Loan>(`/v1/loans/${accepted.body.id}/write-off`, {
      reason: 'customer deceased',
    });
    expect(off.status).toBe(200);
    expect(off.body.status).toBe('written_off');
    // Three days of interest were accrued, booked and now written off with the principal.
    expect(cents(off.body.written_off)).toBeGreaterThan(200_000n);
    const audit = await bank.db.prisma.auditEvent.findFirst({
      where: { action: 'loan.written_off', subjectId: accepted.body.id },
    });
    expect(audit?.reason).toBe('customer deceased');
    expect((await admin.post(`/v1/loans/${accepted.body.id}/write-off`, { reason: 'again' })).status).toBe(
      409,
    );
  });

  it('when a banker approves a referred application above the threshold, then a second banker must approve it (never the maker), and the engine decision stays on record', async () => {
    const silent = await newCustomer(bank, { nationalId: nationalId('8') }); // the bureau never answers
    const applied = await silent.http.post<Application>('/v1/loan-applications', {
      product_id: 'lprod_sandbox_personal',
      amount: kes('60000.00'),
      term_months: 12,
    });
    expect(applied.status).toBe(201);
    expect(applied.body.status).toBe('referred');
    expect(applied.body.reasons.map((r) => r.code)).toContain('BUREAU_AVAILABLE');
    expect((await silent.http.post(`/v1/loan-applications/${applied.body.id}/accept`, {})).status).toBe(409);
    // Customers and admins do not override; a reason is required.
    expect(
      (
        await silent.http.post(`/v1/loan-applications/${applied.body.id}/override`, {
          decision: 'approve',
          reason: 'me',
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await admin.post(`/v1/loan-applications/${applied.body.id}/override`, {
          decision: 'approve',
          reason: 'known customer',
        })
      ).status,
    ).toBe(403);
    expect(
      (await banker.post(`/v1/loan-applications/${applied.body.id}/override`, { decision: 'approve' }))
        .status,
    ).toBe(422);

    const asked = await banker.post<{ id: string; status: string; kind: string; maker_id: string }>(
      `/v1/loan-applications/${applied.body.id}/override`,
      { decision: 'approve', reason: 'payslips seen in branch' },
    );
    expect(asked.status).toBe(202);
    expect(asked.body).toMatchObject({ status: 'pending', kind: 'loan_override' });
    expect((await silent.http.get<Application>(`/v1/loan-applications/${applied.body.id}`)).body.status).toBe(
      'pending_approval',
    );
    // A second request for the same application waits on the first.
    expect(
      (
        await banker.post(`/v1/loan-applications/${applied.body.id}/override`, {
          decision: 'approve',
          reason: 'again please',
        })
      ).status,
    ).toBe(409);
    const pending = await banker2.get<{ data: { id: string }[] }>('/v1/approvals?status=pending');
    expect(pending.body.data.map((a) => a.id)).toContain(asked.body.id);
    const own = await banker.post<{ code: string }>(`/v1/approvals/${asked.body.id}/approve`, {
      reason: 'looks fine',
    });
    expect(own.status).toBe(403);
    const approved = await banker2.post<{ status: string; checker_id: string }>(
      `/v1/approvals/${asked.body.id}/approve`,
      {
        reason: 'agreed after call',
      },
    );
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
    const after = await silent.http.get<Application>(`/v1/loan-applications/${applied.body.id}`);
    expect(after.body).toMatchObject({ status: 'approved', decision: 'referred' });
    expect(after.body.offer?.amount).toEqual(kes('60000.00'));
    expect(after.body.override).toMatchObject({ decision: 'approve', by: asked.body.maker_id });
    expect(after.body.override?.approved_by).toBe(approved.body.checker_id);
    expect((await banker2.post(`/v1/approvals/${asked.body.id}/reject`, { reason: 'too late' })).status).toBe(
      409,
    );
    const loan = await silent.http.post<Loan>(`/v1/loan-applications/${applied.body.id}/accept`, {});
    expect(loan.status).toBe(201);
    expect(loan.body.status).toBe('active');

    // Below the threshold a banker's decision applies at once; the tier's cap still holds.
    const second = await silent.http.post<Application>('/v1/loan-applications', {
      product_id: 'lprod_sandbox_digital',
      amount: kes('5000.00'),
      term_months: 1,
    });
    const declined = await banker.post<Application>(`/v1/loan-applications/${second.body.id}/override`, {
      decision: 'decline',
      reason: 'one loan at a time',
    });
    expect(declined.status).toBe(200);
    expect(declined.body.status).toBe('declined');
    const capped = await banker.post<{ code: string }>(`/v1/loan-applications/${second.body.id}/override`, {
      decision: 'approve',
      reason: 'changed my mind',
      amount: kes('45000.00'),
      term_months: 3,
    });
    expect(capped.status).toBe(422);
    expect(capped.body.code).toBe('limit_exceeded');
    const rejected = await banker.post<{ id: string }>(`/v1/loan-applications/${second.body.id}/override`, {
      decision: 'approve',
      reason: 'bigger after all',
      amount: kes('20000.00'),
      term_months: 3,
    });
    expect(rejected.status).toBe(200); // KES 20,000 is under the KES 50,000 threshold
    const audit = await bank.db.prisma.auditEvent.findMany({
      where: {
        subjectId: { in: [applied.body.id, second.body.id] },
        action: { startsWith: 'loan_application.' },
      },
    });
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['loan_application.override_requested', 'loan_application.overridden']),
    );
  });

  it('when the history is asked for a range, then there is one portfolio row per closed bank day; bad ranges are refused', async () => {
    const to = addDays(today(), -1);
    const from = addDays(to, -9);
    const history = await admin.get<{ data: { bank_date: string; npl_ratio: string }[] }>(
      `/v1/risk/portfolio/history?from=${from}&to=${to}`,
    );
    expect(history.status).toBe(200);
    expect(history.body.data.map((d) => d.bank_date)).toEqual(
      Array.from({ length: 10 }, (_, i) => addDays(from, i)),
    );
    expect((await admin.get(`/v1/risk/portfolio/history?from=${to}&to=${from}`)).status).toBe(422);
    expect((await admin.get('/v1/risk/portfolio/history?from=2025-02-30&to=2025-03-01')).status).toBe(422);
    const loans = await borrower.http.get<{ data: Loan[] }>('/v1/loans');
    expect(loans.body.data.length).toBe(3);
    const apps = await banker.get<{ data: Application[] }>('/v1/loan-applications?status=referred');
    expect(apps.status).toBe(200);
  });
});
