import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CURRENCY_CODES, Money, MoneyError, type MoneyErrorCode, maxMinor, sumMoney } from './index.ts';

function codeOf(fn: () => unknown): MoneyErrorCode | 'no error' | 'other error' {
  try {
    fn();
    return 'no error';
  } catch (error) {
    return error instanceof MoneyError ? error.code : 'other error';
  }
}

const kes = (minor: bigint) => Money.of(minor, 'KES');
const MAX_KES = maxMinor('KES');

describe('construction', () => {
  it('of / zero / parse / fromJSON', () => {
    const m = Money.of(150050n, 'KES');
    expect(m.minor).toBe(150050n);
    expect(m.currency).toBe('KES');
    expect(m.exponent).toBe(2);
    expect(Money.zero('UGX').minor).toBe(0n);
    expect(Money.zero('UGX').exponent).toBe(0);
    expect(Money.parse('1500.5', 'KES').equals(m)).toBe(true);
    expect(Money.fromJSON({ amount: '1500.50', currency: 'KES' }).equals(m)).toBe(true);
    expect(Money.fromJSON({ amount: '-1.00', currency: 'KES' }, { signed: true }).minor).toBe(-100n);
    expect(Money.of(MAX_KES, 'KES').minor).toBe(MAX_KES);
    expect(Money.of(-MAX_KES, 'KES').minor).toBe(-MAX_KES);
  });

  it('is immutable', () => {
    const m = kes(1n);
    expect(Object.isFrozen(m)).toBe(true);
    expect(() => {
      (m as unknown as { minor: bigint }).minor = 5n;
    }).toThrow(TypeError);
  });

  it.each<[() => unknown, MoneyErrorCode]>([
    [() => Money.of(1n, 'XXX'), 'unknown_currency'],
    [() => Money.zero('usd'), 'unknown_currency'],
    [() => Money.of(MAX_KES + 1n, 'KES'), 'amount_out_of_range'],
    [() => Money.of(-MAX_KES - 1n, 'KES'), 'amount_out_of_range'],
    [() => Money.of(1000000000000n, 'UGX'), 'amount_out_of_range'],
    [() => Money.of(5 as unknown as bigint, 'KES'), 'invalid_amount'],
    [() => Money.of(undefined as unknown as bigint, 'KES'), 'invalid_amount'],
    [() => Money.parse('1.005', 'KES'), 'invalid_amount'],
    [() => Money.parse('-1', 'KES'), 'invalid_amount'],
    [() => Money.parse('1', 'XXX'), 'unknown_currency'],
    [() => Money.fromJSON({ amount: '-1.00', currency: 'KES' }), 'invalid_amount'],
    [() => Money.fromJSON({ amount: 5 as unknown as string, currency: 'KES' }), 'invalid_amount'],
    [() => Money.fromJSON({ amount: '5', currency: 'XXX' }), 'unknown_currency'],
    [
      () => Money.fromJSON({ amount: '5' } as unknown as { amount: string; currency: string }),
      'unknown_currency',
    ],
    [() => Money.fromJSON(null as unknown as { amount: string; currency: string }), 'invalid_amount'],
    [() => Money.fromJSON('5' as unknown as { amount: string; currency: string }), 'invalid_amount'],
  ])('rejects case %#', (fn, code) => {
    expect(codeOf(fn)).toBe(code);
  });
});

describe('serialisation', () => {
  it('toDecimalString / toJSON / toString', () => {
    expect(kes(150050n).toDecimalString()).toBe('1500.50');
    expect(kes(-500n).toDecimalString()).toBe('-5.00');
    expect(kes(5n).toString()).toBe('KES 0.05');
    expect(Money.of(1500n, 'UGX').toString()).toBe('UGX 1500');
    expect(kes(150050n).toJSON()).toEqual({ amount: '1500.50', currency: 'KES' });
    expect(JSON.stringify({ balance: kes(150050n) })).toBe(
      '{"balance":{"amount":"1500.50","currency":"KES"}}',
    );
    expect(`${kes(-1n)}`).toBe('KES -0.01');
  });

  it('JSON round-trips', () => {
    fc.assert(
      fc.property(currencyAndMinor, ([currency, minor]) => {
        const m = Money.of(minor, currency);
        const back = Money.fromJSON(JSON.parse(JSON.stringify(m)), { signed: true });
        expect(back.equals(m)).toBe(true);
      }),
    );
  });
});

