import type {
  CallbackContext,
  CallbackResult,
  DepositRequest,
  MovementRef,
  PaymentRail,
  PayoutRequest,
  RailOutcome,
  StartResult,
} from '../rail.ts';
import { RailCallbackError } from '../rail.ts';
import type { DarajaClient, DarajaReply } from './daraja.ts';
import type { StkMessage } from './messages.ts';
import {
  ACCEPTED,
  amountFromMpesa,
  asList,
  C2B_ACCEPT,
  C2B_REJECT_ACCOUNT,
  C2B_REJECT_AMOUNT,
  C2bNotice,
  canonicalPhone,
  itemValue,
  mpesaAmountProblem,
  ResultCallback,
  STK_RESULT_REASONS,
  StkCallback,
  wholeShillings,
} from './messages.ts';

export const MPESA_CALLBACK_KINDS = [
  'stk',
  'b2c-result',
  'b2c-timeout',
  'c2b-validation',
  'c2b-confirmation',
  'status-result',
  'status-timeout',
] as const;

/** Transaction Status answers that settle a payout. */
const COMPLETED = new Set(['completed']);
const FAILED = new Set(['failed', 'cancelled', 'declined', 'expired', 'reversed']);

/**
 * M-Pesa over Safaricom Daraja: deposits by STK push (M-Pesa Express), payouts by B2C, money paid
 * to the paybill by C2B, and Transaction Status for payouts that got no result. Whole shillings only.
 */
export class MpesaRail implements PaymentRail {
  readonly name = 'mpesa';
  readonly settlementAccount = 'settlement_mpesa' as const;
  readonly currencies = ['KES'] as const;
  readonly directions = ['deposit', 'withdrawal'] as const;
  readonly destinationKind = 'phone' as const;
  readonly callbackKinds = MPESA_CALLBACK_KINDS;

  constructor(
    private readonly daraja: DarajaClient,
    /** The full URL Daraja calls back for a kind (path token included). */
    private readonly callbackUrl: (kind: (typeof MPESA_CALLBACK_KINDS)[number]) => string,
    private readonly options: { registerC2bUrls: boolean },
  ) {}

  checkAmount(amountMinor: bigint, currency: string): string | undefined {
    return mpesaAmountProblem(amountMinor, currency);
  }

  async start(): Promise<void> {
    if (!this.options.registerC2bUrls) return;
    await this.daraja.registerC2bUrls({
      validationUrl: this.callbackUrl('c2b-validation'),
      confirmationUrl: this.callbackUrl('c2b-confirmation'),
    });
  }

  async startDeposit(request: DepositRequest): Promise<StartResult> {
    const reply = await this.daraja.stkPush({
      amount: wholeShillings(request.amountMinor),
      phone: request.phone,
      callbackUrl: this.callbackUrl('stk'),
      // What the payer sees on the prompt: the paybill account, our short reference.
      accountReference: request.movementId.slice(-12),
      description: request.description,
    });
    return started(reply, (body) => {
      const id = body.CheckoutRequestID;
      return String(body.ResponseCode) === '0' && typeof id === 'string' && id !== '' ? id : undefined;
    });
  }

  async startPayout(request: PayoutRequest): Promise<StartResult> {
    if (!('phone' in request.destination)) return { status: 'refused', reason: 'M-Pesa pays phones only' };
    const reply = await this.daraja.b2c({
      originatorConversationId: request.movementId,
      amount: wholeShillings(request.amountMinor),
      phone: request.destination.phone,
      resultUrl: this.callbackUrl('b2c-result'),
      timeoutUrl: this.callbackUrl('b2c-timeout'),
      remarks: request.description,
    });
    return started(reply, (body) => (String(body.ResponseCode) === '0' ? request.movementId : undefined));
  }

  async queryStatus(movement: MovementRef): Promise<RailOutcome[]> {
    // Deposits are not queried: an unanswered STK request fails at its timeout, and its late
    // success still arrives (and is credited) by callback.
    if (movement.direction !== 'withdrawal' || !movement.railReference) return [];
    const reply = await this.daraja.transactionStatus({
      receipt: movement.receipt,
      originatorConversationId: movement.railReference,
      resultUrl: this.callbackUrl('status-result'),
      timeoutUrl: this.callbackUrl('status-timeout'),
    });
    // The answer comes by callback; a refused or unanswered query is simply asked again later.
    void reply;
    return [];
  }

