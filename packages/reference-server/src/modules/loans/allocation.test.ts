import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../bank-calendar.ts';
import {
  accrueInterestForDay,
  accruePenaltyForDay,
  type InDuplum,
  inDuplumOn,
  interestAccruedThrough,
} from './accrual.ts';
import { type Allocation, allocateRepayment, payoff } from './allocation.ts';
import { isSettled, type LoanState, openLoan, principalOutstanding } from './loan-state.ts';
import type { LoanTerms } from './schedule.ts';
import { rateArb, settleThrough, sumOf, termsArb } from './test-support.ts';

const personalLoan: LoanTerms = {
  currency: 'KES',
  principal: 10_000_000n,
  termMonths: 12,
  annualRate: '0.18',
  interestMethod: 'declining_balance',
  amortization: 'equal_instalments',
  processingFeeRate: '0.02',
  disbursementDate: '2025-01-15',
};

function allocated(result: ReturnType<typeof allocateRepayment>): Allocation {
  if (!result.ok) throw new Error(`refused: ${result.code}`);
  return result;
}

/**
 * The worked example of docs/loans.md, "Allocation": instalment 1 paid on time, instalment 2
 * (due 15 March) unpaid, and the penalty of 19 March (grace 3 days) charged.
 */
function loanInArrears(): LoanState {
  const loan = settleThrough(openLoan(personalLoan), 1);
  return accruePenaltyForDay(loan, '2025-03-19', { penaltyRate: '0.05', graceDays: 3 }, '0').loan;
}

describe('allocateRepayment, golden', () => {
  it('when KES 40,000 arrives with instalment 2 overdue, then it pays 2, then 3 in full, then prepays the rest', () => {
    const before = loanInArrears();
    expect(payoff(before, '2025-03-20')).toEqual({
      principal: 9_233_200n,
      interest: 158_953n,
      fees: 0n,
      penalties: 126n,
      total: 9_392_279n,
    });
    const result = allocated(allocateRepayment(before, '2025-03-20', 4_000_000n));
    expect(result.lines).toEqual([
      { n: 2, kind: 'overdue', penalties: 126n, fees: 0n, interest: 138_498n, principal: 778_302n },
      { n: 3, kind: 'current', penalties: 0n, fees: 0n, interest: 126_823n, principal: 789_977n },
      { n: 3, kind: 'prepayment', penalties: 0n, fees: 0n, interest: 0n, principal: 2_166_274n },
    ]);
    expect(result).toMatchObject({ prepaid: 2_166_274n, closes: false });
    expect(result.totals).toEqual({ principal: 3_734_553n, interest: 265_321n, fees: 0n, penalties: 126n });
    expect(
      result.loan.instalments.slice(3).map((i) => [i.dueDate, i.principal, i.interest, i.total]),
    ).toEqual([
      ['2025-05-15', 834_320n, 82_480n, 916_800n],
      ['2025-06-15', 846_835n, 69_965n, 916_800n],
      ['2025-07-15', 859_538n, 57_262n, 916_800n],
      ['2025-08-15', 872_431n, 44_369n, 916_800n],
      ['2025-09-15', 885_517n, 31_283n, 916_800n],
      ['2025-10-15', 898_800n, 18_000n, 916_800n],
      ['2025-11-15', 301_206n, 4_518n, 305_724n],
    ]);
    // Interest of instalment 3 is paid ahead: 126,823 paid, 20,455 accrued by 20 March.
    expect(payoff(result.loan, '2025-03-20')).toEqual({
      principal: 5_498_647n,
      interest: -106_368n,
      fees: 0n,
      penalties: 0n,
      total: 5_392_279n,
    });
  });

  it('when the payoff is paid on 1 April, then the loan closes on that date and interest paid ahead goes to principal', () => {
    const state = allocated(allocateRepayment(loanInArrears(), '2025-03-20', 4_000_000n)).loan;
    const owed = payoff(state, '2025-04-01');
    expect(owed.total).toBe(5_441_372n);
    const result = allocated(allocateRepayment(state, '2025-04-01', owed.total));
    expect(result.closes).toBe(true);
    expect(result.lines).toEqual([
      { n: 3, kind: 'payoff', principal: 5_498_647n, interest: -57_275n, fees: 0n, penalties: 0n },
    ]);
    expect(result.loan.instalments).toHaveLength(3);
    expect(result.loan.instalments[2]).toMatchObject({
      dueDate: '2025-04-01',
      principal: 8_454_898n,
      interest: 69_548n,
      paid: { principal: 8_454_898n, interest: 69_548n, fees: 0n, penalties: 0n },
    });
    expect(payoff(result.loan, '2025-04-01').total).toBe(0n);
    expect(interestAccruedThrough(result.loan, '2025-04-01')).toBe(
      interestAccruedThrough(state, '2025-04-01'),
    );
  });

  it('when a payment exceeds the payoff by one cent, then it is refused with the payoff', () => {
    const loan = loanInArrears();
    expect(allocateRepayment(loan, '2025-03-20', 9_392_280n)).toEqual({
      ok: false,
      code: 'exceeds_payoff',
      payoff: 9_392_279n,
    });
    expect(allocateRepayment(loan, '2025-03-20', 0n)).toMatchObject({
      ok: false,
      code: 'amount_not_positive',
    });
  });

  it('when a payment is smaller than the overdue amount, then it goes to penalties, then interest, then principal', () => {
    const result = allocated(allocateRepayment(loanInArrears(), '2025-03-20', 200_000n));
    expect(result.lines).toEqual([
      { n: 2, kind: 'overdue', penalties: 126n, fees: 0n, interest: 138_498n, principal: 61_376n },
    ]);
  });

  it('when instalment fees are due, then an overdue instalment pays its fee before its interest', () => {
    const loan = settleThrough(openLoan({ ...personalLoan, instalmentFee: 5_000n }), 1);
    const result = allocated(allocateRepayment(loan, '2025-03-16', 10_000n));
    expect(result.lines).toEqual([
      { n: 2, kind: 'overdue', penalties: 0n, fees: 5_000n, interest: 5_000n, principal: 0n },
    ]);
  });

  it('when a flat loan is paid off mid-period, then interest not yet accrued is not charged', () => {
    const flat = openLoan({
      ...personalLoan,
      principal: 1_000_000n,
      termMonths: 3,
      annualRate: '0.35',
      interestMethod: 'flat',
      amortization: undefined,
      disbursementDate: '2025-05-05',
    });
    // 10 of 31 days of instalment 1's KES 291.67: round(29,167 × 10 / 31) = 9,409.
    expect(payoff(flat, '2025-05-15')).toMatchObject({
      principal: 1_000_000n,
      interest: 9_409n,
      total: 1_009_409n,
    });
  });
});

