import { formatAmount, maxMinor, type ParseAmountOptions, parseAmount } from './amount.ts';
import { assertCurrencyCode, type CurrencyCode, currencyExponent } from './currency.ts';
import { describeInput, MoneyError } from './errors.ts';

/** Money on the wire: `{ "amount": "1500.50", "currency": "KES" }`. */
export interface MoneyJSON {
  amount: string;
  currency: string;
}

function checkRange(minor: bigint, currency: CurrencyCode): void {
  const max = maxMinor(currency);
  if (minor > max || minor < -max) {
    throw new MoneyError('amount_out_of_range', `${currency} amount of ${minor} minor units is out of range`);
  }
}

/** An immutable amount of one currency, held as bigint minor units within ±maxMinor. */
export class Money {
  private constructor(
    readonly minor: bigint,
    readonly currency: CurrencyCode,
  ) {
    Object.freeze(this);
  }

  /** `minor` minor units of `currency`; throws 'unknown_currency', 'invalid_amount' (not a bigint) or 'amount_out_of_range'. */
  static of(minor: bigint, currency: string): Money {
    const code = assertCurrencyCode(currency);
    if (typeof minor !== 'bigint') {
      throw new MoneyError('invalid_amount', `Minor units must be a bigint, got ${describeInput(minor)}`);
    }
    checkRange(minor, code);
    return new Money(minor, code);
  }

  static zero(currency: string): Money {
    return new Money(0n, assertCurrencyCode(currency));
  }

  /** Parses a wire amount string; see parseAmount. */
  static parse(amount: string, currency: string, options?: ParseAmountOptions): Money {
    return new Money(parseAmount(amount, currency, options), assertCurrencyCode(currency));
  }

  /** Parses `{ amount, currency }`; anything not shaped like MoneyJSON is 'invalid_amount'. */
  static fromJSON(json: MoneyJSON, options?: ParseAmountOptions): Money {
    if (typeof json !== 'object' || json === null) {
      throw new MoneyError('invalid_amount', `Expected { amount, currency }, got ${describeInput(json)}`);
    }
    if (typeof json.currency !== 'string') {
      throw new MoneyError(
        'unknown_currency',
        `Currency must be a string, got ${describeInput(json.currency)}`,
      );
    }
    return Money.parse(json.amount, json.currency, options);
  }

  /** True for Money instances created by this copy of the module. */
  static isMoney(value: unknown): value is Money {
    return value instanceof Money;
  }

  get exponent(): number {
    return currencyExponent(this.currency);
  }

  private sameCurrency(other: Money): void {
    if (!(other instanceof Money)) {
      throw new MoneyError('invalid_amount', `Expected Money, got ${describeInput(other)}`);
    }
    if (other.currency !== this.currency) {
      throw new MoneyError('currency_mismatch', `Cannot combine ${this.currency} with ${other.currency}`);
    }
  }

  add(other: Money): Money {
    this.sameCurrency(other);
    return Money.of(this.minor + other.minor, this.currency);
  }

  subtract(other: Money): Money {
    this.sameCurrency(other);
    return Money.of(this.minor - other.minor, this.currency);
  }

  negate(): Money {
    return new Money(-this.minor, this.currency);
  }

  abs(): Money {
    return this.minor < 0n ? this.negate() : this;
  }

  compare(other: Money): -1 | 0 | 1 {
    this.sameCurrency(other);
    return this.minor < other.minor ? -1 : this.minor > other.minor ? 1 : 0;
  }

  /** Same currency and amount. Unlike compare, a different currency answers false instead of throwing. */
  equals(other: Money): boolean {
    return other instanceof Money && other.currency === this.currency && other.minor === this.minor;
  }

  lessThan(other: Money): boolean {
    return this.compare(other) < 0;
  }

  lessThanOrEqual(other: Money): boolean {
    return this.compare(other) <= 0;
  }

  greaterThan(other: Money): boolean {
    return this.compare(other) > 0;
  }

