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

/** The sandbox test clock: the bank date, and how far the daily close has run. */
export interface SandboxClock {
  bankDate: string;
  closedThrough: string | null;
  offsetDays: number;
  /** The days an `advance` closed, in order. */
  closed?: string[] | undefined;
}

/** `/v1/sandbox/clock`. */
export class SandboxClockResource {
  constructor(private readonly client: Wekeza) {}

  /** Today's bank date. */
  retrieve(options?: RequestOptions): Promise<SandboxClock> {
    return this.client._request({ method: 'GET', path: '/v1/sandbox/clock' }, (c) => c.SandboxClock, options);
  }

  /** Moves the bank date `days` forward (never wall time), running the daily close of each day passed. */
  advance(days: number, options?: RequestOptions): Promise<SandboxClock> {
    return this.client._request(
      { method: 'POST', path: '/v1/sandbox/clock/advance', body: { days } },
      (c) => c.SandboxClock,
      options,
    );
  }
}

/** Sandbox-only helpers (`/v1/sandbox/*`). */
export class Sandbox {
  /** Instantly settled deposits. */
  readonly deposits: SandboxDeposits;
  /** The test clock. */
  readonly clock: SandboxClockResource;

  constructor(client: Wekeza) {
    this.deposits = new SandboxDeposits(client);
    this.clock = new SandboxClockResource(client);
  }
}
