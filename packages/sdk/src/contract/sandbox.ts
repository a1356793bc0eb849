import * as z from 'zod/mini';
import { describe, idOf, Timestamp } from './common.ts';
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
