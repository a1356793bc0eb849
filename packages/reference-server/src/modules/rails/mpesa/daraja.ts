import type { Clock } from '../../../clock.ts';
import { darajaTimestamp, stkPassword } from './messages.ts';

/** How the bank reaches Daraja (the real one, or the sandbox simulator): WEKEZA_MPESA_* variables. */
export interface DarajaConfig {
  /** `https://api.safaricom.co.ke` in production, `https://sandbox.safaricom.co.ke` for Safaricom's sandbox. */
  baseUrl: string;
  consumerKey: string;
  consumerSecret: string;
  /** The paybill: STK `BusinessShortCode`/`PartyB`, and the C2B short code. */
  shortcode: string;
  /** The Lipa na M-Pesa Online passkey (STK `Password`). */
  passkey: string;
  /** The B2C short code (`PartyA` of payouts); often the same organisation, another short code. */
  b2cShortcode: string;
  /** The API operator's user name (`InitiatorName`/`Initiator`). */
  initiatorName: string;
  /** The initiator's password encrypted with Safaricom's certificate, base64 (`SecurityCredential`). */
  securityCredential: string;
  /** Per-request timeout in milliseconds. */
  timeoutMs: number;
}

/** What a Daraja API call came to. */
export type DarajaReply =
  | { kind: 'ok'; body: Record<string, unknown> }
  /** Daraja refused the request (4xx with an `errorCode`): it was not taken. */
  | { kind: 'refused'; status: number; code: string; message: string }
  /** No usable answer (network, timeout, 5xx, 429): the request may or may not have been taken. */
  | { kind: 'unknown'; reason: string };

/**
 * A small Daraja client. The OAuth token (`GET /oauth/v1/generate?grant_type=client_credentials`
 * with HTTP Basic consumer key and secret) is cached until a minute before it expires, shared by
 * concurrent callers, and fetched again once when an API call answers 401.
 */
export class DarajaClient {
  #token: { value: string; expiresAt: number } | undefined;
  #fetching: Promise<string> | undefined;
  /** How many tokens were fetched (tests check the cache). */
  tokensFetched = 0;

  constructor(
    private readonly config: DarajaConfig,
    private readonly clock: Clock,
  ) {}

