/**
 * Exact arithmetic shared by the loan calculators: rates as fractions of bigints, and half-even
 * division, so a rounded amount such as round(outstanding × rate / 12) is computed with no
 * intermediate rounding at all.
 */
import { Decimal } from '@wekeza/sdk/rates';

/** A non-negative rate as the exact fraction num / den ("0.18" → 18 / 100). */
export interface Ratio {
  readonly num: bigint;
  readonly den: bigint;
}

const RATE_PATTERN = /^[0-9]{1,12}(?:\.[0-9]{1,20})?$/;

/** Reads a non-negative decimal rate string; throws RangeError naming `what` otherwise. */
export function parseRate(rate: string, what: string): Ratio {
  if (typeof rate !== 'string' || !RATE_PATTERN.test(rate)) {
    throw new RangeError(`${what} must be a non-negative decimal string such as "0.18", got ${String(rate)}`);
  }
  const [whole = '', fraction = ''] = rate.split('.');
  return { num: BigInt(whole + fraction), den: 10n ** BigInt(fraction.length) };
}

/** num / den rounded half-even to an integer (den > 0). */
export function divHalfEven(num: bigint, den: bigint): bigint {
  let quotient = num / den;
  let rest = num % den;
  // bigint division truncates towards zero; make the rest non-negative first.
  if (rest < 0n) {
    quotient -= 1n;
    rest += den;
  }
  const twice = 2n * rest;
  if (twice > den || (twice === den && quotient % 2n !== 0n)) quotient += 1n;
  return quotient;
}

/** A Decimal rounded half-even to a bigint. */
export function roundDecimal(value: Decimal): bigint {
  return BigInt(value.toDecimalPlaces(0, Decimal.ROUND_HALF_EVEN).toFixed(0));
}

export function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

export function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
