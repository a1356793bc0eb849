import * as z from 'zod/mini';
import { CalendarDate, describe, idOf, page, Timestamp } from './common.ts';
import { Currency, Money, NonNegativeMoney, PositiveMoney } from './money.ts';

/** A share or a rate from 0 to 1 as a decimal string with at most 8 decimals: "0.08" = 8 %. Never a number. */
function fraction(description: string, example: string) {
  return describe(
    z
      .string()
      .check(
        z.regex(
          /^(0(\.[0-9]{1,8})?|1(\.0{1,8})?)$/,
          'must be a decimal string from "0" to "1" with at most 8 decimals, e.g. "0.08"',
        ),
      ),
    description,
    example,
  );
}

const AnnualRate = fraction('Annual rate as a decimal string ("0.08" = 8 % a year).', '0.08');
const ForfeitShare = fraction(
  'Share of the accrued interest an early close forfeits, as a decimal string ("0.5" = half).',
  '0.5',
);
const TermMonths = describe(z.number().check(z.int(), z.gte(1), z.lte(120)), 'A term in whole months.', 6);

export const SavingsProductType = z.enum(['savings', 'fixed_deposit']);
export type SavingsProductType = z.infer<typeof SavingsProductType>;

/** `POST /v1/savings-products` (admins). */
export const CreateSavingsProductRequest = z
  .strictObject({
    name: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
    type: SavingsProductType,
    currency: Currency,
    annual_rate: AnnualRate,
    min_opening_balance: describe(NonNegativeMoney, 'The least an account of the product opens with.'),
    term_months: z.optional(
      describe(
        z.array(TermMonths).check(z.minLength(1), z.maxLength(12)),
        'Fixed deposits: the terms offered, in months (required for them, absent for savings).',
      ),
    ),
    early_close_forfeit_share: z.optional(ForfeitShare),
  })
  .check(
    z.superRefine((value, ctx) => {
      const fixed = value.type === 'fixed_deposit';
      if (fixed && value.term_months === undefined)
        ctx.issues.push({
          code: 'custom',
          message: 'is required for a fixed deposit',
          path: ['term_months'],
          input: value,
        });
      if (!fixed && value.term_months !== undefined)
        ctx.issues.push({
          code: 'custom',
          message: 'is only for fixed deposits',
          path: ['term_months'],
          input: value.term_months,
        });
      if (!fixed && value.early_close_forfeit_share !== undefined)
        ctx.issues.push({
          code: 'custom',
          message: 'is only for fixed deposits',
          path: ['early_close_forfeit_share'],
          input: value.early_close_forfeit_share,
        });
      if (value.term_months && new Set(value.term_months).size !== value.term_months.length)
        ctx.issues.push({
          code: 'custom',
          message: 'must not repeat a term',
          path: ['term_months'],
          input: value.term_months,
        });
      if (value.min_opening_balance.currency !== value.currency)
        ctx.issues.push({
          code: 'custom',
          message: 'must be in the product currency',
          path: ['min_opening_balance', 'currency'],
          input: value.min_opening_balance.currency,
        });
    }),
  );
export type CreateSavingsProductRequest = z.infer<typeof CreateSavingsProductRequest>;

/** `PUT /v1/savings-products/{id}` (admins): the rate from today's bank date on, and whether it is still offered. */
export const UpdateSavingsProductRequest = z.strictObject({
  annual_rate: AnnualRate,
  status: describe(
    z.enum(['active', 'retired']),
    'A retired product opens no new accounts; existing ones keep running.',
  ),
  reason: describe(
    z.string().check(z.trim(), z.minLength(1), z.maxLength(500)),
    'Why; kept in the audit log.',
  ),
});
export type UpdateSavingsProductRequest = z.infer<typeof UpdateSavingsProductRequest>;

export const SavingsProduct = z.object({
  id: idOf('sprod'),
  name: z.string(),
  type: SavingsProductType,
  currency: z.string(),
  annual_rate: describe(z.string(), 'The rate today, a decimal string ("0.08" = 8 % a year).'),
  min_opening_balance: Money,
  term_months: z.optional(z.array(z.number())),
  early_close_forfeit_share: z.optional(z.string()),
  status: z.enum(['active', 'retired']),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type SavingsProduct = z.infer<typeof SavingsProduct>;
export const SavingsProductList = page(SavingsProduct);

/** `POST /v1/deposit-quotes`: what a fixed deposit opened today would pay at maturity. No side effect. */
export const DepositQuoteRequest = z.strictObject({
  product_id: idOf('sprod'),
  amount: PositiveMoney,
  term_months: TermMonths,
});
export type DepositQuoteRequest = z.infer<typeof DepositQuoteRequest>;

export const DepositQuote = z.object({
  product_id: z.string(),
  principal: Money,
  annual_rate: z.string(),
  opening_date: CalendarDate,
  term_months: z.number(),
  maturity_date: CalendarDate,
  interest: describe(Money, 'Gross interest for the whole term.'),
  tax: describe(Money, 'Withholding tax on the interest.'),
  maturity_amount: describe(Money, 'principal + interest − tax.'),
});
export type DepositQuote = z.infer<typeof DepositQuote>;

/** What closing an account today pays (`GET /v1/accounts/{id}/close-quote`), and what a close paid. */
export const CloseQuote = z.object({
  account_id: z.string(),
  close_date: CalendarDate,
  principal: describe(Money, 'The balance before interest.'),
  interest_accrued: describe(Money, 'Interest accrued through the day before the close.'),
  interest_forfeited: describe(
    Money,
    'Fixed deposit before maturity: the product’s share, back to the bank.',
  ),
  interest_kept: Money,
  tax: describe(Money, 'Withholding tax on the interest kept.'),
  total: describe(Money, 'principal + interest kept − tax: paid to the wallet.'),
  paid_to_account_id: z.string(),
});
export type CloseQuote = z.infer<typeof CloseQuote>;

export const AccountClosure = z.object({
  ...CloseQuote.shape,
  journal_entry_ids: describe(z.array(z.string()), 'The entries the close posted, in order.'),
});
export type AccountClosure = z.infer<typeof AccountClosure>;

/** `POST /v1/accounts/{id}/withdrawals-to-wallet`. */
export const WithdrawToWalletRequest = z.strictObject({ amount: PositiveMoney });
export type WithdrawToWalletRequest = z.infer<typeof WithdrawToWalletRequest>;

export const WithdrawalToWallet = z.object({
  id: describe(idOf('je'), 'The journal entry that moved the money.'),
  status: z.literal('completed'),
  from_account_id: z.string(),
  to_account_id: z.string(),
  amount: Money,
  journal_entry_id: z.string(),
  effective_date: CalendarDate,
  created_at: Timestamp,
});
export type WithdrawalToWallet = z.infer<typeof WithdrawalToWallet>;
