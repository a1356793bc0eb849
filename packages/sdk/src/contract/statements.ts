import * as z from 'zod/mini';
import { CalendarDate, describe } from './common.ts';
import { Money } from './money.ts';

export const STATEMENT_FORMATS = ['json', 'csv', 'pdf', 'camt053'] as const;
export const StatementFormat = z.enum(STATEMENT_FORMATS);
export type StatementFormat = z.infer<typeof StatementFormat>;

/** `GET /v1/accounts/{id}/statement?from&to&format`. */
export const StatementQuery = z.strictObject({
  from: z.optional(describe(CalendarDate, 'First bank day (default: the first day of `to`’s month).')),
  to: z.optional(
    describe(CalendarDate, 'Last bank day, inclusive, at most today (default: today’s bank date).'),
  ),
  format: z.optional(
    describe(
      StatementFormat,
      '`json` (default), `csv` (RFC 4180), `pdf`, or `camt053` (ISO 20022 camt.053.001.08 XML).',
    ),
  ),
});
export type StatementQuery = z.infer<typeof StatementQuery>;

export const StatementLine = z.object({
  date: describe(CalendarDate, 'The posting’s effective (booking) date.'),
  description: z.string(),
  amount: describe(Money, 'Signed from the account holder’s view: negative when money left.'),
  balance: describe(Money, 'Running balance after this line.'),
  entry_id: describe(z.string(), 'The ledger journal entry.'),
});
export type StatementLine = z.infer<typeof StatementLine>;

/** The JSON statement: opening balance + Σ line amounts = closing balance = the ledger's balance at `to`. */
export const Statement = z.object({
  account_id: z.string(),
  currency: z.string(),
  from: CalendarDate,
  to: CalendarDate,
  opening_balance: describe(Money, 'The balance at the end of the day before `from`.'),
  closing_balance: describe(Money, 'The balance at the end of `to`.'),
  lines: z.array(StatementLine),
});
export type Statement = z.infer<typeof Statement>;