  async handleCallback(kind: string, body: unknown, context: CallbackContext): Promise<CallbackResult> {
    switch (kind) {
      case 'stk':
        return { reply: ok(ACCEPTED), outcomes: [stkOutcome(parse(StkCallback, body))] };
      case 'b2c-result':
        return { reply: ok(ACCEPTED), outcomes: [b2cOutcome(parse(ResultCallback, body))] };
      case 'b2c-timeout':
      case 'status-timeout': {
        const result = parse(ResultCallback, body).Result;
        const reference = payoutReference(result, kind === 'status-timeout');
        return {
          reply: ok(ACCEPTED),
          outcomes: reference
            ? [{ type: 'payout.unknown', railReference: reference, reason: 'queue_timeout' }]
            : [],
        };
      }
      case 'status-result':
        return { reply: ok(ACCEPTED), outcomes: statusOutcome(parse(ResultCallback, body)) };
      case 'c2b-validation': {
        const notice = parse(C2bNotice, body);
        const amount = amountFromMpesa(notice.TransAmount);
        if (amount === undefined || mpesaAmountProblem(amount, 'KES'))
          return { reply: ok(C2B_REJECT_AMOUNT), outcomes: [] };
        const accepted = await context.acceptsIncoming(notice.BillRefNumber ?? '', amount);
        return { reply: ok(accepted ? C2B_ACCEPT : C2B_REJECT_ACCOUNT), outcomes: [] };
      }
      case 'c2b-confirmation': {
        const notice = parse(C2bNotice, body);
        const amount = amountFromMpesa(notice.TransAmount);
        if (amount === undefined) throw new RailCallbackError('TransAmount is not an amount');
        const phone = notice.MSISDN === undefined ? undefined : canonicalPhone(String(notice.MSISDN));
        const name = [notice.FirstName, notice.MiddleName, notice.LastName].filter(Boolean).join(' ');
        return {
          reply: ok(ACCEPTED),
          outcomes: [
            {
              type: 'incoming',
              receipt: notice.TransID,
              amountMinor: amount,
              currency: 'KES',
              accountNumber: (notice.BillRefNumber ?? '').trim(),
              phone,
              payerName: name || undefined,
            },
          ],
        };
      }
      default:
        throw new RailCallbackError(`unknown callback kind ${kind}`);
    }
  }
}

function parse<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  body: unknown,
): T {
  const result = schema.safeParse(body);
  if (!result.success) throw new RailCallbackError('not a Daraja message of this kind');
  return result.data;
}

const ok = (body: unknown) => ({ status: 200, body });

function started(
  reply: DarajaReply,
  referenceOf: (body: Record<string, unknown>) => string | undefined,
): StartResult {
  if (reply.kind === 'refused') return { status: 'refused', reason: `${reply.code}: ${reply.message}` };
  if (reply.kind === 'unknown') return { status: 'unknown', reason: reply.reason };
  const reference = referenceOf(reply.body);
  if (reference) return { status: 'accepted', railReference: reference };
  // A 200 that does not say "accepted" (ResponseCode ≠ 0) is Daraja declining the request.
  return {
    status: 'refused',
    reason: String(reply.body.ResponseDescription ?? reply.body.ResponseCode ?? 'declined'),
  };
}

function stkOutcome(message: StkMessage): RailOutcome {
  const callback = message.Body.stkCallback;
  const code = String(callback.ResultCode);
  const railReference = callback.CheckoutRequestID;
  if (code !== '0')
    return { type: 'deposit.failed', railReference, reason: STK_RESULT_REASONS[code] ?? `mpesa_${code}` };
  const items = callback.CallbackMetadata?.Item;
  const receipt = itemValue(items, 'MpesaReceiptNumber');
  const amount = amountFromMpesa(itemValue(items, 'Amount'));
  if (typeof receipt !== 'string' || !/^[A-Z0-9]{6,20}$/.test(receipt) || amount === undefined)
    throw new RailCallbackError('a successful STK callback without its receipt or amount');
  const phone = itemValue(items, 'PhoneNumber');
  return {
    type: 'deposit.succeeded',
    railReference,
    receipt,
    amountMinor: amount,
    currency: 'KES',
    phone: phone === undefined ? undefined : canonicalPhone(String(phone)),
  };
}

/** Which payout a Result is about: the B2C's OriginatorConversationID (ours: the movement id). */
function payoutReference(result: ResultCallback['Result'], isStatusQuery: boolean): string | undefined {
  if (isStatusQuery) {
    const params = asList(result.ResultParameters?.ResultParameter);
    const fromParams = itemValue(params, 'Originator Conversation ID');
    const fromReference = itemValue(asList(result.ReferenceData?.ReferenceItem), 'Occasion');
    const reference = fromParams ?? fromReference;
    return reference === undefined ? undefined : String(reference);
  }
  return result.OriginatorConversationID || undefined;
}

function b2cOutcome(message: ResultCallback): RailOutcome {
  const result = message.Result;
  const railReference = payoutReference(result, false);
  if (!railReference) throw new RailCallbackError('a B2C result without OriginatorConversationID');
  const code = String(result.ResultCode);
  if (code === '0') {
    const receipt =
      result.TransactionID ||
      String(itemValue(asList(result.ResultParameters?.ResultParameter), 'TransactionReceipt') ?? '');
    if (!receipt) throw new RailCallbackError('a successful B2C result without TransactionID');
    return { type: 'payout.succeeded', railReference, receipt };
  }
  // M-Pesa processed the payment and it failed (insufficient float, invalid account, …): definite.
  return { type: 'payout.failed', railReference, reason: `mpesa_${code}` };
}

function statusOutcome(message: ResultCallback): RailOutcome[] {
  const result = message.Result;
  const railReference = payoutReference(result, true);
  if (!railReference) return [];
  // A query that could not be answered (not found yet, an error) says nothing about the payment.
  if (String(result.ResultCode) !== '0')
    return [{ type: 'payout.unknown', railReference, reason: `status_query_${String(result.ResultCode)}` }];
  const params = asList(result.ResultParameters?.ResultParameter);
  const status = String(itemValue(params, 'TransactionStatus') ?? '').toLowerCase();
  const receipt = String(itemValue(params, 'ReceiptNo') ?? '');
  if (COMPLETED.has(status) && receipt) return [{ type: 'payout.succeeded', railReference, receipt }];
  if (FAILED.has(status)) return [{ type: 'payout.failed', railReference, reason: `mpesa_status_${status}` }];
  return [{ type: 'payout.unknown', railReference, reason: `mpesa_status_${status || 'unknown'}` }];
}
