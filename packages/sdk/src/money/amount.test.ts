import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CURRENCY_CODES,
  type CurrencyCode,
  currencyExponent,
  formatAmount,
  MoneyError,
  type MoneyErrorCode,
  maxMinor,
  type ParseAmountOptions,
  parseAmount,
  tryParseAmount,
} from './index.ts';

function codeOf(fn: () => unknown): MoneyErrorCode | 'no error' | 'other error' {
  try {
    fn();
    return 'no error';
  } catch (error) {
    return error instanceof MoneyError ? error.code : 'other error';
  }
}

describe('maxMinor', () => {
  it('is 999,999,999,999 major units with every minor digit', () => {
    expect(maxMinor('KES')).toBe(99999999999999n);
    expect(maxMinor('UGX')).toBe(999999999999n);
    expect(maxMinor('JPY')).toBe(999999999999n);
    expect(formatAmount(maxMinor('KES'), 'KES')).toBe('999999999999.99');
    for (const code of CURRENCY_CODES) {
      expect(maxMinor(code)).toBe(10n ** BigInt(12 + currencyExponent(code)) - 1n);
    }
  });

  it('rejects unknown currencies', () => {
    expect(codeOf(() => maxMinor('XXX'))).toBe('unknown_currency');
  });
});

describe('parseAmount accepts', () => {
  const cases: [string, string, bigint, ParseAmountOptions?][] = [
    ['1500.50', 'KES', 150050n],
    ['1500.5', 'KES', 150050n],
    ['1.5', 'KES', 150n],
    ['0', 'KES', 0n],
    ['0.0', 'KES', 0n],
    ['0.00', 'KES', 0n],
    ['0.05', 'KES', 5n],
    ['0.5', 'KES', 50n],
    ['10', 'KES', 1000n],
    ['1500', 'UGX', 1500n],
    ['0', 'UGX', 0n],
    ['7', 'JPY', 7n],
    ['999999999999.99', 'KES', 99999999999999n],
    ['999999999999', 'UGX', 999999999999n],
    ['-5', 'KES', -500n, { signed: true }],
    ['-5.00', 'KES', -500n, { signed: true }],
    ['-0.01', 'KES', -1n, { signed: true }],
    ['-999999999999.99', 'KES', -99999999999999n, { signed: true }],
    ['-12', 'RWF', -12n, { signed: true }],
    ['5', 'KES', 500n, { signed: true }],
  ];
  it.each(cases)('%j %s -> %s', (input, currency, expected, options) => {
    expect(parseAmount(input, currency, options)).toBe(expected);
    expect(tryParseAmount(input, currency, options)).toBe(expected);
  });
});

