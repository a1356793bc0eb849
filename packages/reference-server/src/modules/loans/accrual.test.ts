import { Decimal } from '@wekeza/sdk/rates';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../../bank-calendar.ts';
import {
  accrueInterestForDay,
  accruePenaltyForDay,
  type InDuplum,
  inDuplumOn,
  interestAccruedByInstalment,
  interestAccruedThrough,
} from './accrual.ts';
import { type LoanState, openLoan } from './loan-state.ts';
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
const penalties = { penaltyRate: '0.05', graceDays: 3 };

/** Every day from `from` to `to`, both included. */
function days(from: string, to: string): string[] {
  return Array.from({ length: daysBetween(from, to) + 1 }, (_, i) => addDays(from, i));
}

// The golden figures are worked by hand in docs/loans.md, "Accrual" and "Penalties".
describe('contractual interest accrual, golden', () => {
  const loan = openLoan(personalLoan);

  it('when the first period (31 days, KES 1,500.00) accrues, then each day is the change of the rounded cumulative', () => {
    expect(days('2025-01-15', '2025-01-18').map((d) => interestAccruedThrough(loan, d))).toEqual([
      0n,
      4_839n,
      9_677n,
      14_516n,
    ]);
    expect(days('2025-01-16', '2025-01-18').map((d) => accrueInterestForDay(loan, d).accrued)).toEqual([
      4_839n,
      4_838n,
      4_839n,
    ]);
    expect(interestAccruedThrough(loan, '2025-02-15')).toBe(150_000n);
  });

  it('when the second period (28 days, KES 1,384.98) reaches day 7, then the exact half rounds to even', () => {
    // 138,498 × 7 / 28 = 34,624.5 → 34,624.
    expect(interestAccruedThrough(loan, '2025-02-22')).toBe(150_000n + 34_624n);
    expect(interestAccruedByInstalment(loan, '2025-02-22').slice(0, 3)).toEqual([150_000n, 34_624n, 0n]);
    expect(interestAccruedThrough(loan, '2025-03-15')).toBe(150_000n + 138_498n);
  });

  it('when the day is the disbursement day or after the final due date, then nothing accrues', () => {
    expect(accrueInterestForDay(loan, '2025-01-15')).toMatchObject({ n: null, accrued: 0n });
    expect(accrueInterestForDay(loan, '2026-01-16')).toMatchObject({ n: null, accrued: 0n });
    expect(interestAccruedThrough(loan, '2030-01-01')).toBe(1_001_599n);
  });
});

describe('contractual interest accrual, properties', () => {
  it('when any loan accrues, then on each due date the accrued interest equals the scheduled interest so far', () => {
    fc.assert(
      fc.property(termsArb(72), (terms) => {
        const loan = openLoan(terms);
        expect(interestAccruedThrough(loan, terms.disbursementDate)).toBe(0n);
        let scheduled = 0n;
        for (const inst of loan.instalments) {
          scheduled += inst.interest;
          expect(interestAccruedThrough(loan, inst.dueDate)).toBe(scheduled);
          expect(interestAccruedThrough(loan, addDays(inst.dueDate, -1))).toBeLessThanOrEqual(scheduled);
        }
        expect(interestAccruedThrough(loan, addDays(loan.instalments.at(-1)!.dueDate, 400))).toBe(scheduled);
      }),
      { numRuns: 200 },
    );
  });

  it('when a loan accrues day by day, then each day is ≥ 0, belongs to the instalment whose period holds it, and the days add up to f', () => {
    fc.assert(
      fc.property(termsArb(14), (terms) => {
        const loan = openLoan(terms);
        const last = loan.instalments.at(-1)!.dueDate;
        let total = 0n;
        const byInstalment = loan.instalments.map(() => 0n);
        for (const day of days(addDays(terms.disbursementDate, -2), addDays(last, 3))) {
          const accrual = accrueInterestForDay(loan, day);
          expect(accrual.accrued).toBeGreaterThanOrEqual(0n);
          expect(accrual.charged).toBe(accrual.accrued);
          if (accrual.n !== null) byInstalment[accrual.n - 1]! += accrual.accrued;
          else expect(accrual.accrued).toBe(0n);
          total += accrual.accrued;
          expect(total).toBe(interestAccruedThrough(loan, day));
        }
        expect(byInstalment).toEqual(loan.instalments.map((i) => i.interest));
      }),
      { numRuns: 60 },
    );
  });
});

