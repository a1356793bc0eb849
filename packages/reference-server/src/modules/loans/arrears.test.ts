import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accruePenaltyForDay } from './accrual.ts';
import { allocateRepayment } from './allocation.ts';
import {
  arrearsBucket,
  cbkClassification,
  DEFAULT_CBK_THRESHOLDS,
  daysPastDue,
  isNonPerforming,
  type PortfolioLoan,
  portfolioQuality,
} from './arrears.ts';
import { openLoan } from './loan-state.ts';
import type { LoanTerms } from './schedule.ts';
import { settleThrough } from './test-support.ts';

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

describe('daysPastDue', () => {
  const loan = openLoan(personalLoan);

  it('when the first instalment is unpaid, then DPD counts from its due date, grace or not', () => {
    expect(daysPastDue(loan, '2025-02-14')).toBe(0);
    expect(daysPastDue(loan, '2025-02-15')).toBe(0);
    expect(daysPastDue(loan, '2025-02-16')).toBe(1);
    expect(daysPastDue(loan, '2025-05-17')).toBe(91);
  });

  it('when the oldest instalment is paid, then DPD counts from the next unpaid one', () => {
    expect(daysPastDue(settleThrough(loan, 1), '2025-03-20')).toBe(5);
    expect(daysPastDue(settleThrough(loan, 12), '2027-01-01')).toBe(0);
  });

  it('when a repayment of one instalment amount also pays its penalty, then what is left keeps the loan past due', () => {
    const penalised = accruePenaltyForDay(
      loan,
      '2025-02-19',
      { penaltyRate: '0.05', graceDays: 3 },
      '0',
    ).loan;
    const result = allocateRepayment(penalised, '2025-02-20', 916_800n);
    if (!result.ok) throw new Error(result.code);
    // Penalties come first, so 126 of instalment 1's principal is still due.
    expect(result.lines[0]).toMatchObject({ n: 1, penalties: 126n, principal: 766_674n });
    expect(daysPastDue(result.loan, '2025-02-20')).toBe(5);
  });
});

describe('buckets and classes', () => {
  it.each([
    [0, 'current', 'normal'],
    [1, '1-30', 'normal'],
    [30, '1-30', 'normal'],
    [31, '31-60', 'watch'],
    [60, '31-60', 'watch'],
    [61, '61-90', 'watch'],
    [90, '61-90', 'watch'],
    [91, '91+', 'substandard'],
    [180, '91+', 'substandard'],
    [181, '91+', 'doubtful'],
    [360, '91+', 'doubtful'],
    [361, '91+', 'loss'],
  ] as const)('when DPD is %i, then the bucket is %s and the CBK class %s', (dpd, bucket, cls) => {
    expect(arrearsBucket(dpd)).toBe(bucket);
    expect(cbkClassification(dpd)).toBe(cls);
    expect(isNonPerforming(dpd)).toBe(dpd > 90);
  });

  it('when a bank configures its own thresholds, then classes and NPL follow them', () => {
    const strict = { normal: 0, watch: 30, substandard: 90, doubtful: 180 };
    expect(cbkClassification(0, strict)).toBe('normal');
    expect(cbkClassification(1, strict)).toBe('watch');
    expect(cbkClassification(31, strict)).toBe('substandard');
    expect(isNonPerforming(31, strict)).toBe(true);
    expect(cbkClassification(181, strict)).toBe('loss');
  });

  it('when thresholds are not increasing or DPD is negative, then it refuses', () => {
    expect(() => cbkClassification(5, { ...DEFAULT_CBK_THRESHOLDS, watch: 20 })).toThrow(RangeError);
    expect(() => arrearsBucket(-1)).toThrow(RangeError);
  });

  it('when DPD grows, then the class never improves', () => {
    const order = ['normal', 'watch', 'substandard', 'doubtful', 'loss'];
    fc.assert(
      fc.property(fc.nat(2000), fc.nat(2000), (a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(order.indexOf(cbkClassification(low))).toBeLessThanOrEqual(
          order.indexOf(cbkClassification(high)),
        );
      }),
    );
  });
});

describe('portfolioQuality', () => {
  it('when a portfolio has loans in several buckets, then NPL and PAR30 are weighted by outstanding principal', () => {
    const loans: PortfolioLoan[] = [
      { status: 'active', outstandingPrincipal: 600_000n, daysPastDue: 0 },
      { status: 'in_arrears', outstandingPrincipal: 200_000n, daysPastDue: 45 },
      { status: 'in_arrears', outstandingPrincipal: 150_000n, daysPastDue: 120 },
      { status: 'in_arrears', outstandingPrincipal: 50_000n, daysPastDue: 400 },
      // Not counted: closed, written off, or not yet in the customer's hands.
      { status: 'closed', outstandingPrincipal: 0n, daysPastDue: 0 },
      { status: 'written_off', outstandingPrincipal: 900_000n, daysPastDue: 500 },
      { status: 'disbursed', outstandingPrincipal: 100_000n, daysPastDue: 0 },
    ];
    const q = portfolioQuality(loans);
    // NPL: (150,000 + 50,000) / 1,000,000 = 0.2; PAR30: (200,000 + 150,000 + 50,000) / 1,000,000 = 0.4.
    expect(q).toMatchObject({
      nplRatio: '0.2000',
      par30: '0.4000',
      loans: 4,
      outstandingPrincipal: 1_000_000n,
      nonPerformingPrincipal: 200_000n,
      par30Principal: 400_000n,
    });
    expect(q.byBucket).toEqual({
      current: { loans: 1, principal: 600_000n },
      '1-30': { loans: 0, principal: 0n },
      '31-60': { loans: 1, principal: 200_000n },
      '61-90': { loans: 0, principal: 0n },
      '91+': { loans: 2, principal: 200_000n },
    });
    expect(q.byClass.substandard).toEqual({ loans: 1, principal: 150_000n });
    expect(q.byClass.loss).toEqual({ loans: 1, principal: 50_000n });
  });

  it('when the ratio has more than 4 decimals, then it rounds half-even, and an empty book is 0', () => {
    const loans: PortfolioLoan[] = [
      { status: 'active', outstandingPrincipal: 2n, daysPastDue: 0 },
      { status: 'in_arrears', outstandingPrincipal: 1n, daysPastDue: 95 },
    ];
    expect(portfolioQuality(loans).nplRatio).toBe('0.3333');
    expect(portfolioQuality([]).nplRatio).toBe('0.0000');
  });

  it('when any portfolio is measured, then 0 ≤ NPL ≤ PAR30 ≤ 1 and the buckets add up', () => {
    const loanArb = fc.record({
      status: fc.constantFrom('active', 'in_arrears', 'closed', 'written_off') as fc.Arbitrary<
        PortfolioLoan['status']
      >,
      outstandingPrincipal: fc.bigInt({ min: 0n, max: 10n ** 12n }),
      daysPastDue: fc.nat(800),
    });
    fc.assert(
      fc.property(fc.array(loanArb, { maxLength: 50 }), (loans) => {
        const q = portfolioQuality(loans);
        expect(Number(q.nplRatio)).toBeLessThanOrEqual(Number(q.par30));
        expect(Number(q.par30)).toBeLessThanOrEqual(1);
        const buckets = Object.values(q.byBucket);
        expect(buckets.reduce((a, b) => a + b.principal, 0n)).toBe(q.outstandingPrincipal);
        expect(buckets.reduce((a, b) => a + b.loans, 0)).toBe(q.loans);
      }),
    );
  });
});