  greaterThanOrEqual(other: Money): boolean {
    return this.compare(other) >= 0;
  }

  isZero(): boolean {
    return this.minor === 0n;
  }

  isNegative(): boolean {
    return this.minor < 0n;
  }

  isPositive(): boolean {
    return this.minor > 0n;
  }

  /**
   * Splits this amount in proportion to `ratios` by the largest-remainder method: every part gets
   * floor(|amount| * ratio / total), then the minor units left over go one each to the parts with the
   * largest remainders (ties to the earliest index). Parts sum to this amount exactly, and each part
   * differs from its exact share by less than one minor unit; a zero ratio always gets zero.
   * Negative amounts are allocated by absolute value and negated.
   * Ratios: bigint >= 0 or non-negative safe integer numbers, at least one > 0, else 'invalid_ratios'.
   */
  allocate(ratios: readonly (bigint | number)[]): Money[] {
    if (!Array.isArray(ratios) || ratios.length === 0) {
      throw new MoneyError('invalid_ratios', 'At least one ratio is required');
    }
    const weights: bigint[] = [];
    let total = 0n;
    for (const ratio of ratios) {
      let weight: bigint;
      if (typeof ratio === 'bigint') {
        weight = ratio;
      } else if (typeof ratio === 'number' && Number.isSafeInteger(ratio)) {
        weight = BigInt(ratio);
      } else {
        throw new MoneyError('invalid_ratios', `Ratio ${describeInput(ratio)} is not an integer`);
      }
      if (weight < 0n) {
        throw new MoneyError('invalid_ratios', `Ratio ${weight} is negative`);
      }
      weights.push(weight);
      total += weight;
    }
    if (total === 0n) {
      throw new MoneyError('invalid_ratios', 'At least one ratio must be greater than zero');
    }

    const negative = this.minor < 0n;
    const magnitude = negative ? -this.minor : this.minor;
    const parts: bigint[] = [];
    const remainders: bigint[] = [];
    let leftover = magnitude;
    for (const weight of weights) {
      const scaled = magnitude * weight;
      const part = scaled / total;
      parts.push(part);
      remainders.push(scaled % total);
      leftover -= part;
    }
    if (leftover > 0n) {
      // Stable sort by remainder descending keeps ties in index order.
      const order = remainders.map((_, index) => index);
      order.sort((a, b) => {
        const ra = remainders[a] ?? 0n;
        const rb = remainders[b] ?? 0n;
        return ra > rb ? -1 : ra < rb ? 1 : a - b;
      });
      for (const index of order) {
        if (leftover === 0n) break;
        parts[index] = (parts[index] ?? 0n) + 1n;
        leftover -= 1n;
      }
    }
    return parts.map((part) => new Money(negative ? -part : part, this.currency));
  }

  /** Canonical decimal string, e.g. "1500.50" (see formatAmount). */
  toDecimalString(): string {
    return formatAmount(this.minor, this.currency);
  }

  toJSON(): MoneyJSON {
    return { amount: this.toDecimalString(), currency: this.currency };
  }

  /** e.g. "KES 1500.50" (for logs and debugging, not for display to customers). */
  toString(): string {
    return `${this.currency} ${this.toDecimalString()}`;
  }
}

/**
 * Sum of `items`, all of which must be in `currency` ('currency_mismatch' otherwise). An empty list
 * sums to zero. Only the final total is range-checked, so the order of the items does not matter.
 */
export function sumMoney(items: readonly Money[], currency: string): Money {
  const code = assertCurrencyCode(currency);
  let total = 0n;
  for (const item of items) {
    if (!(item instanceof Money)) {
      throw new MoneyError('invalid_amount', `Expected Money, got ${describeInput(item)}`);
    }
    if (item.currency !== code) {
      throw new MoneyError('currency_mismatch', `Cannot add ${item.currency} to a ${code} sum`);
    }
    total += item.minor;
  }
  return Money.of(total, code);
}
