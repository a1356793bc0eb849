import * as z from 'zod/mini';
import { CalendarDate, describe, idOf, Timestamp } from './common.ts';
import { Money, PositiveMoney } from './money.ts';

export const SandboxDepositRequest = z.strictObject({ account_id: idOf('acc'), amount: PositiveMoney });
export type SandboxDepositRequest = z.infer<typeof SandboxDepositRequest>;

export const SandboxDeposit = z.object({
  id: describe(idOf('je'), 'The journal entry that credited the account.'),
  status: z.literal('completed'),
  account_id: z.string(),
  amount: Money,
  journal_entry_id: z.string(),
  created_at: Timestamp,
});
export type SandboxDeposit = z.infer<typeof SandboxDeposit>;

/** `POST /v1/sandbox/clock/advance`: move the bank date forward, closing each day passed. */
export const SandboxClockAdvanceRequest = z.strictObject({
  days: describe(z.number().check(z.int(), z.gte(1), z.lte(366)), 'Bank days to move forward (1..366).', 30),
});
export type SandboxClockAdvanceRequest = z.infer<typeof SandboxClockAdvanceRequest>;

/** The sandbox test clock: the bank date and how far the daily close has run. */
export const SandboxClock = z.object({
  bank_date: CalendarDate,
  closed_through: z.nullable(CalendarDate),
  offset_days: describe(
    z.number().check(z.int()),
    'Days the test clock is ahead of the wall-clock bank date.',
  ),
  closed: z.optional(describe(z.array(CalendarDate), 'The days this call closed, in order.')),
});
export type SandboxClock = z.infer<typeof SandboxClock>;
