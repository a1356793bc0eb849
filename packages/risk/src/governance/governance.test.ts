import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calibration, chiSquareSurvival } from './calibration.ts';
import { auc, gini, ks } from './discrimination.ts';
import { portfolioQuality } from './portfolio.ts';
import { psi, psiOfSamples, stabilityStatus } from './psi.ts';

describe('discrimination', () => {
  it('when every bad is riskier than every good, then AUC is 1, Gini 1 and KS 1', () => {
    const risk = [0.1, 0.2, 0.3, 0.8, 0.9];
    const bad = [0, 0, 0, 1, 1];
    expect(auc(risk, bad)).toBe(1);
    expect(gini(risk, bad)).toBe(1);
    expect(ks(risk, bad)).toBe(1);
  });

  it('when the ranking is reversed or all tied, then AUC is 0 or one half', () => {
    expect(auc([0.9, 0.1], [0, 1])).toBe(0);
    expect(auc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
    expect(ks([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0);
  });

  it('when computed on a small known case, then AUC counts concordant pairs with ties as one half', () => {
    // pairs (bad, good): (0.4 vs 0.1) 1, (0.4 vs 0.4) 0.5, (0.35 vs 0.1) 1, (0.35 vs 0.4) 0 → 2.5 / 4
    expect(auc([0.1, 0.4, 0.35, 0.4], [0, 0, 1, 1])).toBe(0.625);
  });
});

describe('population stability', () => {
  it('when two distributions are equal, then PSI is 0 and stable', () => {
    expect(psi([10, 20, 30], [1, 2, 3]).value).toBeCloseTo(0, 12);
  });

  it('when distributions differ, then PSI is never negative', () => {
    const counts = fc.array(fc.nat({ max: 1000 }), { minLength: 3, maxLength: 3 });
    fc.assert(
      fc.property(counts, counts, (e, a) => {
        expect(psi(e, a).value).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('when PSI crosses 0.1 and 0.25, then the status moves from stable to monitor to shifted', () => {
    expect(stabilityStatus(0.05)).toBe('stable');
    expect(stabilityStatus(0.1)).toBe('monitor');
    expect(stabilityStatus(0.25)).toBe('shifted');
  });

  it('when a sample is shifted by a standard deviation, then PSI flags it', () => {
    const base = Array.from({ length: 5000 }, (_, i) => (i / 5000) * 10);
    expect(psiOfSamples(base, base).value).toBe(0);
    expect(
      psiOfSamples(
        base,
        base.map((x) => x + 3),
      ).status,
    ).toBe('shifted');
  });
});

describe('calibration', () => {
  it('when predicted PDs match observed rates, then Hosmer-Lemeshow does not reject', () => {
    const pd: number[] = [];
    const bad: number[] = [];
    for (let g = 0; g < 10; g++)
      for (let i = 0; i < 100; i++) {
        pd.push((g + 1) / 20);
        bad.push(i < g * 5 + 5 ? 1 : 0);
      }
    const c = calibration(pd, bad);
    expect(c.bands).toHaveLength(10);
    expect(c.hosmerLemeshow.statistic).toBeCloseTo(0, 9);
    expect(c.hosmerLemeshow.pValue).toBeCloseTo(1, 6);
  });

  it('when the chi-square survival function is checked against tables, then it matches', () => {
    expect(chiSquareSurvival(15.507, 8)).toBeCloseTo(0.05, 3);
    expect(chiSquareSurvival(3.841, 1)).toBeCloseTo(0.05, 3);
  });
});

describe('portfolio quality', () => {
  it('when loans are past due, then PAR30 and NPL ratio are exact shares of outstanding by band', () => {
    const q = portfolioQuality([
      { score: 720, outstandingMinor: 300_000n, daysPastDue: 0 },
      { score: 710, outstandingMinor: 100_000n, daysPastDue: 45 },
      { score: 400, outstandingMinor: 200_000n, daysPastDue: 120 },
      { score: 390, outstandingMinor: 200_000n, daysPastDue: 10 },
    ]);
    expect(q.total).toMatchObject({
      outstandingMinor: 800_000n,
      par30Minor: 300_000n,
      nplMinor: 200_000n,
      par30: 0.375,
      nplRatio: 0.25,
    });
    expect(q.byGrade.find((b) => b.grade === 'A')).toMatchObject({ loans: 2, par30: 0.25, nplRatio: 0 });
    expect(q.byGrade.find((b) => b.grade === 'E')).toMatchObject({ loans: 2, par30: 0.5, nplRatio: 0.5 });
    expect(q.byGrade.find((b) => b.grade === 'B')).toMatchObject({ loans: 0, par30: 0 });
  });
});
