import { parseAmount } from '@wekeza/sdk';
import * as z from 'zod/mini';

/**
 * Safaricom Daraja's message shapes, as the real API sends and expects them (M-Pesa Express/STK
 * push, B2C v3, C2B register/validation/confirmation, Transaction Status), and the small rules
 * around them: phone numbers, whole shillings, the STK password.
 */

/** M-Pesa moves whole Kenyan shillings, KES 1 to KES 250,000 a transaction. */
export const MPESA_MIN_MINOR = 100n;
export const MPESA_MAX_MINOR = 25_000_000n;

/** Why M-Pesa cannot move this amount, or undefined. */
export function mpesaAmountProblem(amountMinor: bigint, currency: string): string | undefined {
  if (currency !== 'KES') return 'M-Pesa moves Kenyan shillings (KES) only.';
  if (amountMinor % 100n !== 0n) return 'M-Pesa moves whole shillings only: send an amount without cents.';
  if (amountMinor < MPESA_MIN_MINOR || amountMinor > MPESA_MAX_MINOR)
    return 'M-Pesa moves KES 1 to KES 250,000 in one transaction.';
  return undefined;
}

/** `07XXXXXXXX`, `01XXXXXXXX`, `+2547…`, `2547…` → `2547XXXXXXXX` (Daraja's MSISDN form), or undefined. */
export function canonicalPhone(phone: string): string | undefined {
  const match = /^(?:\+?254|0)([17][0-9]{8})$/.exec(phone.replace(/[\s-]/g, ''));
  return match ? `254${match[1]}` : undefined;
}

/** Whole shillings as Daraja's `Amount` (an integer). */
export const wholeShillings = (amountMinor: bigint) => Number(amountMinor / 100n);

/** An amount as M-Pesa writes it (1, 1.00, "10.00") in minor units; undefined when it is not one. */
export function amountFromMpesa(value: unknown): bigint | undefined {
  const text =
    typeof value === 'number' ? (Number.isFinite(value) ? value.toFixed(2) : '') : String(value ?? '');
  if (!/^[0-9]{1,9}(\.[0-9]{1,2})?$/.test(text)) return undefined;
  const minor = parseAmount(text.replace(/^0+(?=\d)/, ''), 'KES');
  return minor > 0n ? minor : undefined;
}

/** Daraja's timestamp, `YYYYMMDDHHmmss` in East Africa Time (UTC+3, no daylight saving). */
export function darajaTimestamp(at: Date): string {
  const eat = new Date(at.getTime() + 3 * 3_600_000);
  return eat.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** The STK push `Password`: base64(shortcode + passkey + timestamp). */
export function stkPassword(shortcode: string, passkey: string, timestamp: string): string {
  return Buffer.from(`${shortcode}${passkey}${timestamp}`).toString('base64');
}

// ---- What Daraja posts to us ----------------------------------------------------------------

const Id = z.string().check(z.minLength(1), z.maxLength(100));
const Scalar = z.union([z.string(), z.number()]);

/** `Body.stkCallback` on the STK CallBackURL. */
export const StkCallback = z.object({
  Body: z.object({
    stkCallback: z.object({
      MerchantRequestID: z.optional(z.string()),
      CheckoutRequestID: Id,
      ResultCode: z.union([z.number(), z.string().check(z.regex(/^[0-9]+$/))]),
      ResultDesc: z.optional(z.string()),
      CallbackMetadata: z.optional(
        z.object({ Item: z.array(z.object({ Name: z.string(), Value: z.optional(Scalar) })) }),
      ),
    }),
  }),
});

export type StkMessage = z.infer<typeof StkCallback>;

/** `Result` on a ResultURL (B2C, Transaction Status) and on a QueueTimeOutURL. */
export const ResultCallback = z.object({
  Result: z.object({
    ResultType: z.optional(z.union([z.number(), z.string()])),
    ResultCode: z.union([z.number(), z.string()]),
    ResultDesc: z.optional(z.string()),
    OriginatorConversationID: z.optional(z.string()),
    ConversationID: z.optional(z.string()),
    TransactionID: z.optional(z.string()),
    ResultParameters: z.optional(
      z.object({
        ResultParameter: z.union([
          z.array(z.object({ Key: z.string(), Value: z.optional(Scalar) })),
          z.object({ Key: z.string(), Value: z.optional(Scalar) }),
        ]),
      }),
    ),
    ReferenceData: z.optional(
      z.object({
        ReferenceItem: z.union([
          z.array(z.object({ Key: z.string(), Value: z.optional(Scalar) })),
          z.object({ Key: z.string(), Value: z.optional(Scalar) }),
        ]),
      }),
    ),
  }),
});
export type ResultCallback = z.infer<typeof ResultCallback>;

/** The C2B validation and confirmation body. */
export const C2bNotice = z.object({
  TransactionType: z.optional(z.string()),
  TransID: z.string().check(z.regex(/^[A-Z0-9]{6,20}$/)),
  TransTime: z.optional(z.string()),
  TransAmount: Scalar,
  BusinessShortCode: z.optional(Scalar),
  BillRefNumber: z.optional(z.string().check(z.maxLength(64))),
  InvoiceNumber: z.optional(z.string()),
  OrgAccountBalance: z.optional(Scalar),
  ThirdPartyTransID: z.optional(z.string()),
  MSISDN: z.optional(Scalar),
  FirstName: z.optional(z.string()),
  MiddleName: z.optional(z.string()),
  LastName: z.optional(z.string()),
});
export type C2bNotice = z.infer<typeof C2bNotice>;

/** The value of an item of a Daraja name/value list (`CallbackMetadata.Item`, `ResultParameter`). */
export function itemValue(
  items: readonly { Name?: string; Key?: string; Value?: string | number | undefined }[] | undefined,
  name: string,
): string | number | undefined {
  return items?.find((item) => (item.Name ?? item.Key) === name)?.Value;
}

/** A list Daraja sometimes sends as one object and sometimes as an array. */
export function asList<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

// ---- Acknowledgements Daraja expects ----------------------------------------------------------

export const ACCEPTED = { ResultCode: 0, ResultDesc: 'Accepted' } as const;
/** C2B validation: accept, or refuse with Daraja's code for an invalid account number. */
export const C2B_ACCEPT = { ResultCode: '0', ResultDesc: 'Accepted' } as const;
export const C2B_REJECT_ACCOUNT = { ResultCode: 'C2B00012', ResultDesc: 'Rejected' } as const;
export const C2B_REJECT_AMOUNT = { ResultCode: 'C2B00013', ResultDesc: 'Rejected' } as const;

/** STK result codes that mean the payer did not pay (definite). */
export const STK_RESULT_REASONS: Record<string, string> = {
  '1': 'insufficient_funds',
  '1001': 'subscriber_busy',
  '1019': 'expired',
  '1025': 'rejected',
  '1032': 'cancelled_by_user',
  '1037': 'no_response_from_phone',
  '2001': 'wrong_pin',
};
