import { CURRENCIES, currencyExponent, isCurrencyCode, Money, maxMinor } from '@wekeza/sdk';

/**
 * The amount input's value pipeline (after lion's FormatMixin): typed text → `parseAmountText` →
 * model value (`Money`) → `formatAmountText` → shown text. Pure functions, no DOM, never `Number`.
 */

/** A decimal string as `Intl.NumberFormat#format` accepts it exactly (Intl.NumberFormat v3). */
type DecimalString = `${number}`;

const separatorCache = new Map<string, { group: string; decimal: string }>();

/** The grouping and decimal separators `locale` uses (e.g. en-KE: "," and "."). */
export function separators(locale: string): { group: string; decimal: string } {
  let found = separatorCache.get(locale);
  if (found === undefined) {
    const parts = new Intl.NumberFormat(locale, { useGrouping: true }).formatToParts(
      '1234567.5' as DecimalString,
    );
    found = {
      group: parts.find((part) => part.type === 'group')?.value ?? ',',
      decimal: parts.find((part) => part.type === 'decimal')?.value ?? '.',
    };
    separatorCache.set(locale, found);
  }
  return found;
}

/** Any kind of space a formatter or a user may put between digits or around a currency code. */
const SPACES = /[\s\u00a0\u202f\u2009_']/g;
/** A currency code or symbol before or after the number ("KES", "Ksh", "KSh.", "$"). */
const CURRENCY_AFFIX = /^(?:[A-Za-z]{1,4}\.?|[$€£¥])|(?:[A-Za-z]{1,4}\.?|[$€£¥])$/g;

/**
 * Rounds a non-negative plain decimal ("1500.555") to `exponent` fraction digits, half up, and
 * answers the minor units as a bigint (150056n). Answers undefined for anything else.
 */
export function roundDecimalToMinor(decimal: string, exponent: number): bigint | undefined {
  const match = /^([0-9]*)(?:\.([0-9]*))?$/.exec(decimal);
  if (match === null) return undefined;
  const integer = match[1] ?? '';
  const fraction = match[2] ?? '';
  if (integer === '' && fraction === '') return undefined;
  const kept = fraction.slice(0, exponent).padEnd(exponent, '0');
  let minor = BigInt((integer === '' ? '0' : integer) + kept);
  const next = fraction.charAt(exponent);
  if (next !== '' && next >= '5') minor += 1n;
  return minor;
}

/**
 * Parses what a customer typed into a positive-or-zero amount of `currency`: grouping separators,
 * spaces and a currency code or symbol are ignored, the locale's decimal separator is honoured and
 * the result is rounded half-up to the currency's minor digits ("1,500.555" KES → 1500.56).
 * Pure: answers `undefined` (never throws) for empty, negative, malformed or out-of-range input
 * and for an unknown currency.
 */
export function parseAmountText(text: string, currency: string, locale = 'en'): Money | undefined {
  if (typeof text !== 'string' || !isCurrencyCode(currency)) return undefined;
  const { group, decimal } = separators(locale);
  let cleaned = text.trim().replace(CURRENCY_AFFIX, '').replace(SPACES, '');
  if (cleaned === '') return undefined;
  // The locale's grouping character goes; so does "," when the locale's decimal point is ".".
  cleaned = cleaned.split(group).join('');
  if (decimal === '.') cleaned = cleaned.split(',').join('');
  else cleaned = cleaned.split(decimal).join('.');
  if (!/^[0-9]*(?:\.[0-9]*)?$/.test(cleaned)) return undefined;
  const minor = roundDecimalToMinor(cleaned, currencyExponent(currency));
  if (minor === undefined || minor > maxMinor(currency)) return undefined;
  return Money.of(minor, currency);
}

const numberFormats = new Map<string, Intl.NumberFormat>();
function cachedFormat(key: string, make: () => Intl.NumberFormat): Intl.NumberFormat {
  let format = numberFormats.get(key);
  if (format === undefined) {
    format = make();
    numberFormats.set(key, format);
  }
  return format;
}

/** The text an amount input shows for `money`: grouped, exactly the currency's digits, no symbol ("1,500.50"). */
export function formatAmountText(money: Money, locale = 'en'): string {
  const exponent = CURRENCIES[money.currency];
  return cachedFormat(
    `plain|${locale}|${exponent}`,
    () =>
      new Intl.NumberFormat(locale, {
        minimumFractionDigits: exponent,
        maximumFractionDigits: exponent,
        useGrouping: true,
      }),
  ).format(money.toDecimalString() as DecimalString);
}

/** `money` for display with its currency, e.g. "Ksh 1,500.50", through Intl from the exact decimal string. */
export function formatMoney(
  money: Money,
  locale = 'en',
  signDisplay: 'auto' | 'always' | 'exceptZero' = 'auto',
): string {
  return cachedFormat(
    `currency|${locale}|${money.currency}|${signDisplay}`,
    () => new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency, signDisplay }),
  ).format(money.toDecimalString() as DecimalString);
}

/** A bank-local calendar date ("2025-03-14") or an ISO timestamp for display. */
export function formatDate(value: string, locale = 'en'): string {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const date = new Date(dateOnly ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    ...(dateOnly ? { timeZone: 'UTC' } : {}),
  }).format(date);
}
