import type { Wekeza } from '../client.ts';
import type { RequestOptions } from '../core/request-options.ts';
import type { Money } from '../money/money.ts';

/** `POST /v1/sandbox/deposits`. */
export interface SandboxDepositCreateParams {
  accountId: string;
  /** Positive. */
  amount: Money;
}

/** An instantly settled sandbox deposit; `id` is the journal entry that credited the account. */
export interface SandboxDeposit {
  id: string;
  status: 'completed';
  accountId: string;
  amount: Money;
  journalEntryId: string;
  createdAt: string;
}

/** `/v1/sandbox/deposits`. */
export class SandboxDeposits {
  constructor(private readonly client: Wekeza) {}

  /** Credits an account at once (sandbox servers only; 404 in production). */
  create(params: SandboxDepositCreateParams, options?: RequestOptions): Promise<SandboxDeposit> {
    return this.client._request(
      { method: 'POST', path: '/v1/sandbox/deposits', body: params },
      (c) => c.SandboxDeposit,
      options,
    );
  }
}

/** Sandbox-only helpers (`/v1/sandbox/*`). */
export class Sandbox {
  /** Instantly settled deposits. */
  readonly deposits: SandboxDeposits;

  constructor(client: Wekeza) {
    this.deposits = new SandboxDeposits(client);
  }
}
