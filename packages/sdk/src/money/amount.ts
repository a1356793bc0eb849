import { type CurrencyCode, currencyExponent } from './currency.ts';
import { describeInput, MoneyError } from './errors.ts';

export interface ParseAmountOptions {
  /** Accept a leading '-' (default false). Negative zero is rejected either way. */
  signed?: boolean;
}

/** Largest integer part accepted: 999,999,999,999 major units. */
const MAX_INTEGER_DIGITS = 12;

/** 999,999,999,999 major units with every minor digit set: 10^(12 + exp) - 1. */
export function maxMinor(currency: CurrencyCode | string): bigint {
  return 10n ** BigInt(MAX_INTEGER_DIGITS + currencyExponent(currency)) - 1n;
}

// One strict pattern per exponent: optional '-', integer part without leading zeros, then
// (only when exp > 0) '.' and 1..exp ASCII digits. No whitespace, '+', grouping or exponent.
const patterns = new Map<number, RegExp>();
function patternFor(exp: number): RegExp {
  let pattern = patterns.get(exp);
  if (pattern === undefined) {
    const fraction = exp > 0 ? `(?:\\.([0-9]{1,${exp}}))?` : '';
    pattern = new RegExp(`^(-?)(0|[1-9][0-9]*)${fraction}$`);
    patterns.set(exp, pattern);
  }
  return pattern;
}

/**
 * Parses a wire amount ("1500.50") into minor units (150050n). Throws MoneyError:
 * 'unknown_currency', 'invalid_amount' (malformed, '-' when unsigned, negative zero) or
 * 'amount_out_of_range' (absolute value above maxMinor).
 */
export function parseAmount(amount: string, currency: string, options?: ParseAmountOptions): bigint {
  const exp = currencyExponent(currency);
  if (typeof amount !== 'string') {
    throw new MoneyError('invalid_amount', `Amount must be a decimal string, got ${describeInput(amount)}`);
  }
  const match = patternFor(exp).exec(amount);
  if (match === null) {
    throw new MoneyError('invalid_amount', `Invalid ${currency} amount ${describeInput(amount)}`);
  }
  const negative = match[1] === '-';
  const integerPart = match[2] ?? '';
  const fractionPart = match[3] ?? '';
  if (negative && options?.signed !== true) {
    throw new MoneyError('invalid_amount', `Negative amount ${describeInput(amount)} not allowed`);
  }
  if (integerPart.length > MAX_INTEGER_DIGITS) {
    throw new MoneyError('amount_out_of_range', `Amount ${describeInput(amount)} is out of range`);
  }
  const magnitude = BigInt(integerPart + fractionPart.padEnd(exp, '0'));
  if (negative && magnitude === 0n) {
    throw new MoneyError('invalid_amount', `Negative zero ${describeInput(amount)} is not a valid amount`);
  }
  // With at most 12 integer digits and at most exp fraction digits the value is always <= maxMinor,
  // but keep the explicit check so the invariant does not hinge on the pattern.
  if (magnitude > maxMinor(currency)) {
    throw new MoneyError('amount_out_of_range', `Amount ${describeInput(amount)} is out of range`);
  }
  return negative ? -magnitude : magnitude;
}

/** Like parseAmount, but answers undefined instead of throwing (for any failure, including an unknown currency). */
export function tryParseAmount(
  amount: string,
  currency: string,
  options?: ParseAmountOptions,
): bigint | undefined {
  try {
    return parseAmount(amount, currency, options);
  } catch (error) {
    if (error instanceof MoneyError) return undefined;
    throw error;
  }
}

/**
 * Canonical wire string of `minor` minor units: exactly exp decimals, '-' for negatives, no grouping
 * (KES 150050n -> "1500.50", 5n -> "0.05", -500n -> "-5.00"; UGX 1500n -> "1500").
 * Does not range-check; Money guarantees the range.
 */
export function formatAmount(minor: bigint, currency: string): string {
  const exp = currencyExponent(currency);
  if (typeof minor !== 'bigint') {
    throw new MoneyError('invalid_amount', `Minor units must be a bigint, got ${describeInput(minor)}`);
  }
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(exp + 1, '0');
  const cut = digits.length - exp;
  const body = exp === 0 ? digits : `${digits.slice(0, cut)}.${digits.slice(cut)}`;
  return negative ? `-${body}` : body;
}
