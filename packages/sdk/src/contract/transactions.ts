import * as z from 'zod/mini';
import { CalendarDate, describe, idOf, page, Timestamp } from './common.ts';
import { Money } from './money.ts';

/** One line of an account's history: one posting of a journal entry on that account. */
export const Transaction = z.object({
  id: idOf('txn'),
  account_id: z.string(),
  journal_entry_id: describe(z.string(), 'The ledger journal entry this line belongs to.'),
  kind: describe(z.string(), 'What moved the money: transfer, deposit, reversal, …'),
  description: z.string(),
  direction: describe(z.enum(['credit', 'debit']), 'credit adds to a customer account, debit takes from it.'),
  amount: describe(Money, 'Signed from the account holder’s view: negative when money left the account.'),
  balance_after: describe(Money, 'Running ledger balance after this line.'),
  effective_date: CalendarDate,
  created_at: Timestamp,
});
export type Transaction = z.infer<typeof Transaction>;
export const TransactionList = page(Transaction);
