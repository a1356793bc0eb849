/**
 * The SDK's Borrow resources against the real reference bank (SQLite, and MySQL/MariaDB when
 * TEST_MYSQL_URL is set): products, quotes, the credit limit, applications with maker-checker
 * overrides, acceptance, repayments, payoff, write-off and the portfolio, with typed errors.
 */
import {
  SANDBOX_PASSWORD,
  startTestBank,
  type TestBank,
  testDialects,
} from '@wekeza/reference-server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Approval,
  ConflictError,
  type LoanApplication,
  Money,
  PermissionDeniedError,
  ValidationError,
  Wekeza,
} from '../src/index.ts';
import { staff } from '../src/staff/index.ts';

const kes = (shillings: number) => Money.of(BigInt(shillings) * 100n, 'KES');
let signups = 0;

describe.each(testDialects())('Borrow through the SDK on %s', (dialect) => {
  let bank: TestBank;
  let admin: Wekeza;
  let banker: Wekeza;
  let banker2: Wekeza;
  let customer: Wekeza;
  let walletId: string;

  /** A new customer with a national ID the sandbox bureau answers as `last` says (8: never answers). */
  async function newCustomer(last: string): Promise<{ client: Wekeza; walletId: string }> {
    signups += 1;
    const n = `${Date.now() % 1_000_000}${signups}`.padStart(8, '0');
    const email = `sdk-loan-${dialect}-${n}@example.test`;
    const created = await new Wekeza({ baseUrl: bank.url }).signup({
      phone: `+2547${n.slice(-8)}`,
      email,
      password: 'long-password-1',
      fullName: 'SDK Borrower',
      nationalId: `4${n.slice(-6)}${last}`,
    });
    const client = new Wekeza({ baseUrl: bank.url, auth: { username: email, password: 'long-password-1' } });
    return { client, walletId: created.walletAccountId as string };
  }

  beforeAll(async () => {
    bank = await startTestBank(dialect);
    const signIn = (email: string) =>
      new Wekeza({ baseUrl: bank.url, auth: { username: email, password: SANDBOX_PASSWORD } });
    admin = signIn('admin@sandbox.test');
    banker = signIn('banker@sandbox.test');
    banker2 = signIn('banker2@sandbox.test');
    ({ client: customer, walletId } = await newCustomer('2'));
    // Three months of salary: enough history to be scored.
    for (let month = 0; month < 3; month++) {
      await admin.sandbox.deposits.create({ accountId: walletId, amount: kes(40_000) });
      await admin.sandbox.clock.advance(30);
    }
  }, 120_000);
  afterAll(async () => {
    await bank?.stop();
  });

  it('when products are listed and a quote is asked, then rates are strings and money is Money', async () => {
    const products = [];
    for await (const product of customer.loanProducts.list({ limit: 1 })) products.push(product);
    expect(products.map((p) => p.id)).toEqual(
      expect.arrayContaining(['lprod_sandbox_digital', 'lprod_sandbox_flat', 'lprod_sandbox_personal']),
    );
    const flat = products.find((p) => p.id === 'lprod_sandbox_flat');
    expect(flat?.interestMethod).toBe('flat');
    expect(flat?.minAmount).toBeInstanceOf(Money);
    const quote = await customer.loanQuotes.create({
      productId: 'lprod_sandbox_flat',
      amount: kes(30_000),
      termMonths: 3,
    });
    expect(quote.schedule).toHaveLength(3);
    expect(quote.schedule.reduce((t, i) => t + i.principal.minor, 0n)).toBe(3_000_000n);
    expect(quote.netDisbursed.minor).toBe(3_000_000n - quote.fee.minor);
    expect(quote.apr).toMatch(/^[0-9]+\.[0-9]{4}$/);
  });

  it('when an admin adds a product, then it is returned; a customer gets PermissionDeniedError', async () => {
    const params = {
      name: 'SDK product',
      currency: 'KES' as const,
      interestMethod: 'declining_balance' as const,
      annualRate: '0.2',
      minAmount: kes(500),
      maxAmount: kes(20_000),
      minTermMonths: 1,
      maxTermMonths: 3,
      processingFeeRate: '0.01',
      penaltyRate: '0.1',
      graceDays: 2,
      writeOffDays: 90,
    };
    const created = await admin.loanProducts.create(params);
    expect(created).toMatchObject({
      name: 'SDK product',
      amortization: 'equal_instalments',
      annualRate: '0.2',
    });
    await expect(customer.loanProducts.create(params)).rejects.toBeInstanceOf(PermissionDeniedError);
  });

  it('when the customer borrows, repays and pays off, then every call answers typed figures and too much is a ValidationError', async () => {
    const limit = await customer.creditLimit.retrieve();
    expect(limit.decision).toBe('approved');
    expect(limit.limit.minor).toBeGreaterThan(0n);
    const application = await customer.loanApplications.create({
      productId: 'lprod_sandbox_digital',
      amount: kes(5_000),
      termMonths: 2,
      purpose: 'school fees',
    });
    expect(application).toMatchObject({ status: 'approved', decision: 'approved', purpose: 'school fees' });
    expect(application.offer?.schedule).toHaveLength(2);
    expect((await customer.loanApplications.retrieve(application.id)).id).toBe(application.id);
    const loan = await customer.loanApplications.accept(application.id);
    expect(loan).toMatchObject({ status: 'active', label: 'Credited', applicationId: application.id });
    expect(loan.statusHistory.map((h) => h.status)).toEqual(['pending_disbursement', 'disbursed', 'active']);
    await expect(customer.loanApplications.accept(application.id)).rejects.toBeInstanceOf(ConflictError);

    await admin.sandbox.clock.advance(5);
    const payoff = await customer.loans.payoff(loan.id);
    expect(payoff.total.minor).toBe(payoff.principal.minor + payoff.interest.minor);
    const tooMuch = await customer.loans
      .repay(loan.id, { amount: Money.of(payoff.total.minor + 1n, 'KES'), fromAccountId: walletId })
      .catch((e: unknown) => e);
    expect(tooMuch).toBeInstanceOf(ValidationError);
    expect((tooMuch as ValidationError).code).toBe('exceeds_payoff');
    const part = await customer.loans.repay(loan.id, { amount: kes(1_000), fromAccountId: walletId });
    expect(part.loan.status).toBe('active');
    expect(part.principal.minor + part.interest.minor).toBe(100_000n);
    const rest = await customer.loans.payoff(loan.id);
    const closed = await customer.loans.repay(loan.id, { amount: rest.total, fromAccountId: walletId });
    expect(closed.loan.status).toBe('closed');
    expect(closed.loan.outstanding.total.isZero()).toBe(true);
    const mine = await customer.loans.list();
    expect(mine.data.map((l) => l.id)).toContain(loan.id);
    const apps = await customer.loanApplications.list({ status: 'accepted' });
    expect(apps.data.every((a) => a.status === 'accepted')).toBe(true);
  });

  it('when a banker overrides above the threshold, then the answer is an Approval a second banker decides', async () => {
    const { client } = await newCustomer('8'); // the bureau never answers: referred
    const referred = await client.loanApplications.create({
      productId: 'lprod_sandbox_personal',
      amount: kes(60_000),
      termMonths: 12,
    });
    expect(referred.status).toBe('referred');
    const asked = await banker.loanApplications.override(referred.id, {
      decision: 'approve',
      reason: 'payslips seen',
    });
    expect('kind' in asked).toBe(true);
    const approval = asked as Approval;
    expect(approval.status).toBe('pending');
    await expect(banker.approvals.approve(approval.id, { reason: 'mine' })).rejects.toBeInstanceOf(
      PermissionDeniedError,
    );
    const pending = await banker2.approvals.list({ status: 'pending' });
    expect(pending.data.map((a) => a.id)).toContain(approval.id);
    const decided = await banker2.approvals.approve(approval.id, { reason: 'agreed' });
    expect(decided.status).toBe('approved');
    expect((await banker.approvals.retrieve(approval.id)).checkerReason).toBe('agreed');
    const after = await client.loanApplications.retrieve(referred.id);
    expect(after).toMatchObject({ status: 'approved', decision: 'referred' });
    const declined = (await banker.loanApplications.override(referred.id, {
      decision: 'decline',
      reason: 'customer withdrew',
    })) as LoanApplication;
    expect(declined.status).toBe('declined');
    expect(declined.override?.decision).toBe('decline');
  });

  it('when an admin writes a loan off and reads the portfolio, then both answer in typed form', async () => {
    const application = await customer.loanApplications.create({
      productId: 'lprod_sandbox_digital',
      amount: kes(2_000),
      termMonths: 1,
    });
    const loan = await customer.loanApplications.accept(application.id);
    await admin.sandbox.clock.advance(2);
    const off = await admin.loans.writeOff(loan.id, { reason: 'fraud confirmed' });
    expect(off.status).toBe('written_off');
    expect(off.writtenOff.minor).toBeGreaterThan(200_000n);
    const portfolio = await staff(admin).risk.portfolio.retrieve();
    expect(portfolio.currency).toBe('KES');
    expect(portfolio.nplRatio).toMatch(/^[0-9]\.[0-9]{4}$/);
    expect(portfolio.loansByBucket.current.principal).toBeInstanceOf(Money);
    const clock = await admin.sandbox.clock.retrieve();
    const history = await staff(admin).risk.portfolio.history({
      from: clock.closedThrough as string,
      to: clock.closedThrough as string,
    });
    expect(history.data).toHaveLength(1);
    expect(history.data[0]?.bankDate).toBe(clock.closedThrough);
    await expect(staff(customer).risk.portfolio.retrieve()).rejects.toBeInstanceOf(PermissionDeniedError);
  });
});