describe('parseAmount rejects', () => {
  const cases: [string, string, MoneyErrorCode, ParseAmountOptions?][] = [
    ['1.005', 'KES', 'invalid_amount'],
    ['1.005', 'KES', 'invalid_amount', { signed: true }],
    ['-5', 'KES', 'invalid_amount'],
    ['-5', 'KES', 'invalid_amount', { signed: false }],
    ['-5.00', 'KES', 'invalid_amount'],
    ['1e3', 'KES', 'invalid_amount'],
    ['1E3', 'KES', 'invalid_amount'],
    ['', 'KES', 'invalid_amount'],
    ['', 'KES', 'invalid_amount', { signed: true }],
    ['abc', 'KES', 'invalid_amount'],
    [' 1', 'KES', 'invalid_amount'],
    ['1 ', 'KES', 'invalid_amount'],
    ['1\n', 'KES', 'invalid_amount'],
    ['\t1', 'KES', 'invalid_amount'],
    ['1.', 'KES', 'invalid_amount'],
    ['.5', 'KES', 'invalid_amount'],
    ['+5', 'KES', 'invalid_amount'],
    ['+5', 'KES', 'invalid_amount', { signed: true }],
    ['01', 'KES', 'invalid_amount'],
    ['00', 'KES', 'invalid_amount'],
    ['00.5', 'KES', 'invalid_amount'],
    ['-01', 'KES', 'invalid_amount', { signed: true }],
    ['1,000', 'KES', 'invalid_amount'],
    ['1,000.00', 'KES', 'invalid_amount'],
    ['1 000', 'KES', 'invalid_amount'],
    ['1_000', 'KES', 'invalid_amount'],
    ['0x10', 'KES', 'invalid_amount'],
    ['0b1', 'KES', 'invalid_amount'],
    ['0o7', 'KES', 'invalid_amount'],
    ['Infinity', 'KES', 'invalid_amount'],
    ['-Infinity', 'KES', 'invalid_amount', { signed: true }],
    ['NaN', 'KES', 'invalid_amount'],
    ['١٢', 'KES', 'invalid_amount'],
    ['１２', 'KES', 'invalid_amount'],
    ['1.٥', 'KES', 'invalid_amount'],
    ['-0', 'KES', 'invalid_amount', { signed: true }],
    ['-0', 'KES', 'invalid_amount'],
    ['-0.0', 'KES', 'invalid_amount', { signed: true }],
    ['-0.00', 'KES', 'invalid_amount', { signed: true }],
    ['-0', 'UGX', 'invalid_amount', { signed: true }],
    ['--5', 'KES', 'invalid_amount', { signed: true }],
    ['5-', 'KES', 'invalid_amount', { signed: true }],
    ['1.2.3', 'KES', 'invalid_amount'],
    ['1.-2', 'KES', 'invalid_amount'],
    ['1.5', 'UGX', 'invalid_amount'],
    ['1.0', 'UGX', 'invalid_amount'],
    ['1.', 'UGX', 'invalid_amount'],
    ['1.0', 'JPY', 'invalid_amount'],
    ['1.0', 'RWF', 'invalid_amount'],
    ['1.000', 'USD', 'invalid_amount'],
    ['5n', 'KES', 'invalid_amount'],
    ['1000000000000', 'KES', 'amount_out_of_range'],
    ['1000000000000.00', 'KES', 'amount_out_of_range'],
    ['-1000000000000', 'KES', 'amount_out_of_range', { signed: true }],
    ['1000000000000', 'UGX', 'amount_out_of_range'],
    ['99999999999999999999999999999999999999', 'KES', 'amount_out_of_range'],
    ['5', 'XXX', 'unknown_currency'],
    ['5', 'kes', 'unknown_currency'],
    ['abc', 'XXX', 'unknown_currency'],
    ['5', '', 'unknown_currency'],
  ];
  it.each(cases)('%j %j -> %s (%o)', (input, currency, code, options) => {
    expect(codeOf(() => parseAmount(input, currency, options))).toBe(code);
    expect(tryParseAmount(input, currency, options)).toBeUndefined();
  });

  it('rejects non-string amounts at run time (never coerces numbers)', () => {
    for (const value of [5, 1.5, 5n, null, undefined, {}, ['5'], Number.NaN]) {
      expect(codeOf(() => parseAmount(value as unknown as string, 'KES'))).toBe('invalid_amount');
    }
  });

  it('rejects a huge string quickly as out of range', () => {
    const huge = '9'.repeat(1_000_000);
    expect(codeOf(() => parseAmount(huge, 'KES'))).toBe('amount_out_of_range');
    expect(codeOf(() => parseAmount(`${huge}x`, 'KES'))).toBe('invalid_amount');
  });

  it('does not echo huge inputs in error messages', () => {
    try {
      parseAmount('x'.repeat(10_000), 'KES');
    } catch (error) {
      expect((error as Error).message.length).toBeLessThan(200);
    }
  });

  it('tryParseAmount rethrows nothing for bad input', () => {
    expect(tryParseAmount('1.005', 'KES')).toBeUndefined();
    expect(tryParseAmount('5', 'XXX')).toBeUndefined();
  });
});

