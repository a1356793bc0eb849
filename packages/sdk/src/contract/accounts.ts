import * as z from 'zod/mini';
import { describe, idOf, page, Timestamp } from './common.ts';
import { Currency, Money } from './money.ts';

export const AccountType = z.enum(['wallet', 'savings', 'fixed_deposit']);
export type AccountType = z.infer<typeof AccountType>;

/** `POST /v1/accounts`. Fixed deposits arrive with the savings issue; this stage opens wallets and savings. */
export const OpenAccountRequest = z.strictObject({
  type: describe(z.enum(['wallet', 'savings']), 'Account type to open.'),
  currency: Currency,
});
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
});
export type Account = z.infer<typeof Account>;
export const AccountList = page(Account);
