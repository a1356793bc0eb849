import * as z from 'zod/mini';
import { describe, page } from './common.ts';

/**
 * A phone number to send to: E.164 (`+254712345678`), or a Kenyan mobile number as people write it
 * (`0712345678`, `254712345678`), which the server reads as `+254…`.
 */
export const PayeePhone = describe(
  z
    .string()
    .check(
      z.maxLength(20),
      z.regex(
        /^(\+[1-9][0-9]{7,14}|0[17][0-9]{8}|254[17][0-9]{8})$/,
        'must be a phone number such as +254712345678 or 0712345678',
      ),
    ),
  'The recipient’s phone number (E.164, or a Kenyan mobile number such as 0712345678).',
  '+254712345678',
);

/** `GET /v1/payees/resolve?phone=`. */
export const ResolvePayeeQuery = z.strictObject({ phone: PayeePhone });
export type ResolvePayeeQuery = z.infer<typeof ResolvePayeeQuery>;

/** Whom a phone number pays: the recipient's KES wallet and their name as the bank holds it, masked. */
export const ResolvedPayee = z.object({
  account_id: describe(z.string(), 'The recipient’s KES wallet: the `to_account_id` of a transfer.'),
  display_name: describe(
    z.string(),
    'The recipient’s name, masked: first name and the initial of the last (`Wanjiru K.`).',
    'Wanjiru K.',
  ),
});
export type ResolvedPayee = z.infer<typeof ResolvedPayee>;

/** `POST /v1/payees`: save a payee by phone number (the bank resolves it first). */
export const CreateSavedPayeeRequest = z.strictObject({
  phone: PayeePhone,
  label: z.optional(
    describe(
      z.string().check(z.trim(), z.minLength(1), z.maxLength(60)),
      'The customer’s own name for the payee ("Mum", "Landlord").',
      'Mum',
    ),
  ),
});
export type CreateSavedPayeeRequest = z.infer<typeof CreateSavedPayeeRequest>;

/** A saved payee: a phone number, the customer's label, and the bank's masked name when it was saved. */
export const SavedPayee = z.object({
  id: describe(z.string(), 'Prefixed `pye_`.'),
  phone: describe(z.string(), 'E.164.'),
  label: z.nullable(z.string()),
  display_name: describe(z.string(), 'The masked name the bank answered when the payee was saved.'),
  created_at: z.string(),
});
export type SavedPayee = z.infer<typeof SavedPayee>;
export const SavedPayeeList = page(SavedPayee);
