import { Decimal } from '@wekeza/sdk/rates';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonthsClamped } from '../../bank-calendar.ts';
import { divHalfEven, parseRate } from './exact.ts';
import { openLoan } from './loan-state.ts';
import {
  annualPercentageRate,
  buildSchedule,
  type LoanSchedule,
  type LoanTerms,
  reduceTerm,
} from './schedule.ts';
import { settleThrough, sumOf, termsArb } from './test-support.ts';

/** [due date, principal, interest, fees, total] per instalment: compact golden rows. */
function rows(schedule: LoanSchedule): [string, bigint, bigint, bigint, bigint][] {
  return schedule.instalments.map((i) => [i.dueDate, i.principal, i.interest, i.fees, i.total]);
}

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

// Every golden figure below is worked by hand in docs/loans.md, "Schedule math".
describe('buildSchedule, golden schedules', () => {
  it('when KES 100,000 at 18 % is lent over 12 equal instalments, then the EMI is 9,168.00 and the last takes the rest', () => {
    const schedule = buildSchedule(personalLoan);
    expect(rows(schedule)).toEqual([
      ['2025-02-15', 766_800n, 150_000n, 0n, 916_800n],
      ['2025-03-15', 778_302n, 138_498n, 0n, 916_800n],
      ['2025-04-15', 789_977n, 126_823n, 0n, 916_800n],
      ['2025-05-15', 801_826n, 114_974n, 0n, 916_800n],
      ['2025-06-15', 813_854n, 102_946n, 0n, 916_800n],
      ['2025-07-15', 826_061n, 90_739n, 0n, 916_800n],
      ['2025-08-15', 838_452n, 78_348n, 0n, 916_800n],
      ['2025-09-15', 851_029n, 65_771n, 0n, 916_800n],
      ['2025-10-15', 863_795n, 53_005n, 0n, 916_800n],
      ['2025-11-15', 876_751n, 40_049n, 0n, 916_800n],
      ['2025-12-15', 889_903n, 26_897n, 0n, 916_800n],
      ['2026-01-15', 903_250n, 13_549n, 0n, 916_799n],
    ]);
    expect(schedule).toMatchObject({
      processingFee: 200_000n,
      netDisbursed: 9_800_000n,
      totalInterest: 1_001_599n,
      totalFees: 0n,
      totalRepayable: 11_001_599n,
      totalCostOfCredit: 1_201_599n,
      apr: '0.2191',
    });
  });

  it('when KES 50,000 at 18 % is lent with equal principal over 6 months, then principal is 8,333.33 and the last 8,333.35', () => {
    const schedule = buildSchedule({
      ...personalLoan,
      principal: 5_000_000n,
      termMonths: 6,
      amortization: 'equal_principal',
      processingFeeRate: '0.015',
      disbursementDate: '2025-03-10',
    });
    expect(rows(schedule)).toEqual([
      ['2025-04-10', 833_333n, 75_000n, 0n, 908_333n],
      ['2025-05-10', 833_333n, 62_500n, 0n, 895_833n],
      ['2025-06-10', 833_333n, 50_000n, 0n, 883_333n],
      ['2025-07-10', 833_333n, 37_500n, 0n, 870_833n],
      ['2025-08-10', 833_333n, 25_000n, 0n, 858_333n],
      ['2025-09-10', 833_335n, 12_500n, 0n, 845_835n],
    ]);
    expect(schedule).toMatchObject({
      processingFee: 75_000n,
      netDisbursed: 4_925_000n,
      totalInterest: 262_500n,
      totalRepayable: 5_262_500n,
      totalCostOfCredit: 337_500n,
      apr: '0.2341',
    });
  });

  it('when KES 10,000 is lent flat at 35 % over 3 months, then the last instalment takes the interest rounding leaves', () => {
    const schedule = buildSchedule({
      ...personalLoan,
      principal: 1_000_000n,
      termMonths: 3,
      annualRate: '0.35',
      interestMethod: 'flat',
      amortization: undefined,
      processingFeeRate: '0.05',
      disbursementDate: '2025-05-05',
    });
    expect(rows(schedule)).toEqual([
      ['2025-06-05', 333_333n, 29_167n, 0n, 362_500n],
      ['2025-07-05', 333_333n, 29_167n, 0n, 362_500n],
      ['2025-08-05', 333_334n, 29_166n, 0n, 362_500n],
    ]);
    expect(schedule).toMatchObject({ processingFee: 50_000n, totalInterest: 87_500n, apr: '0.8491' });
  });

  it('when a loan is disbursed on 31 January of a leap year, then due dates clamp to each month end, counted from the 31st', () => {
    const schedule = buildSchedule({
      ...personalLoan,
      principal: 2_000_000n,
      termMonths: 4,
      processingFeeRate: '0.01',
      disbursementDate: '2024-01-31',
    });
    expect(rows(schedule)).toEqual([
      ['2024-02-29', 488_890n, 30_000n, 0n, 518_890n],
      ['2024-03-31', 496_223n, 22_667n, 0n, 518_890n],
      ['2024-04-30', 503_667n, 15_223n, 0n, 518_890n],
      ['2024-05-31', 511_220n, 7_668n, 0n, 518_888n],
    ]);
    expect(schedule.apr).toBe('0.2295');
  });

  it('when a one-month loan is priced, then the APR is 12 × (total / net − 1)', () => {
    const schedule = buildSchedule({
      ...personalLoan,
      principal: 1_000_000n,
      termMonths: 1,
      annualRate: '0.12',
    });
    expect(rows(schedule)).toEqual([['2025-02-15', 1_000_000n, 10_000n, 0n, 1_010_000n]]);
    // 12 × (1,010,000 / 980,000 − 1) = 0.367346…
    expect(schedule).toMatchObject({ netDisbursed: 980_000n, totalCostOfCredit: 30_000n, apr: '0.3673' });
  });

  it('when a UGX loan is priced, then amounts are whole shillings and the fee tie rounds half-even', () => {
    const schedule = buildSchedule({
      ...personalLoan,
      currency: 'UGX',
      principal: 1_234_525n,
      termMonths: 3,
      annualRate: '0.24',
      processingFeeRate: '0.02',
      instalmentFee: 1_500n,
    });
    // 1,234,525 × 0.02 = 24,690.5 → 24,690 (the even neighbour), for the fee and the first interest.
    expect(schedule.processingFee).toBe(24_690n);
    expect(rows(schedule)).toEqual([
      ['2025-02-15', 403_387n, 24_690n, 1_500n, 429_577n],
      ['2025-03-15', 411_454n, 16_623n, 1_500n, 429_577n],
      ['2025-04-15', 419_684n, 8_394n, 1_500n, 429_578n],
    ]);
    expect(schedule).toMatchObject({
      totalFees: 4_500n,
      totalInterest: 49_707n,
      totalRepayable: 1_288_732n,
      apr: '0.3872',
    });
  });

  it('when the rate is zero and there is no fee, then the APR is 0 and the principal is spread evenly', () => {
    const schedule = buildSchedule({
      ...personalLoan,
      annualRate: '0',
      processingFeeRate: '0',
      principal: 1_000n,
      termMonths: 3,
    });
    expect(rows(schedule).map((r) => r[1])).toEqual([333n, 333n, 334n]);
    expect(schedule.apr).toBe('0.0000');
  });
});

