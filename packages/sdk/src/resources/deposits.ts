import type { Wekeza } from '../client.ts';
import type { RequestOptions } from '../core/request-options.ts';
import { path } from '../internal/path.ts';
import type { Money } from '../money/money.ts';

/** `POST /v1/deposits`: an M-Pesa STK push asks `phone` to pay `amount` into the wallet. */
export interface DepositCreateParams {
  accountId: string;
  /** Whole shillings (M-Pesa moves no cents). */
  amount: Money;
  rail: 'mpesa';
  /** The paying phone: `+2547…`, `2547…`, `07…` or `01…`. */
  phone: string;
}

/** Money coming in over a rail: `pending` until the payer answers, then `succeeded` or `failed`. */
export interface Deposit {
  id: string;
  status: 'pending' | 'succeeded' | 'failed';
  accountId: string;
  amount: Money;
  rail: string;
  /** The M-Pesa receipt number once it succeeded. */
  receipt: string | null;
  failureReason: string | null;
  journalEntryId: string | null;
  createdAt: string;
  resolvedAt: string | null;
  phone: string;
}

/** `/v1/deposits`. */
export class Deposits {
  constructor(private readonly client: Wekeza) {}

  /** Starts a deposit (202, `pending`); exactly once per Idempotency-Key. Watch it with `retrieve` or the event stream. */
  create(params: DepositCreateParams, options?: RequestOptions): Promise<Deposit> {
    return this.client._request(
      { method: 'POST', path: '/v1/deposits', body: params },
      (c) => c.Deposit,
      options,
    );
  }

  /** One of your deposits. */
  retrieve(id: string, options?: RequestOptions): Promise<Deposit> {
    return this.client._request({ method: 'GET', path: path`/v1/deposits/${id}` }, (c) => c.Deposit, options);
  }
}
