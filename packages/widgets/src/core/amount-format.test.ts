import { CURRENCIES, CURRENCY_CODES, Money, maxMinor } from '@wekeza/sdk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAmountText, formatMoney, parseAmountText, roundDecimalToMinor } from './amount-format.ts';

const LOCALES = ['en-KE', 'sw-KE', 'en-US', 'de-DE', 'fr-FR'];

const money = fc
  .constantFrom(...CURRENCY_CODES)
  .chain((currency) =>
    fc.bigInt({ min: 0n, max: maxMinor(currency) }).map((minor) => Money.of(minor, currency)),
  );

describe('parseAmountText', () => {
  it('when given plain and grouped amounts, then parses them exactly', () => {
    expect(parseAmountText('1500.50', 'KES', 'en-KE')?.minor).toBe(150050n);
    expect(parseAmountText('1,500.5', 'KES', 'en-KE')?.minor).toBe(150050n);
    expect(parseAmountText(' KES 1 500 ', 'KES', 'sw-KE')?.minor).toBe(150000n);
    expect(parseAmountText('Ksh1,234,567.89', 'KES', 'en-KE')?.minor).toBe(123456789n);
    expect(parseAmountText('.5', 'KES', 'en-KE')?.minor).toBe(50n);
    expect(parseAmountText('1.234,56', 'EUR', 'de-DE')?.minor).toBe(123456n);
    expect(parseAmountText('1500', 'UGX', 'en-KE')?.minor).toBe(1500n);
  });

  it('when given more digits than the currency has, then rounds half up', () => {
    expect(parseAmountText('1500.555', 'KES', 'en-KE')?.toDecimalString()).toBe('1500.56');
    expect(parseAmountText('1500.554', 'KES', 'en-KE')?.toDecimalString()).toBe('1500.55');
    expect(parseAmountText('0.005', 'KES', 'en-KE')?.toDecimalString()).toBe('0.01');
    expect(parseAmountText('1499.5', 'UGX', 'en-KE')?.toDecimalString()).toBe('1500');
    expect(parseAmountText('0.1', 'UGX', 'en-KE')?.toDecimalString()).toBe('0');
  });

  it('when given junk, negatives, exponents or out-of-range amounts, then answers undefined', () => {
    for (const text of [
      '',
      '  ',
      'abc',
      '-5',
      '1e3',
      '1.2.3',
      '12-3',
      '+5',
      'NaN',
      'Infinity',
      '0x10',
      '1/2',
    ]) {
      expect(parseAmountText(text, 'KES', 'en-KE'), text).toBeUndefined();
    }
    expect(parseAmountText('1000000000000', 'KES', 'en-KE')).toBeUndefined();
    expect(parseAmountText('999999999999.995', 'KES', 'en-KE')).toBeUndefined();
    expect(parseAmountText('999999999999.99', 'KES', 'en-KE')?.minor).toBe(99999999999999n);
    expect(parseAmountText('10', 'XYZ', 'en-KE')).toBeUndefined();
  });

  it('never throws and never answers a negative or unrounded amount (property)', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.constantFrom(...CURRENCY_CODES),
        fc.constantFrom(...LOCALES),
        (text, currency, locale) => {
          const parsed = parseAmountText(text, currency, locale);
          if (parsed !== undefined) {
            expect(parsed.currency).toBe(currency);
            expect(parsed.minor >= 0n).toBe(true);
            expect(parsed.minor <= maxMinor(currency)).toBe(true);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('parses back exactly what it formats, in every locale and currency (property)', () => {
    fc.assert(
      fc.property(money, fc.constantFrom(...LOCALES), (value, locale) => {
        const text = formatAmountText(value, locale);
        expect(parseAmountText(text, value.currency, locale)?.minor).toBe(value.minor);
      }),
      { numRuns: 1000 },
    );
  });

  it('rounds like exact decimal arithmetic: round-half-up(x · 10^exp) (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 11n }),
        fc.stringMatching(/^[0-9]{0,6}$/),
        fc.constantFrom(...CURRENCY_CODES),
        (whole, fraction, currency) => {
          const exp = CURRENCIES[currency];
          const text = fraction === '' ? `${whole}` : `${whole}.${fraction}`;
          // Exact: scale by 10^6, add half a minor unit, truncate.
          const scaled = BigInt(`${whole}${fraction.padEnd(6, '0')}`);
          const unit = 10n ** BigInt(6 - exp);
          const expected = (scaled + unit / 2n) / unit;
          expect(roundDecimalToMinor(text, exp)).toBe(expected);
          expect(parseAmountText(text, currency, 'en-KE')?.minor).toBe(expected);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('is idempotent: formatting a parsed text and parsing again changes nothing (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789.,  KES') }), (text) => {
        const once = parseAmountText(text, 'KES', 'en-KE');
        if (once === undefined) return;
        expect(parseAmountText(formatAmountText(once, 'en-KE'), 'KES', 'en-KE')?.minor).toBe(once.minor);
      }),
    );
  });
});

describe('formatMoney / formatAmountText', () => {
  it('when formatting amounts beyond 2^53, then keeps every digit (no Number on the way)', () => {
    const big = Money.of(99999999999999n, 'KES');
    expect(formatAmountText(big, 'en-KE')).toBe('999,999,999,999.99');
    expect(formatMoney(big, 'en-KE')).toContain('999,999,999,999.99');
  });

  it('when formatting for en and sw, then uses the currency and the currency digits', () => {
    const amount = Money.of(150050n, 'KES');
    expect(formatMoney(amount, 'en-KE')).toMatch(/1,500\.50/);
    expect(formatMoney(amount, 'sw-KE')).toMatch(/1,500\.50/);
    expect(formatMoney(Money.of(1500n, 'UGX'), 'en-KE')).toMatch(/1,500$/);
    expect(formatMoney(Money.of(-500n, 'KES'), 'en-KE', 'exceptZero')).toMatch(/^-/);
    expect(formatMoney(Money.of(500n, 'KES'), 'en-KE', 'exceptZero')).toMatch(/^\+/);
  });
});
