import * as z from 'zod/mini';
import { describe, idOf, Timestamp } from './common.ts';
import { Money, PositiveMoney } from './money.ts';

const TransferFields = {
  from_account_id: idOf('acc'),
  to_account_id: idOf('acc'),
  amount: PositiveMoney,
  reference: z.optional(
    describe(z.string().check(z.trim(), z.minLength(1), z.maxLength(140)), 'Free text shown to both sides.'),
  ),
};
const StepUpCode = describe(
  z.string().check(z.regex(/^[0-9]{6}$/, 'must be 6 digits')),
  'TOTP code for step-up.',
);

export const CreateTransferRequest = z.strictObject({ ...TransferFields, otp: z.optional(StepUpCode) });
export type CreateTransferRequest = z.infer<typeof CreateTransferRequest>;

export const Transfer = z.object({
  id: idOf('trf'),
  status: describe(z.enum(['completed', 'reversed']), '`reversed` once a reversing entry undid it.'),
  from_account_id: z.string(),
  to_account_id: z.string(),
  amount: Money,
  reference: z.nullable(z.string()),
  journal_entry_id: z.string(),
  reversal_entry_id: z.optional(z.nullable(z.string())),
  batch_id: z.optional(z.nullable(z.string())),
  created_at: Timestamp,
});
export type Transfer = z.infer<typeof Transfer>;

/** `POST /v1/transfers/batch`: up to 100 transfers, all or nothing, one Idempotency-Key, one `otp`. */
export const CreateTransferBatchRequest = z.strictObject({
  transfers: describe(
    z.array(z.strictObject(TransferFields)).check(z.minLength(1), z.maxLength(100)),
    'Checked and posted in this order; any refusal refuses them all.',
  ),
  atomic: describe(z.literal(true), 'Must be true: a batch is all or nothing.'),
  otp: z.optional(StepUpCode),
});
export type CreateTransferBatchRequest = z.infer<typeof CreateTransferBatchRequest>;

export const TransferBatch = z.object({
  id: idOf('trb'),
  status: z.literal('completed'),
  transfers: z.array(Transfer),
});
export type TransferBatch = z.infer<typeof TransferBatch>;

/** `POST /v1/transfers/{id}/reverse` (admins): undo a transfer with a reversing entry, for a reason. */
export const ReverseTransferRequest = z.strictObject({
  reason: describe(
    z.string().check(z.trim(), z.minLength(3), z.maxLength(500)),
    'Why; kept in the audit log.',
  ),
});
export type ReverseTransferRequest = z.infer<typeof ReverseTransferRequest>;
