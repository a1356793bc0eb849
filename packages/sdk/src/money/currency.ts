import { describeInput, MoneyError } from './errors.ts';

/** ISO 4217 minor-unit exponents of the currencies Wekeza handles. */
export const CURRENCIES = {
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

export type CurrencyCode = keyof typeof CURRENCIES;

export const CURRENCY_CODES: readonly CurrencyCode[] = Object.freeze(
  Object.keys(CURRENCIES) as CurrencyCode[],
);

/** Exact, case-sensitive membership test ("kes" and "toString" are not currencies). */
export function isCurrencyCode(code: string): code is CurrencyCode {
  return typeof code === 'string' && Object.hasOwn(CURRENCIES, code);
}

/** Asserts `code` is a known currency and returns it narrowed; throws MoneyError('unknown_currency'). */
export function assertCurrencyCode(code: string): CurrencyCode {
  if (!isCurrencyCode(code)) {
    throw new MoneyError('unknown_currency', `Unknown currency ${describeInput(code)}`);
  }
  return code;
}

/** Number of minor digits of `code` (KES 2, UGX 0); throws MoneyError('unknown_currency'). */
export function currencyExponent(code: string): number {
  return CURRENCIES[assertCurrencyCode(code)];
}
