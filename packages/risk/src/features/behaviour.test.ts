import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { behaviourFeatureSpecs, extractFeatures, type LedgerLine } from './behaviour.ts';
import { isoDate } from './dates.ts';

const lines: LedgerLine[] = [
  { date: '2025-06-25', amountMinor: 100_000n },
  { date: '2025-06-26', amountMinor: -40_000n },
  { date: '2025-05-25', amountMinor: 100_000n },
  { date: '2025-05-26', amountMinor: -60_000n },
  { date: '2025-04-25', amountMinor: 100_000n },
  { date: '2025-04-26', amountMinor: -50_000n },
  { date: '2025-07-01', amountMinor: 999_999n }, // after as-of: ignored
];

describe('behavioural features', () => {
  it('when a customer earns the same each month, then averages, ratios and trend follow the ledger', () => {
    const f = extractFeatures(lines, '2025-06-30', [
      { disbursedOn: '2024-01-01', instalmentsDue: 6, instalmentsPaidOnTime: 5, worstDaysPastDue: 12 },
      { disbursedOn: '2025-07-15', instalmentsDue: 3, instalmentsPaidOnTime: 0, worstDaysPastDue: 90 },
    ]);
    expect(f.periodsObserved).toBe(3);
    expect(f.averageMonthlyInflowMinor).toBe(100_000n);
    expect(f.averageMonthlyOutflowMinor).toBe(50_000n);
    expect(f.values).toMatchObject({
      avgMonthlyInflow: 100_000,
      inflowVolatility: 0,
      outflowInflowRatio: 0.5,
      balanceTrend: 0.5,
      transactionsPerMonth: 2,
      activeMonthShare: 1,
      daysSinceLastInflow: 5,
      priorLoanCount: 1,
      priorWorstDaysPastDue: 12,
    });
    expect(f.values.priorOnTimeShare).toBeCloseTo(5 / 6, 12);
    expect(f.values.tenureMonths).toBeCloseTo(66 / 30.4375, 12);
  });

  it('when balances are given, then the trend uses them rather than the running net flow', () => {
    const withBalances = lines
      .slice(0, 6)
      .map((l, i) => ({ ...l, balanceAfterMinor: 1_000_000n - BigInt(i) * 100_000n }));
    expect(extractFeatures(withBalances, '2025-06-30').values.balanceTrend).toBeGreaterThan(0);
  });

  it('when a customer has no lines and no loans, then features take their documented defaults', () => {
    const f = extractFeatures([], '2025-06-30');
    expect(f.averageMonthlyInflowMinor).toBe(0n);
    expect(f.values).toMatchObject({
      avgMonthlyInflow: 0,
      inflowVolatility: 3,
      outflowInflowRatio: 1,
      daysSinceLastInflow: 365,
      priorLoanCount: 0,
      priorOnTimeShare: null,
    });
  });

  it('when features are computed, then they are pure, leave the input alone and stay in their ranges', () => {
    const line = fc.record({
      date: fc.integer({ min: 19_700, max: 20_300 }).map(isoDate),
      amountMinor: fc.bigInt({ min: -5_000_000n, max: 5_000_000n }),
    });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 60 }), (input) => {
        const copy = structuredClone(input);
        const a = extractFeatures(input, '2025-06-30');
        const b = extractFeatures(input, '2025-06-30');
        expect(a).toEqual(b);
        expect(input).toEqual(copy);
        for (const spec of behaviourFeatureSpecs) {
          const v = a.values[spec.name];
          if (v === null || v === undefined) continue;
          expect(v).toBeGreaterThanOrEqual(spec.range![0]);
          expect(v).toBeLessThanOrEqual(spec.range![1]);
        }
      }),
      { numRuns: 200 },
    );
  });
});
