import * as z from 'zod/mini';
import { CalendarDate, describe, idOf, page, Timestamp } from './common.ts';
import { Currency, Money, PositiveMoney } from './money.ts';

export const AccountType = z.enum(['wallet', 'savings', 'fixed_deposit']);
export type AccountType = z.infer<typeof AccountType>;

export const AtMaturity = describe(
  z.enum(['pay_out', 'roll_over']),
  'At maturity: pay principal + net interest to the wallet, or roll it over for the same term at the rate of that day.',
);
export type AtMaturity = z.infer<typeof AtMaturity>;

/**
 * `POST /v1/accounts`: a wallet (one per currency, empty), a savings account (optionally funded from
 * the customer's wallet), or a fixed deposit (funded from the wallet at opening).
 */
export const OpenAccountRequest = z
  .strictObject({
    type: describe(AccountType, 'Account type to open.'),
    currency: Currency,
    product_id: z.optional(
      describe(
        idOf('sprod'),
        'The savings or fixed-deposit product (savings: default the oldest active savings product of the currency).',
      ),
    ),
    term_months: z.optional(
      describe(z.number().check(z.int(), z.gte(1), z.lte(120)), 'Fixed deposit: one of the product’s terms.'),
    ),
    funding_account_id: z.optional(
      describe(
        idOf('acc'),
        'The wallet the opening amount comes from (default: your wallet in the currency).',
      ),
    ),
    amount: z.optional(
      describe(PositiveMoney, 'Opening amount, moved from the wallet (required for a fixed deposit).'),
    ),
    at_maturity: z.optional(describe(AtMaturity, 'Fixed deposit only (default `pay_out`).')),
  })
  .check(
    z.superRefine((value, ctx) => {
      const refuse = (field: string, message: string) =>
        ctx.issues.push({ code: 'custom', message, path: [field], input: value });
      const only = (field: keyof typeof value, types: string) => {
        if (value[field] !== undefined) refuse(field, `is only for ${types}`);
      };
      if (value.type === 'wallet') {
        only('product_id', 'savings accounts and fixed deposits');
        only('funding_account_id', 'savings accounts and fixed deposits');
        only('amount', 'savings accounts and fixed deposits');
      }
      if (value.type !== 'fixed_deposit') {
        only('term_months', 'fixed deposits');
        only('at_maturity', 'fixed deposits');
      }
      if (value.type === 'fixed_deposit') {
        if (value.product_id === undefined) refuse('product_id', 'is required for a fixed deposit');
        if (value.term_months === undefined) refuse('term_months', 'is required for a fixed deposit');
        if (value.amount === undefined) refuse('amount', 'is required for a fixed deposit');
      }
      if (value.amount && value.amount.currency !== value.currency)
        ctx.issues.push({
          code: 'custom',
          message: 'must be in the account currency',
          path: ['amount', 'currency'],
          input: value.amount.currency,
        });
    }),
  );
export type OpenAccountRequest = z.infer<typeof OpenAccountRequest>;

export const Account = z.object({
  id: idOf('acc'),
  type: AccountType,
  currency: z.string(),
  status: z.enum(['open', 'closed']),
  balance: z.object({
    ledger: describe(Money, 'Sum of all posted entries.'),
    available: describe(Money, 'Ledger balance minus pending holds.'),
  }),
  created_at: Timestamp,
  product_id: z.optional(describe(z.string(), 'Savings and fixed deposits: the product.')),
  interest_rate: z.optional(
    describe(
      z.string(),
      'Annual rate as a decimal string: the product’s rate today (savings), fixed for the term (fixed deposit).',
    ),
  ),
  opened_on: z.optional(
    describe(CalendarDate, 'Savings: the opening day; fixed deposit: the current term’s.'),
  ),
  accrued_interest: z.optional(
    describe(
      Money,
      'Interest accrued and not yet paid (savings: rounded for display; it is posted at month end).',
    ),
  ),
  accrued_through: z.optional(describe(CalendarDate, 'The last bank day whose interest has accrued.')),
  principal: z.optional(describe(Money, 'Fixed deposit: the amount of the current term.')),
  term_months: z.optional(z.number()),
  maturity_date: z.optional(CalendarDate),
  at_maturity: z.optional(AtMaturity),
  maturity_amount: z.optional(describe(Money, 'Fixed deposit: principal + interest − tax at maturity.')),
  closed_on: z.optional(CalendarDate),
});
export type Account = z.infer<typeof Account>;
export const AccountList = page(Account);
