/**
 * Rate and interest arithmetic on Money (server and risk side only: pulls in decimal.js, so the
 * browser entry point `@wekeza/sdk` does not import this module).
 *
 * Every computation is done exactly and rounded to minor units half-even ONCE, where the amount is
 * posted; multiplyWithRemainder returns what rounding left over so callers can carry it into the
 * next posting of the same accrual stream and never create or lose a cent.
 */
import BaseDecimal from 'decimal.js';
import { formatAmount } from '../money/amount.ts';
import { describeInput, MoneyError } from '../money/errors.ts';
import { Money } from '../money/money.ts';

/** decimal.js configured for money work: 40 significant digits, half-even rounding. A private clone. */
export const Decimal = BaseDecimal.clone({ precision: 40, rounding: BaseDecimal.ROUND_HALF_EVEN });
export type Decimal = BaseDecimal;

/**
 * Internal clone for exact products and sums: multiplication and addition of finite decimals are
 * never rounded at this precision (decimal.js only rounds when a result has more digits than this).
 */
const Exact = BaseDecimal.clone({ precision: 1e9, rounding: BaseDecimal.ROUND_HALF_EVEN });
type Exact = BaseDecimal;

/** A rate as a decimal string ("0.135" = 13.5 %) or a Decimal. Numbers are refused on purpose. */
export type RateInput = string | Decimal;

/** Plain decimal: optional '-', digits, optional '.digits'. No exponent, '+', whitespace or grouping. */
const RATE_PATTERN = /^-?[0-9]+(?:\.[0-9]+)?$/;
/** Longest rate string accepted; far beyond any real rate, short enough to bound the work. */
const MAX_RATE_LENGTH = 64;

function toExact(value: RateInput, what: string): Exact {
  if (typeof value === 'string') {
    if (value.length > MAX_RATE_LENGTH || !RATE_PATTERN.test(value)) {
      throw new MoneyError('invalid_amount', `Invalid ${what} ${describeInput(value)}`);
    }
    return new Exact(value);
  }
  if (BaseDecimal.isDecimal(value)) {
    if (!value.isFinite()) {
      throw new MoneyError('invalid_amount', `${what} must be finite, got ${value.toString()}`);
    }
    return new Exact(value);
  }
  throw new MoneyError(
    'invalid_amount',
    `${what} must be a decimal string or a Decimal, got ${describeInput(value)}`,
  );
}

/** Minor units of `money` as an exact decimal. */
function minorExact(money: Money): Exact {
  return new Exact(money.minor.toString());
}

/** Converts an internal exact value to the exported clone without rounding it. */
function toPublic(value: Exact): Decimal {
  return new Decimal(value);
}

/** `money` in major units, exactly (KES 150050n -> 1500.5). */
export function toDecimal(money: Money): Decimal {
  return new Decimal(formatAmount(money.minor, money.currency));
}

/** Rounds an exact amount in minor units to a whole minor unit, half-even, as Money of `currency`. */
export function roundMinorHalfEven(minorExact: Decimal, currency: string): Money {
  const exact = toExact(minorExact, 'amount');
  const rounded = exact.toDecimalPlaces(0, BaseDecimal.ROUND_HALF_EVEN);
  // toFixed never uses exponent notation, so BigInt can read it.
  return Money.of(BigInt(rounded.toFixed(0)), currency);
}

/** money × rate, computed exactly and rounded to minor units half-even once. */
export function multiplyByRate(money: Money, rate: RateInput): Money {
  return roundMinorHalfEven(toPublic(minorExact(money).times(toExact(rate, 'rate'))), money.currency);
}

/**
 * exact = money × rate + carry (carry in minor units, may be fractional or negative);
 * result = exact rounded half-even to minor units; remainder = exact − result (minor units,
 * |remainder| ≤ 0.5). Feed `remainder` as the next call's `carry` to keep a stream exact:
 * Σ results + final remainder = Σ exact products.
 */
export function multiplyWithRemainder(
  money: Money,
  rate: RateInput,
  carry?: Decimal,
): { result: Money; remainder: Decimal } {
  let exact = minorExact(money).times(toExact(rate, 'rate'));
  if (carry !== undefined) exact = exact.plus(toExact(carry, 'carry'));
  const result = roundMinorHalfEven(toPublic(exact), money.currency);
  const remainder = exact.minus(new Exact(result.minor.toString()));
  return { result, remainder: toPublic(remainder) };
}