describe('arithmetic and comparison', () => {
  it('add / subtract / negate / abs', () => {
    expect(kes(150n).add(kes(50n)).minor).toBe(200n);
    expect(kes(150n).subtract(kes(200n)).minor).toBe(-50n);
    expect(kes(150n).negate().minor).toBe(-150n);
    expect(kes(-150n).abs().minor).toBe(150n);
    expect(kes(150n).abs().minor).toBe(150n);
    expect(kes(0n).negate().minor).toBe(0n);
    expect(kes(MAX_KES).negate().minor).toBe(-MAX_KES);
  });

  it('refuses currency mismatches', () => {
    const usd = Money.of(1n, 'USD');
    for (const fn of [
      () => kes(1n).add(usd),
      () => kes(1n).subtract(usd),
      () => kes(1n).compare(usd),
      () => kes(1n).lessThan(usd),
      () => kes(1n).lessThanOrEqual(usd),
      () => kes(1n).greaterThan(usd),
      () => kes(1n).greaterThanOrEqual(usd),
    ]) {
      expect(codeOf(fn)).toBe('currency_mismatch');
    }
    expect(kes(1n).equals(usd)).toBe(false);
    expect(kes(0n).equals(Money.zero('KES'))).toBe(true);
  });

  it('refuses results beyond the range', () => {
    expect(codeOf(() => kes(MAX_KES).add(kes(1n)))).toBe('amount_out_of_range');
    expect(codeOf(() => kes(-MAX_KES).subtract(kes(1n)))).toBe('amount_out_of_range');
    expect(kes(MAX_KES).add(kes(-1n)).minor).toBe(MAX_KES - 1n);
  });

  it('refuses non-Money operands at run time', () => {
    expect(codeOf(() => kes(1n).add({ minor: 1n, currency: 'KES' } as unknown as Money))).toBe(
      'invalid_amount',
    );
    expect(kes(1n).equals({ minor: 1n, currency: 'KES' } as unknown as Money)).toBe(false);
  });

  it('comparisons', () => {
    const a = kes(100n);
    const b = kes(200n);
    expect(a.compare(b)).toBe(-1);
    expect(b.compare(a)).toBe(1);
    expect(a.compare(kes(100n))).toBe(0);
    expect(a.lessThan(b)).toBe(true);
    expect(a.lessThanOrEqual(b)).toBe(true);
    expect(a.lessThanOrEqual(kes(100n))).toBe(true);
    expect(a.greaterThan(b)).toBe(false);
    expect(a.greaterThanOrEqual(kes(100n))).toBe(true);
    expect(b.greaterThan(a)).toBe(true);
    expect(kes(0n).isZero()).toBe(true);
    expect(kes(0n).isPositive()).toBe(false);
    expect(kes(0n).isNegative()).toBe(false);
    expect(kes(-1n).isNegative()).toBe(true);
    expect(kes(1n).isPositive()).toBe(true);
  });

  it('add and subtract are inverse', () => {
    fc.assert(
      fc.property(currencyAndTwoHalves, ([currency, x, y]) => {
        const a = Money.of(x, currency);
        const b = Money.of(y, currency);
        expect(a.add(b).subtract(b).equals(a)).toBe(true);
        expect(a.subtract(b).add(b).equals(a)).toBe(true);
        expect(a.add(b).equals(b.add(a))).toBe(true);
        expect(a.add(b.negate()).equals(a.subtract(b))).toBe(true);
      }),
    );
  });

  it('compare is antisymmetric and consistent with equals', () => {
    fc.assert(
      fc.property(currencyAndTwo, ([currency, x, y]) => {
        const a = Money.of(x, currency);
        const b = Money.of(y, currency);
        expect(a.compare(b)).toBe(-b.compare(a) || 0);
        expect(a.compare(b) === 0).toBe(a.equals(b));
        expect(a.lessThan(b)).toBe(b.greaterThan(a));
        expect(a.lessThanOrEqual(b)).toBe(b.greaterThanOrEqual(a));
        expect(a.lessThan(b) || a.equals(b) || a.greaterThan(b)).toBe(true);
        expect(a.compare(a)).toBe(0);
      }),
    );
  });
});

const currencyArb = fc.constantFrom(...CURRENCY_CODES);
const currencyAndMinor = currencyArb.chain((currency) =>
  fc.tuple(fc.constant(currency), fc.bigInt({ min: -maxMinor(currency), max: maxMinor(currency) })),
);
const currencyAndTwo = currencyArb.chain((currency) => {
  const max = maxMinor(currency);
  return fc.tuple(fc.constant(currency), fc.bigInt({ min: -max, max }), fc.bigInt({ min: -max, max }));
});
/** Two amounts whose sum and difference stay in range. */
const currencyAndTwoHalves = currencyArb.chain((currency) => {
  const half = maxMinor(currency) / 2n;
  return fc.tuple(
    fc.constant(currency),
    fc.bigInt({ min: -half, max: half }),
    fc.bigInt({ min: -half, max: half }),
  );
});

