/**
 * The loan lifecycle property (issue 10, "Proof"): random products and random customer behaviour
 * (on time, late, partial, prepaying, paying off early, never paying), run through the real bank
 * one bank day at a time — repayments during the day, then the daily close — and after every
 * day: the books balance, no cent is created or lost (every account summed per currency is 0),
 * each loan's sub-ledger equals what the calculators say it owes and the control accounts equal
 * the sub-ledger, and on each due date the interest accrued equals the scheduled interest.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../src/bank-calendar.ts';
import { transaction } from '../src/db/transaction.ts';
import { DomainError } from '../src/errors.ts';
import type { Principal } from '../src/modules/identity/service.ts';
import { balanceDelta, type Side } from '../src/modules/ledger/chart.ts';
import { reconcile } from '../src/modules/ledger/reconcile.ts';
import { payoff } from '../src/modules/loans/allocation.ts';
import { COMPONENTS, type Component } from '../src/modules/loans/loan-journal.ts';
import { instalmentDue } from '../src/modules/loans/loan-state.ts';
import { SYSTEM } from '../src/modules/loans/service.ts';
import { startTestBank, type TestBank, testDialects } from '../src/testing/index.ts';

type Behaviour =
  | { kind: 'on_time' }
  | { kind: 'late'; days: number }
  | { kind: 'partial'; percent: number }
  | { kind: 'prepay'; extraPercent: number }
  | { kind: 'payoff_early'; afterDays: number }
  | { kind: 'never' };

interface LoanPlan {
  method: 'equal_instalments' | 'equal_principal' | 'flat';
  annualRate: string;
  feeRate: string;
  penaltyRate: string;
  graceDays: number;
  writeOffDays: number;
  amountKes: number;
  termMonths: number;
  behaviour: Behaviour;
}

const rate = (maxPercent: number) =>
  fc.integer({ min: 0, max: maxPercent * 100 }).map((bp) => (bp / 10_000).toFixed(4));

const planArb: fc.Arbitrary<LoanPlan> = fc.record({
  method: fc.constantFrom('equal_instalments', 'equal_principal', 'flat'),
  annualRate: rate(60),
  feeRate: rate(5),
  penaltyRate: rate(40),
  graceDays: fc.integer({ min: 0, max: 5 }),
  writeOffDays: fc.integer({ min: 95, max: 130 }),
  amountKes: fc.integer({ min: 1_000, max: 150_000 }),
  termMonths: fc.integer({ min: 1, max: 4 }),
  behaviour: fc.oneof(
    fc.constant({ kind: 'on_time' as const }),
    fc.integer({ min: 3, max: 45 }).map((days) => ({ kind: 'late' as const, days })),
    fc.integer({ min: 20, max: 90 }).map((percent) => ({ kind: 'partial' as const, percent })),
    fc.integer({ min: 10, max: 300 }).map((extraPercent) => ({ kind: 'prepay' as const, extraPercent })),
    fc.integer({ min: 1, max: 80 }).map((afterDays) => ({ kind: 'payoff_early' as const, afterDays })),
    fc.constant({ kind: 'never' as const }),
  ),
});

/**
 * A loan that never pays and lives long enough to be non-performing while interest still accrues
 * (six months; 91 days past due comes before the last due date): interest in suspense, then write-off.
 */
const nplArb: fc.Arbitrary<LoanPlan> = fc
  .record({
    plan: planArb,
    rate: fc.integer({ min: 1_000, max: 6_000 }),
    penalty: fc.integer({ min: 500, max: 4_000 }),
  })
  .map(({ plan, rate, penalty }) => ({
    ...plan,
    annualRate: (rate / 10_000).toFixed(4),
    penaltyRate: (penalty / 10_000).toFixed(4),
    termMonths: 6,
    behaviour: { kind: 'never' as const },
  }));

const ADMIN: Principal = { id: 'usr_lifecycle_admin', role: 'admin' };