/** A random repayment: `gap` days after the previous event, a share of the payoff or all of it. */
const eventArb = fc.record({
  // Now and then a long silence, so loans go non-performing and meet the in-duplum cap.
  gap: fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 0, max: 75 }) },
    { weight: 1, arbitrary: fc.integer({ min: 91, max: 400 }) },
  ),
  share: fc.oneof(fc.integer({ min: 1, max: 999 }), fc.constant(1000)),
});

const scenarioArb = fc.record({
  terms: termsArb(18),
  penaltyRate: rateArb(40_000),
  graceDays: fc.integer({ min: 0, max: 7 }),
  events: fc.array(eventArb, { minLength: 1, maxLength: 10 }),
});

describe('allocateRepayment, properties over random loans and customer behaviour', () => {
  it('when repayments of any size arrive on any days, with arrears, penalties and the in-duplum cap, then each is conserved, lowers the payoff by itself, and keeps the schedule whole', () => {
    fc.assert(
      fc.property(scenarioArb, ({ terms, penaltyRate, graceDays, events }) => {
        let loan = openLoan(terms);
        let date = terms.disbursementDate;
        let carry = '0';
        let inDuplum: InDuplum | null = null;
        let interestThrough = date;
        let penaltiesThrough = date;
        for (const { gap, share } of events) {
          date = addDays(date, gap);
          // The daily close: interest of every day up to the repayment day (the service posts the
          // repayment day's interest before a repayment), then, for the days before it, DPD, the
          // in-duplum cap once non-performing, and penalties on the state at the end of the day.
          for (let day = addDays(interestThrough, 1); day <= date; day = addDays(day, 1)) {
            const accrual = accrueInterestForDay(loan, day, inDuplum);
            loan = accrual.loan;
            inDuplum = accrual.inDuplum;
          }
          interestThrough = date;
          for (let day = addDays(penaltiesThrough, 1); day < date; day = addDays(day, 1)) {
            inDuplum = inDuplumOn(loan, day, inDuplum);
            const result = accruePenaltyForDay(loan, day, { penaltyRate, graceDays }, carry, inDuplum);
            loan = result.loan;
            carry = result.carry;
            inDuplum = result.inDuplum;
          }
          penaltiesThrough = addDays(date, -1);
          const before = payoff(loan, date);
          if (before.total === 0n) {
            expect(allocateRepayment(loan, date, 1n)).toMatchObject({ ok: false, code: 'exceeds_payoff' });
            break;
          }
          const amount = share === 1000 ? before.total : 1n + ((before.total - 1n) * BigInt(share)) / 1000n;
          expect(allocateRepayment(loan, date, before.total + 1n)).toMatchObject({
            ok: false,
            code: 'exceeds_payoff',
          });
          const result = allocated(allocateRepayment(loan, date, amount));

          // Conservation: the lines, and the paid amounts on the instalments, add up to the payment.
          const lineSum = sumOf(result.lines, (l) => l.principal + l.interest + l.fees + l.penalties);
          expect(lineSum).toBe(amount);
          const paidSum = (s: LoanState) =>
            sumOf(s.instalments, (i) => i.paid.principal + i.paid.interest + i.paid.fees + i.paid.penalties);
          expect(paidSum(result.loan) - paidSum(loan)).toBe(amount);
          for (const line of result.lines.filter((l) => l.kind !== 'payoff')) {
            expect([line.principal, line.interest, line.fees, line.penalties].every((x) => x >= 0n)).toBe(
              true,
            );
          }

          // Payoff falls by exactly the payment; accrual up to today is untouched.
          expect(payoff(result.loan, date).total).toBe(before.total - amount);
          expect(interestAccruedThrough(result.loan, date)).toBe(interestAccruedThrough(loan, date));
          expect(interestAccruedThrough(result.loan, addDays(date, -1))).toBe(
            interestAccruedThrough(loan, addDays(date, -1)),
          );

          // The schedule stays whole: Σ principal = P, nothing negative, nothing paid beyond what is due.
          expect(sumOf(result.loan.instalments, (i) => i.principal)).toBe(terms.principal);
          for (const inst of result.loan.instalments) {
            expect(inst.principal >= 0n && inst.interest >= 0n && inst.fees >= 0n).toBe(true);
            expect(inst.paid.principal >= 0n && inst.paid.principal <= inst.principal).toBe(true);
            expect(
              inst.paid.interest >= 0n && inst.paid.interest <= inst.interest - inst.interestWaived,
            ).toBe(true);
            expect(inst.paid.fees >= 0n && inst.paid.fees <= inst.fees).toBe(true);
            expect(inst.paid.penalties >= 0n && inst.paid.penalties <= inst.penalties).toBe(true);
          }

          // A prepayment never raises the interest of an instalment still to come.
          if (result.prepaid > 0n && !result.closes) {
            const current = result.lines.find((l) => l.kind === 'prepayment')!.n;
            for (const inst of result.loan.instalments.filter((i) => i.n > current)) {
              expect(inst.interest).toBeLessThanOrEqual(loan.instalments[inst.n - 1]!.interest);
            }
          }

          // Only the payoff closes, and then nothing is left, later either.
          expect(result.closes).toBe(amount === before.total);
          if (result.closes) {
            expect(result.loan.instalments.every(isSettled)).toBe(true);
            expect(principalOutstanding(result.loan)).toBe(0n);
            expect(payoff(result.loan, addDays(date, 45)).total).toBe(0n);
          } else {
            expect(principalOutstanding(result.loan)).toBeGreaterThan(0n);
          }
          loan = result.loan;
          inDuplum = inDuplumOn(loan, date, inDuplum);
        }
      }),
      { numRuns: 250 },
    );
  });

  it('when the payoff is paid on any day of any loan, then the loan is closed with nothing left', () => {
    fc.assert(
      fc.property(termsArb(36), fc.integer({ min: 0, max: 1200 }), (terms, day) => {
        const loan = openLoan(terms);
        const date = addDays(terms.disbursementDate, day);
        const owed = payoff(loan, date);
        expect(owed.interest).toBe(interestAccruedThrough(loan, date));
        const result = allocated(allocateRepayment(loan, date, owed.total));
        expect(result.closes).toBe(true);
        expect(result.loan.instalments.every(isSettled)).toBe(true);
        expect(payoff(result.loan, date).total).toBe(0n);
        expect(sumOf(result.loan.instalments, (i) => i.principal)).toBe(terms.principal);
      }),
      { numRuns: 200 },
    );
  });
});
