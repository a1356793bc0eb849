/**
 * The Actual/365 (Fixed) day count (DOMAIN.md "Money"): a day's interest is balance × annual rate / 365,
 * in every year, leap or not.
 *
 * Division by 365 has no finite decimal expansion, so nothing here ever divides until an amount is
 * posted: interest is carried as an exact decimal **times 365** ("interest × 365"), built only from
 * multiplications and additions, which are exact. `roundInterestTimes365` then rounds once, half-even,
 * with integer arithmetic, and returns what rounding left over, still × 365 and exact.
 */

import { Decimal, type RateInput } from '@wekeza/sdk/rates';
import BaseDecimal from 'decimal.js';

/** Days in the Actual/365 (Fixed) year. */
export const DAYS_IN_YEAR = 365;

/**
 * A clone that never rounds a product or a sum (decimal.js rounds only results longer than its
 * precision, and 1e9 digits is its maximum), so "interest × 365" values stay exact.
 */
export const Exact = BaseDecimal.clone({ precision: 1e9, rounding: BaseDecimal.ROUND_HALF_EVEN });
export type Exact = BaseDecimal;

/** Plain, non-negative decimal: digits, optional '.digits'. No sign, exponent or whitespace. */
const RATE = /^[0-9]+(?:\.[0-9]+)?$/;

/** A non-negative annual rate ("0.08" = 8 % a year) as an exact decimal; throws RangeError otherwise. */
export function exactRate(rate: RateInput, what = 'annual rate'): Exact {
  if (typeof rate === 'string') {
    if (rate.length > 64 || !RATE.test(rate)) throw new RangeError(`Invalid ${what} ${JSON.stringify(rate)}`);
    return new Exact(rate);
  }
  if (BaseDecimal.isDecimal(rate) && rate.isFinite() && !rate.isNegative()) return new Exact(rate);
  throw new RangeError(`Invalid ${what}: a non-negative decimal string or Decimal is required`);
}

/** An exact decimal stored as a string (as services keep "interest × 365"); throws RangeError on anything else. */
export function exactStored(value: string, what: string): Exact {
  if (typeof value !== 'string' || !/^-?[0-9]+(?:\.[0-9]+)?$/.test(value)) {
    throw new RangeError(`Invalid ${what} ${JSON.stringify(value)}`);
  }
  return new Exact(value);
}

/** Interest × 365 of `minor` minor units at `annualRate` for `days` days: minor × rate × days, exact. */
export function interestTimes365(minor: bigint, annualRate: RateInput, days: number | bigint = 1): Exact {
  return new Exact(minor.toString()).times(exactRate(annualRate)).times(days.toString());
}

/**
 * Rounds interest × 365 to whole minor units, half-even, exactly: `minor` = round(times365 / 365) and
 * `remainderTimes365` = times365 − 365 × minor (so |remainder| ≤ 182.5, i.e. at most half a minor unit).
 */
export function roundInterestTimes365(times365: Exact): { minor: bigint; remainderTimes365: Exact } {
  const magnitude = times365.abs();
  let quotient = magnitude.dividedToIntegerBy(DAYS_IN_YEAR); // truncated: exact for finite decimals
  const leftover = magnitude.minus(quotient.times(DAYS_IN_YEAR)); // 0 ≤ leftover < 365
  const twice = leftover.times(2);
  if (twice.greaterThan(DAYS_IN_YEAR) || (twice.equals(DAYS_IN_YEAR) && !quotient.mod(2).isZero())) {
    quotient = quotient.plus(1);
  }
  const minor = BigInt(quotient.toFixed(0)) * (times365.isNegative() ? -1n : 1n);
  return { minor, remainderTimes365: times365.minus(new Exact(minor.toString()).times(DAYS_IN_YEAR)) };
}

/** Interest × 365 shown as minor units (for display only: 40 significant digits, half-even). */
export function fromTimes365(times365: Exact): Decimal {
  return new Decimal(times365).dividedBy(DAYS_IN_YEAR);
}
