import { describe, expect, it } from 'vitest';
import {
  assertCurrencyCode,
  CURRENCIES,
  CURRENCY_CODES,
  currencyExponent,
  isCurrencyCode,
  MoneyError,
} from './index.ts';

// ISO 4217 minor units, checked against the ISO 4217 list (amendment 178).
const ISO_4217_EXPONENTS = {
  KES: 2,
  UGX: 0,
  TZS: 2,
  RWF: 0,
  ETB: 2,
  NGN: 2,
  ZAR: 2,
  USD: 2,
  EUR: 2,
  GBP: 2,
  JPY: 0,
} as const;

describe('currencies', () => {
  it.each(Object.entries(ISO_4217_EXPONENTS))('%s has exponent %i', (code, exp) => {
    expect(currencyExponent(code)).toBe(exp);
    expect(isCurrencyCode(code)).toBe(true);
    expect(assertCurrencyCode(code)).toBe(code);
  });

  it('lists exactly the table', () => {
    expect(CURRENCIES).toEqual(ISO_4217_EXPONENTS);
    expect([...CURRENCY_CODES].sort()).toEqual(Object.keys(ISO_4217_EXPONENTS).sort());
    expect(Object.isFrozen(CURRENCY_CODES)).toBe(true);
  });

  it.each([
    'kes',
    'Kes',
    'XXX',
    '',
    ' KES',
    'KES ',
    'toString',
    '__proto__',
    'constructor',
    'hasOwnProperty',
  ])('rejects %j', (code) => {
    expect(isCurrencyCode(code)).toBe(false);
    expect(() => currencyExponent(code)).toThrow(MoneyError);
    try {
      currencyExponent(code);
    } catch (error) {
      expect(error).toBeInstanceOf(MoneyError);
      expect((error as MoneyError).code).toBe('unknown_currency');
      expect((error as MoneyError).name).toBe('MoneyError');
    }
  });

  it('rejects non-strings at run time', () => {
    expect(isCurrencyCode(undefined as unknown as string)).toBe(false);
    expect(isCurrencyCode(2 as unknown as string)).toBe(false);
  });
});
