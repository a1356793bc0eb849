/**
 * Withholding tax on interest paid to a customer (DOMAIN.md "Save"): a configurable rate, 15 % by
 * default (Kenya's resident rate), on the gross interest of each posting, rounded half-even once. The
 * customer is credited the gross interest and debited the tax, which goes to the bank's tax-payable
 * account, so a statement shows both lines.
 */
import type { Money } from '@wekeza/sdk';
import { multiplyByRate, type RateInput } from '@wekeza/sdk/rates';
import { exactRate } from './actual-365.ts';

/** Kenya's withholding tax rate on interest for residents. */
export const DEFAULT_WITHHOLDING_TAX_RATE = '0.15';

/** The tax withheld from `grossInterest`: round_half_even(gross × rate). Throws RangeError on a rate outside 0..1. */
export function withholdingTax(grossInterest: Money, rate: RateInput = DEFAULT_WITHHOLDING_TAX_RATE): Money {
  const exact = exactRate(rate, 'withholding tax rate');
  if (exact.greaterThan(1)) throw new RangeError(`Withholding tax rate above 1: ${exact.toString()}`);
  return multiplyByRate(grossInterest, rate);
}

/** Gross interest split into the tax withheld and what reaches the customer (net = gross − tax). */
export interface TaxedInterest {
  gross: Money;
  tax: Money;
  net: Money;
}

/** Splits `grossInterest` into tax and net at `rate`. */
export function taxInterest(
  grossInterest: Money,
  rate: RateInput = DEFAULT_WITHHOLDING_TAX_RATE,
): TaxedInterest {
  const tax = withholdingTax(grossInterest, rate);
  return { gross: grossInterest, tax, net: grossInterest.subtract(tax) };
}
