import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  defaultScaling,
  gradeFor,
  pdFromScore,
  rawScoreFromPd,
  scoreFromPd,
  validateScaling,
} from './scaling.ts';

describe('score scaling', () => {
  it('when the odds equal the base odds, then the score is the base score', () => {
    const pd = 1 / (1 + defaultScaling.baseOdds);
    expect(scoreFromPd(pd)).toBe(defaultScaling.baseScore);
  });

  it('when the odds double, then the score rises by the points to double the odds', () => {
    const odds = 18;
    expect(rawScoreFromPd(1 / (1 + odds)) - rawScoreFromPd(1 / (1 + odds / 2))).toBeCloseTo(
      defaultScaling.pdo,
      9,
    );
  });

  it('when the PD rises, then the score never rises and stays within 0–1000', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const sLo = scoreFromPd(lo);
          const sHi = scoreFromPd(hi);
          expect(sHi).toBeLessThanOrEqual(sLo);
          for (const s of [sLo, sHi]) {
            expect(Number.isInteger(s)).toBe(true);
            expect(s).toBeGreaterThanOrEqual(0);
            expect(s).toBeLessThanOrEqual(1000);
          }
        },
      ),
    );
  });

  it('when a score is turned back into a PD, then it matches the PD it came from', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 0.999, noNaN: true }), (pd) => {
        expect(pdFromScore(rawScoreFromPd(pd))).toBeCloseTo(pd, 9);
      }),
    );
  });

  it('when grading, then band floors are inclusive and the worst grade catches the rest', () => {
    expect(gradeFor(700)).toBe('A');
    expect(gradeFor(699)).toBe('B');
    expect(gradeFor(540)).toBe('C');
    expect(gradeFor(0)).toBe('F');
  });

  it('when a scaling has a non-positive PDO, then it is rejected', () => {
    expect(() => validateScaling({ ...defaultScaling, pdo: 0 })).toThrow(RangeError);
  });
});
