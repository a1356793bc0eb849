import BaseDecimal from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CURRENCY_CODES, Money, MoneyError, type MoneyErrorCode, maxMinor } from '../money/index.ts';
import {
  Decimal,
  multiplyByRate,
  multiplyWithRemainder,
  type RateInput,
  roundMinorHalfEven,
  toDecimal,
} from './index.ts';

function codeOf(fn: () => unknown): MoneyErrorCode | 'no error' | 'other error' {
  try {
    fn();
    return 'no error';
  } catch (error) {
    return error instanceof MoneyError ? error.code : 'other error';
  }
}

const kes = (minor: bigint) => Money.of(minor, 'KES');

/** Reference half-even rounding of num/den (den > 0) to an integer, in pure bigint. */
function halfEvenDiv(num: bigint, den: bigint): bigint {
  let q = num / den;
  let r = num % den;
  if (r < 0n) {
    q -= 1n;
    r += den;
  }
  const twice = 2n * r;
  if (twice > den || (twice === den && q % 2n !== 0n)) q += 1n;
  return q;
}

/** A rate as an exact fraction num / 10^scale, with its decimal string. */
const rateAt = (maxNum: bigint, scaleArb: fc.Arbitrary<number> | number) =>
  fc
    .tuple(
      fc.bigInt({ min: -maxNum, max: maxNum }),
      typeof scaleArb === 'number' ? fc.constant(scaleArb) : scaleArb,
    )
    .map(([num, scale]) => {
      const den = 10n ** BigInt(scale);
      const negative = num < 0n;
      const abs = (negative ? -num : num).toString().padStart(scale + 1, '0');
      const cut = abs.length - scale;
      const text = (negative ? '-' : '') + (scale === 0 ? abs : `${abs.slice(0, cut)}.${abs.slice(cut)}`);
      return { num, den, text };
    });
/** Any rate with up to 12 decimals and |rate| <= 10^12. */
const rateArb = rateAt(10n ** 12n, fc.integer({ min: 0, max: 12 }));
/** Interest-like rates, |rate| <= 1 at any scale up to 12 decimals. */
const smallRateArb = fc.integer({ min: 0, max: 12 }).chain((scale) => rateAt(10n ** BigInt(scale), scale));

describe('Decimal clone', () => {
  it('is configured for money work and private', () => {
    expect(Decimal.precision).toBe(40);
    expect(Decimal.rounding).toBe(Decimal.ROUND_HALF_EVEN);
    expect(Decimal).not.toBe(BaseDecimal);
    expect(BaseDecimal.precision).toBe(20); // the shared default is untouched
  });
});

describe('toDecimal', () => {
  it('is exact, in major units', () => {
    expect(toDecimal(kes(150050n)).toFixed(2)).toBe('1500.50');
    expect(toDecimal(kes(-5n)).toString()).toBe('-0.05');
    expect(toDecimal(Money.of(1500n, 'UGX')).toString()).toBe('1500');
    expect(toDecimal(kes(maxMinor('KES'))).toFixed(2)).toBe('999999999999.99');
    expect(toDecimal(kes(1n))).toBeInstanceOf(Decimal);
  });
});

describe('roundMinorHalfEven', () => {
  it.each<[string, bigint]>([
    ['2.5', 2n],
    ['3.5', 4n],
    ['0.5', 0n],
    ['1.5', 2n],
    ['-2.5', -2n],
    ['-3.5', -4n],
    ['-0.5', 0n],
    ['2.4999999999999999999999999999999999999999999', 2n],
    ['2.5000000000000000000000000000000000000000001', 3n],
    ['12.5', 12n],
    ['13.5', 14n],
    ['7', 7n],
  ])('%s minor -> %s', (exact, expected) => {
    expect(roundMinorHalfEven(new Decimal(exact), 'KES').minor).toBe(expected);
  });

  it('never yields negative zero or exponent notation trouble', () => {
    const m = roundMinorHalfEven(new Decimal('-0.4'), 'KES');
    expect(m.minor).toBe(0n);
    expect(m.toDecimalString()).toBe('0.00');
    expect(roundMinorHalfEven(new Decimal('1e13'), 'KES').minor).toBe(10n ** 13n);
    expect(roundMinorHalfEven(new Decimal('1e-30'), 'KES').minor).toBe(0n);
  });

  it('refuses out-of-range, non-finite and unknown currencies', () => {
    expect(codeOf(() => roundMinorHalfEven(new Decimal('1e14'), 'KES'))).toBe('amount_out_of_range');
    expect(codeOf(() => roundMinorHalfEven(new Decimal('99999999999999.5'), 'KES'))).toBe(
      'amount_out_of_range',
    );
    expect(roundMinorHalfEven(new Decimal('99999999999999.49'), 'KES').minor).toBe(99999999999999n);
    expect(codeOf(() => roundMinorHalfEven(new Decimal(Number.NaN), 'KES'))).toBe('invalid_amount');
    expect(codeOf(() => roundMinorHalfEven(new Decimal('Infinity'), 'KES'))).toBe('invalid_amount');
    expect(codeOf(() => roundMinorHalfEven(new Decimal(1), 'XXX'))).toBe('unknown_currency');
  });
});

