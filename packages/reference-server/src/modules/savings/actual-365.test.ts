import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Exact, interestTimes365, roundInterestTimes365 } from './actual-365.ts';

/** Half-even rounding of the fraction n / d (d > 0) with bigints only: an oracle independent of decimal.js. */
function roundHalfEven(n: bigint, d: bigint): bigint {
  const sign = n < 0n ? -1n : 1n;
  const magnitude = n < 0n ? -n : n;
  let q = magnitude / d;
  const twice = 2n * (magnitude - q * d);
  if (twice > d || (twice === d && q % 2n === 1n)) q += 1n;
  return sign * q;
}

describe('Actual/365 rounding', () => {
  it('when interest × 365 is rounded, then the result is the half-even rounding of the exact quotient (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
        fc.integer({ min: 0, max: 6 }),
        (units, scale) => {
          const value = new Exact(units.toString()).dividedBy(10 ** scale); // exact: a power of ten
          const { minor, remainderTimes365 } = roundInterestTimes365(value);
          // value / 365 = units / (365 × 10^scale)
          expect(minor).toBe(roundHalfEven(units, 365n * 10n ** BigInt(scale)));
          expect(remainderTimes365.equals(value.minus(new Exact(minor.toString()).times(365)))).toBe(true);
          expect(remainderTimes365.abs().lessThanOrEqualTo(182.5)).toBe(true);
        },
      ),
    );
  });

  it('when a quotient lies exactly halfway, then it rounds to the even neighbour', () => {
    expect(roundInterestTimes365(new Exact('182.5')).minor).toBe(0n); // 0.5 → 0
    expect(roundInterestTimes365(new Exact('547.5')).minor).toBe(2n); // 1.5 → 2
    expect(roundInterestTimes365(new Exact('912.5')).minor).toBe(2n); // 2.5 → 2
    expect(roundInterestTimes365(new Exact('-547.5')).minor).toBe(-2n);
    expect(roundInterestTimes365(new Exact('182.6')).minor).toBe(1n);
  });

  it('when interest is computed for a balance, then it is balance × rate × days, exactly', () => {
    expect(interestTimes365(5_000_000n, '0.08', 10).toFixed()).toBe('4000000');
    expect(interestTimes365(1n, '0.123456789012345678', 365).toFixed()).toBe('45.06172798950617247');
    expect(() => interestTimes365(1n, '-0.1')).toThrow(RangeError);
    expect(() => interestTimes365(1n, '1e-3')).toThrow(RangeError);
  });
});