describe('formatAmount', () => {
  const cases: [bigint, string, string][] = [
    [150050n, 'KES', '1500.50'],
    [5n, 'KES', '0.05'],
    [50n, 'KES', '0.50'],
    [0n, 'KES', '0.00'],
    [1n, 'KES', '0.01'],
    [100n, 'KES', '1.00'],
    [-500n, 'KES', '-5.00'],
    [-5n, 'KES', '-0.05'],
    [-1n, 'KES', '-0.01'],
    [-150050n, 'KES', '-1500.50'],
    [99999999999999n, 'KES', '999999999999.99'],
    [100000000n, 'USD', '1000000.00'],
    [1500n, 'UGX', '1500'],
    [0n, 'UGX', '0'],
    [-7n, 'UGX', '-7'],
    [1n, 'JPY', '1'],
    [999999999999n, 'RWF', '999999999999'],
    [12345n, 'TZS', '123.45'],
  ];
  it.each(cases)('%s %s -> %j', (minor, currency, expected) => {
    expect(formatAmount(minor, currency)).toBe(expected);
  });

  it('rejects unknown currencies and non-bigint minor units', () => {
    expect(codeOf(() => formatAmount(5n, 'XXX'))).toBe('unknown_currency');
    expect(codeOf(() => formatAmount(5 as unknown as bigint, 'KES'))).toBe('invalid_amount');
  });
});

const currencyArb = fc.constantFrom(...CURRENCY_CODES);

/** A currency and a bigint anywhere in its [-max, max] range. */
const currencyAndMinor = currencyArb.chain((currency) =>
  fc.tuple(fc.constant(currency), fc.bigInt({ min: -maxMinor(currency), max: maxMinor(currency) })),
);

/** Canonical amount strings built from digits: no leading zeros, exactly exp decimals. */
function canonicalString(currency: CurrencyCode, signed: boolean): fc.Arbitrary<string> {
  const exp = currencyExponent(currency);
  const digit = fc.constantFrom(...'0123456789');
  const integer = fc.oneof(
    fc.constant('0'),
    fc
      .tuple(fc.constantFrom(...'123456789'), fc.array(digit, { maxLength: 11 }))
      .map(([first, rest]) => first + rest.join('')),
  );
  const fraction = fc.array(digit, { minLength: exp, maxLength: exp }).map((d) => d.join(''));
  return fc
    .tuple(signed ? fc.boolean() : fc.constant(false), integer, fraction)
    .map(([negative, int, frac]) => {
      const body = exp === 0 ? int : `${int}.${frac}`;
      const isZero = /^[0.]+$/.test(body);
      return negative && !isZero ? `-${body}` : body;
    });
}

describe('properties', () => {
  it('parseAmount(formatAmount(m), signed) === m for every currency and m in [-max, max]', () => {
    fc.assert(
      fc.property(currencyAndMinor, ([currency, minor]) => {
        expect(parseAmount(formatAmount(minor, currency), currency, { signed: true })).toBe(minor);
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips the range edges', () => {
    for (const currency of CURRENCY_CODES) {
      for (const minor of [0n, 1n, -1n, maxMinor(currency), -maxMinor(currency)]) {
        expect(parseAmount(formatAmount(minor, currency), currency, { signed: true })).toBe(minor);
      }
      expect(codeOf(() => parseAmount(formatAmount(maxMinor(currency) + 1n, currency), currency))).toBe(
        'amount_out_of_range',
      );
    }
  });

  it('unsigned parsing accepts exactly the non-negative formatted values', () => {
    fc.assert(
      fc.property(currencyAndMinor, ([currency, minor]) => {
        const parsed = tryParseAmount(formatAmount(minor, currency), currency);
        expect(parsed).toBe(minor < 0n ? undefined : minor);
      }),
    );
  });

  it('formatAmount(parseAmount(s)) === s for canonical strings', () => {
    fc.assert(
      fc.property(
        currencyArb.chain((currency) => fc.tuple(fc.constant(currency), canonicalString(currency, true))),
        ([currency, s]) => {
          expect(formatAmount(parseAmount(s, currency, { signed: true }), currency)).toBe(s);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('parsing never throws anything but MoneyError on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii' }), currencyArb, fc.boolean(), (s, currency, signed) => {
        const code = codeOf(() => parseAmount(s, currency, { signed }));
        expect(['no error', 'invalid_amount', 'amount_out_of_range']).toContain(code);
        if (code === 'no error') {
          // Anything accepted re-formats to a canonical string of the same value.
          const minor = parseAmount(s, currency, { signed });
          expect(parseAmount(formatAmount(minor, currency), currency, { signed: true })).toBe(minor);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('short fractions pad with zeros', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 999999999999n }), fc.integer({ min: 0, max: 9 }), (int, d) => {
        expect(parseAmount(`${int}.${d}`, 'KES')).toBe(int * 100n + BigInt(d) * 10n);
      }),
    );
  });
});