describe('allocate', () => {
  const parts = (m: Money, ratios: readonly (bigint | number)[]) => m.allocate(ratios).map((p) => p.minor);

  it('examples', () => {
    expect(parts(kes(100n), [1, 1, 1])).toEqual([34n, 33n, 33n]);
    expect(parts(kes(-100n), [1, 1, 1])).toEqual([-34n, -33n, -33n]);
    expect(parts(kes(5n), [3, 7])).toEqual([2n, 3n]); // 1.5 / 3.5: tie of .5, earliest index wins
    expect(parts(kes(10n), [1, 0, 1])).toEqual([5n, 0n, 5n]);
    expect(parts(kes(1n), [0, 1, 1])).toEqual([0n, 1n, 0n]);
    expect(parts(kes(2n), [1, 1, 1])).toEqual([1n, 1n, 0n]);
    expect(parts(kes(7n), [1n, 2n])).toEqual([2n, 5n]); // 2.33 / 4.67: largest remainder to index 1
    expect(parts(kes(0n), [1, 2])).toEqual([0n, 0n]);
    expect(parts(kes(1000n), [70, 20, 10])).toEqual([700n, 200n, 100n]);
    expect(parts(kes(MAX_KES), [1])).toEqual([MAX_KES]);
    expect(parts(kes(MAX_KES), [Number.MAX_SAFE_INTEGER, 1])).toEqual([MAX_KES, 0n]);
    expect(parts(kes(3n), [2n ** 200n, 2n ** 200n, 2n ** 200n])).toEqual([1n, 1n, 1n]);
    const allocated = Money.of(100n, 'UGX').allocate([1, 2]);
    expect(allocated.every((p) => p.currency === 'UGX')).toBe(true);
  });

  it.each<[string, readonly (bigint | number)[]]>([
    ['empty', []],
    ['all zero', [0, 0]],
    ['all zero bigint', [0n]],
    ['negative number', [1, -1]],
    ['negative bigint', [2n, -1n]],
    ['fraction', [0.5, 0.5]],
    ['NaN', [Number.NaN]],
    ['Infinity', [Number.POSITIVE_INFINITY]],
    ['unsafe integer', [2 ** 53]],
    ['string', ['1' as unknown as number]],
  ])('rejects %s ratios', (_, ratios) => {
    expect(codeOf(() => kes(100n).allocate(ratios))).toBe('invalid_ratios');
  });

  it('rejects a non-array', () => {
    expect(codeOf(() => kes(100n).allocate(undefined as unknown as number[]))).toBe('invalid_ratios');
  });

  it('sums to the whole; each part within 1 minor unit of its exact share', () => {
    const ratio = fc.oneof(
      fc.integer({ min: 0, max: 1000 }),
      fc.bigInt({ min: 0n, max: 10n ** 30n }),
      fc.constant(Number.MAX_SAFE_INTEGER),
    );
    fc.assert(
      fc.property(
        currencyAndMinor,
        fc.array(ratio, { minLength: 1, maxLength: 20 }).filter((r) => r.some((x) => BigInt(x) > 0n)),
        ([currency, minor], ratios) => {
          const m = Money.of(minor, currency);
          const result = m.allocate(ratios);
          expect(result).toHaveLength(ratios.length);
          expect(sumMoney(result, currency).equals(m)).toBe(true);
          const weights = ratios.map((r) => BigInt(r));
          const total = weights.reduce((a, b) => a + b, 0n);
          result.forEach((part, i) => {
            const w = weights[i] ?? 0n;
            expect(part.currency).toBe(currency);
            // |part - minor * w / total| < 1  <=>  |part * total - minor * w| < total
            const diff = part.minor * total - minor * w;
            expect(diff < total && diff > -total).toBe(true);
            if (w === 0n) expect(part.minor).toBe(0n);
            // All parts share the sign of the whole.
            if (minor >= 0n) expect(part.minor >= 0n).toBe(true);
            else expect(part.minor <= 0n).toBe(true);
          });
          // Negative amounts allocate as the negation of the positive allocation.
          const mirrored = m.negate().allocate(ratios);
          mirrored.forEach((part, i) => {
            expect(part.minor).toBe(-(result[i]?.minor ?? 0n));
          });
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('equal ratios differ by at most one minor unit, extra units go to the earliest parts', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_KES }), fc.integer({ min: 1, max: 50 }), (minor, n) => {
        const result = kes(minor)
          .allocate(Array.from({ length: n }, () => 1))
          .map((p) => p.minor);
        for (let i = 1; i < result.length; i++) {
          const prev = result[i - 1] ?? 0n;
          const cur = result[i] ?? 0n;
          expect(prev - cur === 0n || prev - cur === 1n).toBe(true);
        }
      }),
    );
  });
});

describe('sumMoney', () => {
  it('sums, with zero for an empty list', () => {
    expect(sumMoney([], 'KES').equals(Money.zero('KES'))).toBe(true);
    expect(sumMoney([kes(1n), kes(2n), kes(-4n)], 'KES').minor).toBe(-1n);
  });

  it('range-checks only the total', () => {
    expect(sumMoney([kes(MAX_KES), kes(MAX_KES), kes(-MAX_KES)], 'KES').minor).toBe(MAX_KES);
    expect(codeOf(() => sumMoney([kes(MAX_KES), kes(1n)], 'KES'))).toBe('amount_out_of_range');
  });

  it('refuses mismatches and unknown currencies', () => {
    expect(codeOf(() => sumMoney([kes(1n), Money.of(1n, 'USD')], 'KES'))).toBe('currency_mismatch');
    expect(codeOf(() => sumMoney([kes(1n)], 'USD'))).toBe('currency_mismatch');
    expect(codeOf(() => sumMoney([], 'XXX'))).toBe('unknown_currency');
  });
});
