import * as z from 'zod/mini';
import { parseAmount } from '../money/amount.ts';
import { CURRENCY_CODES } from '../money/currency.ts';
import { MoneyError } from '../money/errors.ts';
import { describe } from './common.ts';

export const Currency = describe(
  z.enum(CURRENCY_CODES as [string, ...string[]]),
  'ISO 4217 currency code.',
  'KES',
);

const AmountString = describe(
  z.string(),
  'Decimal string with at most the currency\'s minor digits, e.g. "1500.50" (never a JSON number).',
  '1500.50',
);

function moneyCheck(options: { signed: boolean; positive: boolean }) {
  return z.superRefine<{ amount: string; currency: string }>((value, ctx) => {
    try {
      const minor = parseAmount(value.amount, value.currency, { signed: options.signed });
      if (options.positive && minor <= 0n) {
        ctx.issues.push({
          code: 'custom',
          message: 'must be greater than zero',
          path: ['amount'],
          input: value.amount,
        });
      }
    } catch (error) {
      if (!(error instanceof MoneyError)) throw error;
      if (error.code === 'unknown_currency') return; // reported by the currency enum itself
      ctx.issues.push({ code: 'custom', message: error.message, path: ['amount'], input: value.amount });
    }
  });
}

/** Money on the wire: `{ amount: "1500.50", currency: "KES" }`, as the server answers it (may be negative). */
export const Money = z
  .object({ amount: AmountString, currency: Currency })
  .check(moneyCheck({ signed: true, positive: false }));
export type Money = z.infer<typeof Money>;

/** Money a client sends where only a positive amount makes sense (transfers, deposits). */
export const PositiveMoney = z
  .strictObject({ amount: AmountString, currency: Currency })
  .check(moneyCheck({ signed: false, positive: true }));

/** Money a client sends that may be zero but never negative (a minimum opening balance). */
export const NonNegativeMoney = z
  .strictObject({ amount: AmountString, currency: Currency })
  .check(moneyCheck({ signed: false, positive: false }));
