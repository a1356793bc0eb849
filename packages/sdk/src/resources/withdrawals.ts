import type { Wekeza } from '../client.ts';
import type { RequestOptions } from '../core/request-options.ts';
import { path } from '../internal/path.ts';
import type { Money } from '../money/money.ts';

/** Where a withdrawal goes: an M-Pesa phone, or (RTGS) an account at another bank. */
export type WithdrawalDestination =
  | { phone: string }
  | {
      /** The receiving bank's BIC, or its member id in the RTGS clearing system. */
      bankCode: string;
      accountNumber: string;
      accountName: string;
    };

/** `POST /v1/withdrawals`. */
export interface WithdrawalCreateParams {
  accountId: string;
  /** M-Pesa: whole shillings. */
  amount: Money;
  rail: 'mpesa' | 'rtgs';
  destination: WithdrawalDestination;
  /** TOTP code when the amount (or a new destination) needs step-up. */
  otp?: string;
}

/** Money going out over a rail: held at once, `pending` until the rail's definite answer. */
export interface Withdrawal {
  id: string;
  status: 'pending' | 'succeeded' | 'failed';
  accountId: string;
  amount: Money;
  rail: string;
  receipt: string | null;
  failureReason: string | null;
  journalEntryId: string | null;
  createdAt: string;
  resolvedAt: string | null;
  destination: WithdrawalDestination;
}

/** `/v1/withdrawals`. */
export class Withdrawals {
  constructor(private readonly client: Wekeza) {}

  /** Starts a withdrawal (202, `pending`, money held); exactly once per Idempotency-Key. */
  create(params: WithdrawalCreateParams, options?: RequestOptions): Promise<Withdrawal> {
    return this.client._request(
      { method: 'POST', path: '/v1/withdrawals', body: params },
      (c) => c.Withdrawal,
      options,
    );
  }

  /** One of your withdrawals. */
  retrieve(id: string, options?: RequestOptions): Promise<Withdrawal> {
    return this.client._request(
      { method: 'GET', path: path`/v1/withdrawals/${id}` },
      (c) => c.Withdrawal,
      options,
    );
  }
}