  async accessToken(): Promise<string> {
    const now = this.clock.now().getTime();
    if (this.#token && now < this.#token.expiresAt) return this.#token.value;
    this.#fetching ??= this.fetchToken().finally(() => {
      this.#fetching = undefined;
    });
    return this.#fetching;
  }

  private async fetchToken(): Promise<string> {
    const basic = Buffer.from(`${this.config.consumerKey}:${this.config.consumerSecret}`).toString('base64');
    const res = await fetch(`${this.config.baseUrl}/oauth/v1/generate?grant_type=client_credentials`, {
      headers: { Authorization: `Basic ${basic}` },
      signal: AbortSignal.timeout(this.config.timeoutMs),
    });
    const body = (await res.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown };
    if (!res.ok || typeof body.access_token !== 'string')
      throw new Error(`Daraja refused the consumer key (HTTP ${res.status})`);
    this.tokensFetched += 1;
    // Daraja answers expires_in as a string of seconds ("3599").
    const seconds = Number(body.expires_in ?? 3599);
    const lifetime = Math.max(0, (Number.isFinite(seconds) ? seconds : 3599) - 60) * 1000;
    this.#token = { value: body.access_token, expiresAt: this.clock.now().getTime() + lifetime };
    return body.access_token;
  }

  /** POSTs a Daraja API request; a 401 fetches a new token once. */
  async call(path: string, body: Record<string, unknown>): Promise<DarajaReply> {
    for (let attempt = 0; ; attempt++) {
      let token: string;
      try {
        token = await this.accessToken();
      } catch (error) {
        return { kind: 'unknown', reason: `no access token: ${(error as Error).message}` };
      }
      let res: Response;
      try {
        res = await fetch(`${this.config.baseUrl}${path}`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(this.config.timeoutMs),
        });
      } catch (error) {
        return { kind: 'unknown', reason: `no answer: ${(error as Error).message}` };
      }
      const answer = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
      if (res.status === 401 && attempt === 0) {
        this.#token = undefined;
        continue;
      }
      if (res.ok && answer) return { kind: 'ok', body: answer };
      if (
        res.status >= 400 &&
        res.status < 500 &&
        res.status !== 429 &&
        res.status !== 408 &&
        answer?.errorCode
      )
        return {
          kind: 'refused',
          status: res.status,
          code: String(answer.errorCode),
          message: String(answer.errorMessage ?? 'refused'),
        };
      return { kind: 'unknown', reason: `HTTP ${res.status}` };
    }
  }

  /** M-Pesa Express (STK push): asks the payer's phone to pay the paybill. */
  stkPush(input: {
    amount: number;
    phone: string;
    callbackUrl: string;
    accountReference: string;
    description: string;
  }): Promise<DarajaReply> {
    const timestamp = darajaTimestamp(this.clock.now());
    return this.call('/mpesa/stkpush/v1/processrequest', {
      BusinessShortCode: this.config.shortcode,
      Password: stkPassword(this.config.shortcode, this.config.passkey, timestamp),
      Timestamp: timestamp,
      TransactionType: 'CustomerPayBillOnline',
      Amount: input.amount,
      PartyA: input.phone,
      PartyB: this.config.shortcode,
      PhoneNumber: input.phone,
      CallBackURL: input.callbackUrl,
      AccountReference: input.accountReference.slice(0, 12),
      TransactionDesc: input.description.slice(0, 13),
    });
  }

  /** B2C (v3): pays a phone from the B2C short code; we name the request (`OriginatorConversationID`). */
  b2c(input: {
    originatorConversationId: string;
    amount: number;
    phone: string;
    resultUrl: string;
    timeoutUrl: string;
    remarks: string;
  }): Promise<DarajaReply> {
    return this.call('/mpesa/b2c/v3/paymentrequest', {
      OriginatorConversationID: input.originatorConversationId,
      InitiatorName: this.config.initiatorName,
      SecurityCredential: this.config.securityCredential,
      CommandID: 'BusinessPayment',
      Amount: input.amount,
      PartyA: this.config.b2cShortcode,
      PartyB: input.phone,
      Remarks: input.remarks.slice(0, 100),
      QueueTimeOutURL: input.timeoutUrl,
      ResultURL: input.resultUrl,
      Occasion: input.originatorConversationId,
    });
  }

  /**
   * Transaction Status: asks about a payout by its receipt (`TransactionID`) or, when there is
   * none yet, by the request's `OriginalConversationID`. The answer arrives at `resultUrl`.
   */
  transactionStatus(input: {
    receipt: string | null;
    originatorConversationId: string;
    resultUrl: string;
    timeoutUrl: string;
  }): Promise<DarajaReply> {
    return this.call('/mpesa/transactionstatus/v1/query', {
      Initiator: this.config.initiatorName,
      SecurityCredential: this.config.securityCredential,
      CommandID: 'TransactionStatusQuery',
      TransactionID: input.receipt ?? '',
      OriginalConversationID: input.originatorConversationId,
      PartyA: this.config.b2cShortcode,
      IdentifierType: '4',
      ResultURL: input.resultUrl,
      QueueTimeOutURL: input.timeoutUrl,
      Remarks: 'Payout status',
      Occasion: input.originatorConversationId,
    });
  }

  /** Registers the C2B validation and confirmation URLs for the paybill (once per deployment). */
  registerC2bUrls(input: { validationUrl: string; confirmationUrl: string }): Promise<DarajaReply> {
    return this.call('/mpesa/c2b/v2/registerurl', {
      ShortCode: this.config.shortcode,
      ResponseType: 'Completed',
      ConfirmationURL: input.confirmationUrl,
      ValidationURL: input.validationUrl,
    });
  }
}