describe('buildSchedule, refusals', () => {
  it.each([
    ['a zero principal', { principal: 0n }],
    ['a term of 0 months', { termMonths: 0 }],
    ['a fractional term', { termMonths: 1.5 }],
    ['a rate in exponent notation', { annualRate: '1e-1' }],
    ['a negative rate', { annualRate: '-0.1' }],
    ['a fee that takes everything', { processingFeeRate: '1' }],
    ['an unknown currency', { currency: 'XXX' }],
    ['a flat loan with an amortization', { interestMethod: 'flat', amortization: 'equal_principal' }],
    ['an impossible date', { disbursementDate: '2025-02-30' }],
    ['a negative instalment fee', { instalmentFee: -1n }],
  ] as const)('when the terms have %s, then it throws RangeError', (_, change) => {
    expect(() => buildSchedule({ ...personalLoan, ...change } as LoanTerms)).toThrow(RangeError);
  });
});

describe('buildSchedule, properties over random products and terms', () => {
  it('when any schedule is built, then Σ principal = P, amounts are ≥ 0, and the totals add up', () => {
    fc.assert(
      fc.property(termsArb(), (terms) => {
        const s = buildSchedule(terms);
        expect(s.instalments.length).toBeLessThanOrEqual(terms.termMonths);
        expect(s.instalments.at(-1)!.principal).toBeGreaterThan(0n);
        expect(sumOf(s.instalments, (i) => i.principal)).toBe(terms.principal);
        for (const i of s.instalments) {
          expect(i.principal >= 0n && i.interest >= 0n && i.fees >= 0n).toBe(true);
          expect(i.total).toBe(i.principal + i.interest + i.fees);
          expect(i.fees).toBe(terms.instalmentFee ?? 0n);
        }
        const rate = parseRate(terms.processingFeeRate, 'fee');
        expect(s.processingFee).toBe(divHalfEven(terms.principal * rate.num, rate.den));
        expect(s.netDisbursed).toBe(terms.principal - s.processingFee);
        expect(s.totalInterest).toBe(sumOf(s.instalments, (i) => i.interest));
        expect(s.totalFees).toBe(sumOf(s.instalments, (i) => i.fees));
        expect(s.totalRepayable).toBe(terms.principal + s.totalInterest + s.totalFees);
        expect(s.totalCostOfCredit).toBe(s.totalRepayable - s.netDisbursed);
      }),
      { numRuns: 300 },
    );
  });

  it('when a loan of KES 1,000 or more at up to 100 % over up to 5 years is scheduled, then it has exactly n instalments', () => {
    fc.assert(
      fc.property(
        termsArb().filter(
          (t) =>
            t.principal >= 100_000n &&
            Number(t.annualRate) <= 1 &&
            (t.currency === 'KES' || t.principal >= 1_000_000n),
        ),
        (terms) => {
          expect(buildSchedule(terms).instalments).toHaveLength(terms.termMonths);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('when any schedule is built, then due date k is the disbursement date + k months, clamped to month end', () => {
    fc.assert(
      fc.property(termsArb(), (terms) => {
        const s = buildSchedule(terms);
        const startDay = Number(terms.disbursementDate.slice(8));
        s.instalments.forEach((inst, i) => {
          expect(inst.dueDate).toBe(addMonthsClamped(terms.disbursementDate, i + 1));
          const [year, month, day] = inst.dueDate.split('-').map(Number) as [number, number, number];
          const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
          expect(day).toBe(Math.min(startDay, lastDay));
        });
      }),
    );
  });

  it('when a flat schedule is built, then Σ interest = round(P × annual rate × n / 12)', () => {
    fc.assert(
      fc.property(
        termsArb().filter((t) => t.interestMethod === 'flat'),
        (terms) => {
          const schedule = buildSchedule(terms);
          // n, unless rounding repaid a loan of a few minor units early.
          const n = BigInt(schedule.instalments.length);
          const rate = parseRate(terms.annualRate, 'rate');
          expect(schedule.totalInterest).toBe(divHalfEven(terms.principal * rate.num * n, rate.den * 12n));
        },
      ),
    );
  });

  it('when an equal-instalment schedule is built, then every instalment but the last has interest round(outstanding × r) and the same total', () => {
    fc.assert(
      fc.property(
        termsArb().filter((t) => t.amortization === 'equal_instalments' && t.principal > 100_000n),
        (terms) => {
          const s = buildSchedule(terms);
          const rate = parseRate(terms.annualRate, 'rate');
          let outstanding = terms.principal;
          for (const inst of s.instalments) {
            expect(inst.interest).toBe(divHalfEven(outstanding * rate.num, rate.den * 12n));
            outstanding -= inst.principal;
          }
          const totals = new Set(s.instalments.slice(0, -1).map((i) => i.total - i.fees));
          expect(totals.size).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it('when the APR is computed, then it is the 4-decimal rounding of 12 × the rate where the present value crosses zero', () => {
    fc.assert(
      fc.property(termsArb(36), (terms) => {
        const s = buildSchedule(terms);
        const npv = (annual: Decimal) => {
          const v = new Decimal(1).div(annual.div(12).plus(1));
          let discount = new Decimal(1);
          let value = new Decimal(s.netDisbursed.toString()).negated();
          for (const inst of s.instalments) {
            discount = discount.times(v);
            value = value.plus(discount.times(inst.total.toString()));
          }
          return value;
        };
        const apr = new Decimal(s.apr);
        const half = new Decimal('0.00005');
        // The true APR lies within half a unit of the 4th decimal of the answer.
        expect(npv(apr.minus(half).clampedTo(0, Infinity)).gte(0)).toBe(true);
        expect(npv(apr.plus(half)).lte(0)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('when annualPercentageRate is given flows that repay less than was lent, then it throws', () => {
    expect(() => annualPercentageRate(1_000n, [999n])).toThrow(RangeError);
  });
});

describe('reduceTerm', () => {
  it('when KES 20,000 is prepaid after instalment 3 of the personal loan, then the EMI stays and the term shrinks', () => {
    const loan = settleThrough(openLoan(personalLoan), 3);
    const after = reduceTerm(loan, 3, 2_000_000n);
    // Outstanding after instalment 3: 7,664,921 − 2,000,000 = 5,664,921 (worked in docs/loans.md).
    expect(after.instalments[2]).toMatchObject({
      principal: 789_977n + 2_000_000n,
      paid: { principal: 2_789_977n },
    });
    expect(after.instalments.slice(3).map((i) => [i.dueDate, i.principal, i.interest, i.total])).toEqual([
      ['2025-05-15', 831_826n, 84_974n, 916_800n],
      ['2025-06-15', 844_304n, 72_496n, 916_800n],
      ['2025-07-15', 856_968n, 59_832n, 916_800n],
      ['2025-08-15', 869_823n, 46_977n, 916_800n],
      ['2025-09-15', 882_870n, 33_930n, 916_800n],
      ['2025-10-15', 896_113n, 20_687n, 916_800n],
      ['2025-11-15', 483_017n, 7_245n, 490_262n],
    ]);
    expect(sumOf(after.instalments, (i) => i.principal)).toBe(personalLoan.principal);
  });

  it('when KES 1,000 is prepaid after instalment 1 of the flat loan, then flat interest is charged on the principal left', () => {
    const flat: LoanTerms = {
      ...personalLoan,
      principal: 1_000_000n,
      termMonths: 3,
      annualRate: '0.35',
      interestMethod: 'flat',
      amortization: undefined,
      disbursementDate: '2025-05-05',
    };
    const after = reduceTerm(settleThrough(openLoan(flat), 1), 1, 100_000n);
    // 566,667 left: round(566,667 × 0.35 / 12) = 16,528 a month, round(566,667 × 0.35 × 2 / 12) = 33,056 in all.
    expect(after.instalments.map((i) => [i.principal, i.interest])).toEqual([
      [433_333n, 29_167n],
      [333_333n, 16_528n],
      [233_334n, 16_528n],
    ]);
  });

  it('when a prepayment is made on any loan, then Σ principal = P, paid instalments keep their figures, and no later interest rises', () => {
    fc.assert(
      fc.property(
        termsArb(48).filter((t) => t.termMonths >= 2),
        fc.nat(),
        fc.bigInt({ min: 1n, max: 1n << 62n }),
        (terms, kSeed, prepaySeed) => {
          const k = 1 + (kSeed % (terms.termMonths - 1));
          const loan = settleThrough(openLoan(terms), k);
          const remaining = sumOf(loan.instalments.slice(k), (i) => i.principal);
          fc.pre(remaining > 0n);
          const prepaid = 1n + (prepaySeed % remaining);
          const after = reduceTerm(loan, k, prepaid);
          expect(sumOf(after.instalments, (i) => i.principal)).toBe(terms.principal);
          expect(after.instalments.slice(0, k - 1)).toEqual(loan.instalments.slice(0, k - 1));
          expect(after.instalments.length).toBeLessThanOrEqual(loan.instalments.length);
          for (const inst of after.instalments.slice(k)) {
            const before = loan.instalments[inst.n - 1]!;
            expect(inst.interest).toBeLessThanOrEqual(before.interest);
            expect(inst.dueDate).toBe(before.dueDate);
            expect(inst.principal >= 0n && inst.interest >= 0n).toBe(true);
          }
          if (prepaid < remaining) expect(after.instalments.length).toBeGreaterThan(k);
          const last = after.instalments.at(-1)!;
          expect(last.principal > 0n || after.instalments.length === k).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('when an instalment after the prepayment point has been paid, then it refuses', () => {
    const loan = settleThrough(openLoan(personalLoan), 4);
    expect(() => reduceTerm(loan, 3, 1_000n)).toThrow(RangeError);
  });

  it('when the prepayment is more than the principal left, then it refuses', () => {
    const loan = settleThrough(openLoan(personalLoan), 11);
    expect(() => reduceTerm(loan, 11, 903_251n)).toThrow(RangeError);
  });
});