describe('penalty accrual', () => {
  it('when instalment 1 (KES 9,168.00 overdue) passes its 3 grace days at 5 %, then penalties start on day 4 and carry the remainder', () => {
    let loan = openLoan(personalLoan);
    let carry = '0';
    const charged: bigint[] = [];
    const carries: string[] = [];
    for (const day of days('2025-02-16', '2025-02-22')) {
      const result = accruePenaltyForDay(loan, day, penalties, carry);
      loan = result.loan;
      carry = result.carry;
      charged.push(result.charged);
      carries.push(carry.slice(0, 8));
    }
    // 916,800 × 0.05 / 365 = 125.589041… a day, from 19 February (15 + 3 grace + 1).
    expect(charged).toEqual([0n, 0n, 0n, 126n, 125n, 126n, 125n]);
    expect(carries).toEqual(['0', '0', '0', '-0.41095', '0.178082', '-0.23287', '0.356164']);
    expect(loan.instalments[0]!.penalties).toBe(502n);
  });

  it('when two instalments are overdue, then each is charged on its own balance and the rounding runs oldest first', () => {
    const loan = openLoan(personalLoan);
    const result = accruePenaltyForDay(loan, '2025-03-19', { penaltyRate: '0.05', graceDays: 3 }, '0');
    // 916,800 × 0.05 / 365 twice = 251.178…: 126 for the first (125.589 → 126), 125 for the second.
    expect(result.byInstalment).toEqual([
      { n: 1, amount: 126n },
      { n: 2, amount: 125n },
    ]);
    expect(result.charged).toBe(251n);
  });

  it('when a paid-up instalment is past its due date, then it accrues no penalty', () => {
    const loan = settleThrough(openLoan(personalLoan), 1);
    expect(accruePenaltyForDay(loan, '2025-03-01', penalties, '0')).toMatchObject({
      charged: 0n,
      byInstalment: [],
    });
  });

  it('when a carry is not a small decimal string, then it refuses', () => {
    const loan = openLoan(personalLoan);
    expect(() => accruePenaltyForDay(loan, '2025-03-01', penalties, '0.6')).toThrow(RangeError);
    expect(() => accruePenaltyForDay(loan, '2025-03-01', penalties, '1e-3')).toThrow(RangeError);
  });

  it('when penalties accrue for many days on a fixed overdue balance, then Σ charged + the last carry = the exact total', () => {
    fc.assert(
      fc.property(
        termsArb(12),
        rateArb(20_000),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 1, max: 200 }),
        (terms, penaltyRate, graceDays, length) => {
          const loan = openLoan(terms);
          const end = addDays(loan.instalments.at(-1)!.dueDate, graceDays);
          let exact = new Decimal(0);
          let carry = '0';
          let charged = 0n;
          let state: LoanState = loan;
          for (const day of days(addDays(end, 1), addDays(end, length))) {
            const result = accruePenaltyForDay(state, day, { penaltyRate, graceDays }, carry);
            // The balance stays what it was: only penalties are added, and they are not penalised.
            state = result.loan;
            expect(result.charged).toBe(sumOf(result.byInstalment, (l) => l.amount));
            expect(result.byInstalment.every((l) => l.amount > 0n)).toBe(true);
            charged += result.charged;
            carry = result.carry;
            exact = exact.plus(
              new Decimal((terms.principal + sumOf(loan.instalments, (i) => i.interest)).toString())
                .times(penaltyRate)
                .div(365),
            );
          }
          expect(new Decimal(carry).abs().lte('0.5')).toBe(true);
          expect(exact.minus(charged).minus(carry).abs().lt('1e-25')).toBe(true);
          expect(sumOf(state.instalments, (i) => i.penalties)).toBe(charged);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('in duplum', () => {
  it('when interest and penalties reach the principal outstanding at the NPL moment, then both stop and the stopped interest is waived', () => {
    let loan = openLoan({ ...personalLoan, principal: 10_000n, annualRate: '3' });
    // A small cap (KES 100.00) so it is reached within days: penalties at 365 % charge the whole
    // overdue balance × 1 % a day.
    // Instalment 1 fell due on 15 February: DPD 90 on 16 May, 91 (non-performing) on 17 May.
    expect(inDuplumOn(loan, '2025-05-16', null)).toBeNull();
    let inDuplum = inDuplumOn(loan, '2025-05-17', null);
    expect(inDuplum).toEqual({ cap: 10_000n, charged: 0n });
    let interest = 0n;
    let penaltiesCharged = 0n;
    let waived = 0n;
    for (const day of days('2025-05-17', '2025-12-31')) {
      const i = accrueInterestForDay(loan, day, inDuplum);
      loan = i.loan;
      inDuplum = i.inDuplum;
      interest += i.charged;
      waived += i.stopped;
      const p = accruePenaltyForDay(loan, day, { penaltyRate: '3.65', graceDays: 0 }, '0', inDuplum);
      loan = p.loan;
      inDuplum = p.inDuplum;
      penaltiesCharged += p.charged;
    }
    expect(interest + penaltiesCharged).toBe(10_000n);
    expect(inDuplum).toEqual({ cap: 10_000n, charged: 10_000n });
    expect(waived).toBeGreaterThan(0n);
    expect(sumOf(loan.instalments, (i) => i.interestWaived)).toBe(waived);
    expect(sumOf(loan.instalments, (i) => i.penalties)).toBe(penaltiesCharged);
  });

  it('when the cap is reached on any loan, then what is charged never exceeds it', () => {
    fc.assert(
      fc.property(termsArb(6), rateArb(50_000), (terms, penaltyRate) => {
        let loan = openLoan(terms);
        const start = loan.instalments[0]!.dueDate;
        let inDuplum: InDuplum | null = { cap: terms.principal, charged: 0n };
        for (const day of days(start, addDays(start, 200))) {
          const i = accrueInterestForDay(loan, day, inDuplum);
          const p = accruePenaltyForDay(i.loan, day, { penaltyRate, graceDays: 0 }, '0', i.inDuplum);
          loan = p.loan;
          inDuplum = p.inDuplum;
          expect(i.charged + i.stopped).toBe(i.accrued);
          expect(inDuplum!.charged).toBeLessThanOrEqual(inDuplum!.cap);
        }
      }),
      { numRuns: 40 },
    );
  });
});