describe.each(testDialects())('the loan lifecycle on %s', (dialect) => {
  let bank: TestBank;
  let customers = 0;

  beforeAll(async () => {
    bank = await startTestBank(dialect);
  });
  afterAll(async () => {
    await bank?.stop();
  });

  async function newBorrower(fundingKes: number) {
    customers += 1;
    const id = `cus_LIFE${dialect}${customers}${Date.now().toString(36)}`.slice(0, 40);
    const s = bank.services;
    return transaction(bank.db, async (tx) => {
      await tx.user.create({
        data: {
          id,
          role: 'customer',
          email: `${id}@example.test`,
          phone: null,
          fullName: 'Lifecycle Borrower',
          nationalId: null,
          kycTier: 2,
          passwordHash: 'x',
          status: 'active',
          createdAt: new Date(),
        },
      });
      const wallet = await s.accounts.openAccount(tx, id, 'wallet', 'KES');
      await s.sandbox.deposit(tx, ADMIN, wallet.id, BigInt(fundingKes) * 100n, 'KES', {
        enforceLimits: false,
      });
      return { customer: { id, role: 'customer' } as Principal, walletId: wallet.id };
    });
  }

  async function open(plan: LoanPlan) {
    const s = bank.services;
    const borrower = await newBorrower(plan.amountKes * 3 + 10_000);
    const loan = await transaction(bank.db, async (tx) => {
      const product = await s.loanProducts.create(tx, ADMIN, {
        name: `Lifecycle ${plan.method} ${plan.annualRate}`,
        currency: 'KES',
        interestMethod: plan.method === 'flat' ? 'flat' : 'declining_balance',
        amortization: plan.method === 'flat' ? undefined : plan.method,
        annualRate: plan.annualRate,
        processingFeeRate: plan.feeRate,
        penaltyRate: plan.penaltyRate,
        minAmountMinor: 100_000n,
        maxAmountMinor: 20_000_000n,
        minTermMonths: 1,
        maxTermMonths: 12,
        graceDays: plan.graceDays,
        writeOffDays: plan.writeOffDays,
      });
      return s.loans.disburse(tx, SYSTEM, {
        customerId: borrower.customer.id,
        walletAccountId: borrower.walletId,
        product,
        principalMinor: BigInt(plan.amountKes) * 100n,
        termMonths: plan.termMonths,
        applicationId: null,
        score: 600,
      });
    });
    return { plan, borrower, loanId: loan.id, opened: loan.disbursementDate };
  }

  type Running = Awaited<ReturnType<typeof open>>;

  /** What the borrower pays on `today` under their behaviour (0n: nothing). */
  async function amountToday(run: Running, today: string): Promise<bigint> {
    const s = bank.services;
    const record = await s.loans.book.read(bank.db.prisma, run.loanId);
    if (!record || !['active', 'in_arrears'].includes(record.status)) return 0n;
    const { state } = await s.loans.book.load(bank.db.prisma, record);
    const dueBy = (day: string) =>
      state.instalments
        .filter((i) => daysBetween(i.dueDate, day) >= 0)
        .reduce((t, i) => {
          const d = instalmentDue(i);
          return t + d.principal + d.interest + d.fees + d.penalties;
        }, 0n);
    const dueToday = state.instalments.some((i) => i.dueDate === today);
    const b = run.plan.behaviour;
    switch (b.kind) {
      case 'on_time':
        return dueToday ? dueBy(today) : 0n;
      case 'late': {
        const late = state.instalments.some((i) => addDays(i.dueDate, b.days) === today);
        return late ? dueBy(today) : 0n;
      }
      case 'partial':
        return dueToday ? (dueBy(today) * BigInt(b.percent)) / 100n : 0n;
      case 'prepay':
        return dueToday ? (dueBy(today) * BigInt(100 + b.extraPercent)) / 100n : 0n;
      case 'payoff_early':
        return daysBetween(run.opened, today) === b.afterDays ? -1n : 0n; // -1: the payoff
      case 'never':
        return 0n;
    }
  }

  async function repay(run: Running, amount: bigint, today: string): Promise<void> {
    const s = bank.services;
    let pay = amount;
    if (pay === -1n) pay = (await s.loans.payoffOn(run.borrower.customer, run.loanId, today)).total;
    if (pay <= 0n) return;
    const attempt = (value: bigint) =>
      transaction(bank.db, (tx) =>
        s.loans.repay(tx, run.borrower.customer, run.loanId, {
          amountMinor: value,
          currency: 'KES',
          fromAccountId: run.borrower.walletId,
        }),
      );
    try {
      await attempt(pay);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'exceeds_payoff') throw error;
      // Refused whole: nothing moved. The borrower pays the payoff instead, which closes the loan.
      const owed = (await s.loans.payoffOn(run.borrower.customer, run.loanId, today)).total;
      expect(owed).toBeLessThan(pay);
      const closed = await attempt(owed);
      expect(closed.loan.status).toBe('closed');
    }
  }

  /** Every invariant, after the close of `day`. */
  async function check(runs: Running[], day: string): Promise<void> {
    const s = bank.services;
    const db = bank.db.prisma;
    const report = await reconcile(db);
    expect(
      report.ok,
      JSON.stringify(report, (_k, v) => (typeof v === 'bigint' ? String(v) : v)),
    ).toBe(true);
    // No cent created or lost: every account, signed by its side, sums to zero per currency.
    const accounts = await db.account.findMany({
      select: { currency: true, normalSide: true, balanceMinor: true },
    });
    const perCurrency = new Map<string, bigint>();
    for (const a of accounts)
      perCurrency.set(
        a.currency,
        (perCurrency.get(a.currency) ?? 0n) + balanceDelta(a.normalSide as Side, 'debit', a.balanceMinor),
      );
    for (const [currency, total] of perCurrency) expect(total, currency).toBe(0n);
    // The control accounts hold exactly what the loans' sub-ledger says.
    const sums = await db.$queryRawUnsafe<{ component: string; total: unknown }[]>(
      "SELECT component, SUM(amount_minor) AS total FROM loan_postings p JOIN loans l ON l.id = p.loan_id WHERE l.currency = 'KES' GROUP BY component",
    );
    const sub = Object.fromEntries(COMPONENTS.map((c) => [c, 0n])) as Record<Component, bigint>;
    for (const row of sums) sub[row.component as Component] = BigInt(String(row.total));
    const gl = async (code: string) =>
      (await db.account.findUniqueOrThrow({ where: { id: `acc_bank_${code}_kes` } })).balanceMinor;
    expect(await gl('loan_principal_receivable')).toBe(sub.principal);
    expect(await gl('loan_interest_receivable')).toBe(sub.interest);
    expect(await gl('loan_fees_receivable')).toBe(sub.fees + sub.penalties);
    expect(await gl('interest_in_suspense')).toBe(sub.interest_suspense + sub.penalties_suspense);

    for (const run of runs) {
      const details = await s.loans.details(run.borrower.customer, run.loanId);
      const { loan, state, balances } = details;
      if (loan.status === 'closed' || loan.status === 'written_off') {
        for (const c of COMPONENTS) expect(balances[c], `${loan.status} ${c}`).toBe(0n);
        continue;
      }
      expect(loan.interestAccruedThrough).toBe(day);
      expect(loan.arrearsThrough).toBe(day);
      // What the customer is shown owing = the loan accounts = what the calculators say.
      const owed = payoff(state, day);
      expect(balances.principal).toBe(owed.principal);
      expect(balances.interest).toBe(owed.interest);
      expect(balances.fees).toBe(owed.fees);
      expect(balances.penalties).toBe(owed.penalties);
      expect(loan.principalOutstandingMinor).toBe(owed.principal);
      expect(balances.interest_suspense).toBeGreaterThanOrEqual(0n);
      expect(balances.penalties_suspense).toBeLessThanOrEqual(
        balances.penalties > 0n ? balances.penalties : 0n,
      );
      // On a due date, the interest accrued so far is the interest scheduled so far, exactly.
      const due = state.instalments.findIndex((i) => i.dueDate === day);
      if (due >= 0) {
        const [row] = await db.$queryRawUnsafe<{ total: unknown }[]>(
          "SELECT SUM(amount_minor) AS total FROM loan_postings WHERE loan_id = ? AND kind = 'accrual' AND component = 'interest'",
          loan.id,
        );
        const scheduled = state.instalments
          .slice(0, due + 1)
          .reduce((t, i) => t + i.interest - i.interestWaived, 0n);
        expect(BigInt(String(row?.total ?? 0))).toBe(scheduled);
      }
    }
  }

  const runs = Number(process.env.LIFECYCLE_RUNS ?? (dialect === 'sqlite' ? 3 : 1));

  it('when random loans live through random behaviour day by day, then after every day the books balance, no cent is lost, and the loan accounts say what the calculators say', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(planArb, { minLength: 2, maxLength: 4 }), nplArb, async (random, npl) => {
        const plans = [...random, npl];
        const runs: Running[] = [];
        for (const plan of plans) runs.push(await open(plan));
        const s = bank.services;
        const last = Math.max(...plans.map((p) => p.termMonths * 31 + p.writeOffDays + 100));
        for (let i = 0; i < last; i++) {
          const today = s.bankClock.today();
          for (const run of runs) await repay(run, await amountToday(run, today), today);
          await s.sandbox.advance(ADMIN, 1);
          await check(runs, today);
          const statuses = await bank.db.prisma.loan.findMany({
            where: { id: { in: runs.map((r) => r.loanId) } },
            select: { status: true },
          });
          if (statuses.every((l) => l.status === 'closed' || l.status === 'written_off')) break;
        }
        const final = await bank.db.prisma.loan.findMany({
          where: { id: { in: runs.map((r) => r.loanId) } },
        });
        for (const loan of final) expect(['closed', 'written_off']).toContain(loan.status);
      }),
      { numRuns: runs, seed: Number(process.env.LIFECYCLE_SEED ?? 10_2026) },
    );
    // The behaviours reached every path worth proving: closure, arrears with penalties, interest in
    // suspense on non-performing loans, and write-off.
    const db = bank.db.prisma;
    expect(await db.loan.count({ where: { status: 'written_off' } })).toBeGreaterThan(0);
    expect(await db.loanPosting.count({ where: { component: 'penalties' } })).toBeGreaterThan(0);
    expect(await db.loanPosting.count({ where: { component: 'interest_suspense' } })).toBeGreaterThan(0);
    expect(await db.loanStatusChange.count({ where: { status: 'in_arrears' } })).toBeGreaterThan(0);
    if (runs >= 3) expect(await db.loan.count({ where: { status: 'closed' } })).toBeGreaterThan(0);
  }, 900_000);
});
