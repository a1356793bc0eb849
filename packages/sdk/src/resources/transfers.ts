import type { Wekeza } from '../client.ts';
import type { RequestOptions } from '../core/request-options.ts';
import { path } from '../internal/path.ts';
import type { Money } from '../money/money.ts';

/** `POST /v1/transfers`: from one of your accounts to another of yours or to another customer's wallet. */
export interface TransferCreateParams {
  fromAccountId: string;
  toAccountId: string;
  /** Positive, in the currency of both accounts. */
  amount: Money;
  /** Free text shown to both sides (1..140 characters). */
  reference?: string;
  /** TOTP code when the amount needs step-up. */
  otp?: string;
}

/** An intra-bank transfer and the journal entry that posted it (and, once reversed, the one that undid it). */
export interface Transfer {
  id: string;
  status: 'completed' | 'reversed';
  fromAccountId: string;
  toAccountId: string;
  amount: Money;
  reference: string | null;
  journalEntryId: string;
  reversalEntryId?: string | null | undefined;
  /** The all-or-nothing batch it was sent in, if any. */
  batchId?: string | null | undefined;
  createdAt: string;
}

/** `POST /v1/transfers/batch`: up to 100 transfers, all or nothing. */
export interface TransferBatchCreateParams {
  transfers: Omit<TransferCreateParams, 'otp'>[];
  /** One code for the batch when what goes to others, together, needs step-up. */
  otp?: string;
}

/** A completed batch: every transfer, in the order sent. */
export interface TransferBatch {
  id: string;
  status: 'completed';
  transfers: Transfer[];
}

/** `POST /v1/transfers/{id}/reverse` (admins). */
export interface TransferReverseParams {
  /** Why; kept in the audit log. */
  reason: string;
}

/** `/v1/transfers`. */
export class Transfers {
  constructor(private readonly client: Wekeza) {}

  /** Moves money in real time; exactly once per Idempotency-Key, however often it is retried. */
  create(params: TransferCreateParams, options?: RequestOptions): Promise<Transfer> {
    return this.client._request(
      { method: 'POST', path: '/v1/transfers', body: params },
      (c) => c.Transfer,
      options,
    );
  }

  /** Up to 100 transfers in one transaction, all or nothing (a payroll); one Idempotency-Key for the batch. */
  createBatch(params: TransferBatchCreateParams, options?: RequestOptions): Promise<TransferBatch> {
    return this.client._request(
      { method: 'POST', path: '/v1/transfers/batch', body: { ...params, atomic: true } },
      (c) => c.TransferBatch,
      options,
    );
  }

  /** One transfer you are a party to. */
  retrieve(id: string, options?: RequestOptions): Promise<Transfer> {
    return this.client._request(
      { method: 'GET', path: path`/v1/transfers/${id}` },
      (c) => c.Transfer,
      options,
    );
  }

  /** Admins: undoes a transfer with a reversing entry (at most once; audited). */
  reverse(id: string, params: TransferReverseParams, options?: RequestOptions): Promise<Transfer> {
    return this.client._request(
      { method: 'POST', path: path`/v1/transfers/${id}/reverse`, body: params },
      (c) => c.Transfer,
      options,
    );
  }
}