describe('multiplyByRate', () => {
  it('rounds the exact product half-even once', () => {
    // "0.125"-type ties: 2.5 -> 2, 3.5 -> 4 minor units.
    expect(multiplyByRate(kes(20n), '0.125').minor).toBe(2n); // 2.5
    expect(multiplyByRate(kes(28n), '0.125').minor).toBe(4n); // 3.5
    expect(multiplyByRate(kes(25n), '0.1').minor).toBe(2n); // 2.5
    expect(multiplyByRate(kes(35n), '0.1').minor).toBe(4n); // 3.5
    expect(multiplyByRate(kes(-25n), '0.1').minor).toBe(-2n);
    expect(multiplyByRate(kes(100000n), '0.135').minor).toBe(13500n);
    expect(multiplyByRate(Money.of(1500n, 'UGX'), '0.135').minor).toBe(202n); // 202.5 -> 202
    expect(multiplyByRate(kes(100n), new Decimal('0.5')).minor).toBe(50n);
    expect(multiplyByRate(kes(100n), '0').isZero()).toBe(true);
    expect(multiplyByRate(kes(100n), '-0.01').minor).toBe(-1n);
    expect(multiplyByRate(kes(100n), '1').minor).toBe(100n);
  });

  it('is exact beyond the 40-digit precision of the clone', () => {
    const rate = '0.123456789012345678901234567890123456789012345678';
    // max KES × a 48-digit rate: the exact product has ~62 digits; only the final rounding may lose anything.
    const max = maxMinor('KES');
    const num = BigInt(rate.replace('0.', ''));
    const den = 10n ** 48n;
    expect(multiplyByRate(kes(max), rate).minor).toBe(halfEvenDiv(max * num, den));
    // A tie broken only in the 49th digit: rounding the rate to 40 digits first would give 2.
    expect(multiplyByRate(kes(1n), '2.50000000000000000000000000000000000000000000001').minor).toBe(3n);
    expect(multiplyByRate(kes(1n), '2.5').minor).toBe(2n);
  });

  it('accepts Decimals from other decimal.js constructors without rounding them', () => {
    const Coarse = BaseDecimal.clone({ precision: 5 });
    expect(multiplyByRate(kes(1n), new Coarse('2.5000000001')).minor).toBe(3n);
  });

  it.each([
    '',
    'abc',
    '1e3',
    '1E-3',
    '.5',
    '5.',
    '+0.1',
    ' 0.1',
    '0.1 ',
    '1,5',
    '0x10',
    'NaN',
    'Infinity',
    '١',
    `0.${'1'.repeat(100)}`,
  ])('rejects rate %j', (rate) => {
    expect(codeOf(() => multiplyByRate(kes(100n), rate))).toBe('invalid_amount');
  });

  it('rejects numbers and non-finite Decimals at run time', () => {
    expect(codeOf(() => multiplyByRate(kes(100n), 0.5 as unknown as RateInput))).toBe('invalid_amount');
    expect(codeOf(() => multiplyByRate(kes(100n), null as unknown as RateInput))).toBe('invalid_amount');
    expect(codeOf(() => multiplyByRate(kes(100n), new Decimal(Number.NaN)))).toBe('invalid_amount');
    expect(codeOf(() => multiplyByRate(kes(100n), new Decimal('-Infinity')))).toBe('invalid_amount');
  });

  it('refuses results beyond the range', () => {
    expect(codeOf(() => multiplyByRate(kes(maxMinor('KES')), '1.01'))).toBe('amount_out_of_range');
  });

  it('matches a pure-bigint half-even reference', () => {
    fc.assert(
      fc.property(
        fc
          .constantFrom(...CURRENCY_CODES)
          .chain((c) => fc.tuple(fc.constant(c), fc.bigInt({ min: -maxMinor(c), max: maxMinor(c) }))),
        rateArb,
        ([currency, minor], rate) => {
          const expected = halfEvenDiv(minor * rate.num, rate.den);
          const max = maxMinor(currency);
          if (expected > max || expected < -max) {
            expect(codeOf(() => multiplyByRate(Money.of(minor, currency), rate.text))).toBe(
              'amount_out_of_range',
            );
          } else {
            expect(multiplyByRate(Money.of(minor, currency), rate.text).minor).toBe(expected);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('multiplyWithRemainder', () => {
  it('returns the rounded result and what rounding left over', () => {
    const first = multiplyWithRemainder(kes(25n), '0.1'); // 2.5
    expect(first.result.minor).toBe(2n);
    expect(first.remainder.toString()).toBe('0.5');
    expect(first.remainder).toBeInstanceOf(Decimal);
    const second = multiplyWithRemainder(kes(25n), '0.1', first.remainder); // 2.5 + 0.5 = 3
    expect(second.result.minor).toBe(3n);
    expect(second.remainder.isZero()).toBe(true);
    const third = multiplyWithRemainder(kes(35n), '0.1'); // 3.5 -> 4, remainder -0.5
    expect(third.result.minor).toBe(4n);
    expect(third.remainder.toString()).toBe('-0.5');
    const carried = multiplyWithRemainder(kes(0n), '0.1', new Decimal('-1.7'));
    expect(carried.result.minor).toBe(-2n);
    expect(carried.remainder.toString()).toBe('0.3');
  });

  it('rejects bad carries', () => {
    expect(codeOf(() => multiplyWithRemainder(kes(1n), '0.1', new Decimal(Number.NaN)))).toBe(
      'invalid_amount',
    );
    expect(codeOf(() => multiplyWithRemainder(kes(1n), '0.1', 0.5 as unknown as Decimal))).toBe(
      'invalid_amount',
    );
  });

  it('daily interest accrual over a year loses no cent', () => {
    // KES 10,000.00 at 13.5 % a year, Actual/365, accrued daily.
    const balance = kes(1_000_000n);
    const daily = new Decimal('0.135').div(365); // rounded to 40 digits: the rate itself is what it is
    let carry: Decimal | undefined;
    let posted = 0n;
    for (let day = 0; day < 365; day++) {
      const { result, remainder } = multiplyWithRemainder(balance, daily, carry);
      posted += result.minor;
      carry = remainder;
    }
    // 1,000,000 × 0.135 = 135,000 minor units over the year (up to the 40-digit daily rate).
    expect(posted).toBe(135_000n);
    expect(carry?.abs().lte('0.5')).toBe(true);
  });

  it('Σ results over N postings with carry stays within 1 minor unit of the rounded exact total', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CURRENCY_CODES),
        fc.array(fc.tuple(fc.bigInt({ min: -(10n ** 10n), max: 10n ** 10n }), smallRateArb), {
          minLength: 1,
          maxLength: 60,
        }),
        (currency, postings) => {
          // Exact total as a fraction over a common denominator 10^12.
          const den = 10n ** 12n;
          let exactNum = 0n;
          let sum = 0n;
          let carry: Decimal | undefined;
          for (const [minor, rate] of postings) {
            exactNum += minor * rate.num * (den / rate.den);
            const { result, remainder } = multiplyWithRemainder(Money.of(minor, currency), rate.text, carry);
            expect(result.currency).toBe(currency);
            expect(remainder.abs().lte('0.5')).toBe(true);
            sum += result.minor;
            carry = remainder;
          }
          const rounded = halfEvenDiv(exactNum, den);
          const diff = sum - rounded;
          expect(diff >= -1n && diff <= 1n).toBe(true);
          // Stronger: nothing is lost at all — Σ results + final remainder is the exact total.
          const final = carry ?? new Decimal(0);
          expect(final.abs().lte('0.5')).toBe(true);
          expect(new Decimal(sum.toString()).plus(final).times(den.toString()).toFixed()).toBe(
            exactNum.toString(),
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});
