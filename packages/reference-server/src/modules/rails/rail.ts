import { BANK_ACCOUNTS, type BankAccountCode } from '../ledger/chart.ts';

/**
 * Inter-bank rails (M-Pesa, RTGS, later cards) behind one interface, like the scorers behind
 * @wekeza/risk's registry: a rail is a small object with a name, its settlement account, what it
 * can move, and four verbs (start a deposit, start a payout, ask about one, read a callback). The
 * bank's money rules (holds, exactly-once settlement, limits) live in RailsService and never in a
 * rail; a rail only speaks its network's language and says what the network said.
 */

export type Direction = 'deposit' | 'withdrawal';

/** Where a payout goes: a mobile-money phone, or a bank account at another bank. */
export type Destination =
  | { phone: string }
  | { bankCode: string; accountNumber: string; accountName: string };

export interface DepositRequest {
  /** Our id for it (`dep_…`); rails that let the caller name a request use it. */
  movementId: string;
  amountMinor: bigint;
  currency: string;
  /** The payer's phone, canonical (2547XXXXXXXX). */
  phone: string;
  description: string;
}

export interface PayoutRequest {
  movementId: string;
  amountMinor: bigint;
  currency: string;
  destination: Destination;
  /** The paying customer's name, for messages that carry a debtor. */
  payerName: string;
  /** Our account id, for messages that carry a debtor account. */
  accountId: string;
  /** The bank date it settles on (YYYY-MM-DD). */
  bankDate: string;
  description: string;
}

/** What the rail answered when asked to start something. */
export type StartResult =
  /** The rail took it; its answer comes later under `railReference`. */
  | { status: 'accepted'; railReference: string }
  /** The rail refused it: it will not happen (a definite failure). */
  | { status: 'refused'; reason: string }
  /** No answer (network, timeout, 5xx): it may or may not happen; ask again later. */
  | { status: 'unknown'; reason: string };

/** One thing a rail said about money, from a callback or an answer to a status query. */
export type RailOutcome =
  | {
      type: 'deposit.succeeded';
      railReference: string;
      receipt: string;
      amountMinor: bigint;
      currency: string;
      phone?: string | undefined;
    }
  | { type: 'deposit.failed'; railReference: string; reason: string }
  | { type: 'payout.succeeded'; railReference: string; receipt: string }
  | { type: 'payout.failed'; railReference: string; reason: string }
  /** The rail gave no result (a queue timeout, a query it could not answer): ask again. Never a failure. */
  | { type: 'payout.unknown'; railReference: string; reason: string }
  /** Money paid in by the payer on their own (M-Pesa C2B paybill), to an account number they typed. */
  | {
      type: 'incoming';
      receipt: string;
      amountMinor: bigint;
      currency: string;
      accountNumber: string;
      phone?: string | undefined;
      payerName?: string | undefined;
    };

/** What a callback is answered with: the acknowledgement the rail expects, and what it said. */
export interface CallbackResult {
  reply: { status: number; body: unknown };
  outcomes: RailOutcome[];
}

/** A movement a rail is asked about. */
export interface MovementRef {
  id: string;
  direction: Direction;
  railReference: string | null;
  receipt: string | null;
  amountMinor: bigint;
  currency: string;
}

/** Bank-side decisions a rail needs while answering a callback synchronously (C2B validation). */
export interface CallbackContext {
  /** Whether the bank would take money paid to this account number now (for C2B validation). */
  acceptsIncoming(accountNumber: string, amountMinor: bigint): Promise<boolean>;
}

/** A callback that is not what the rail sends: answered 400 and changes nothing. */
export class RailCallbackError extends Error {
  override name = 'RailCallbackError';
}

export interface PaymentRail {
  /** Lower-case name used in the API (`rail: "mpesa"`) and the callback path. */
  readonly name: string;
  /** The bank's account for money in transit on this rail (asset; debit = the rail owes the bank). */
  readonly settlementAccount: BankAccountCode;
  readonly currencies: readonly string[];
  readonly directions: readonly Direction[];
  /** What a payout destination must be on this rail. */
  readonly destinationKind: 'phone' | 'bank_account';
  /** The callback kinds the rail posts to `/v1/rails/{name}/{kind}/{token}`. */
  readonly callbackKinds: readonly string[];
  /** Why the rail cannot move this amount (M-Pesa: whole shillings only), or undefined when it can. */
  checkAmount(amountMinor: bigint, currency: string): string | undefined;
  startDeposit?(request: DepositRequest): Promise<StartResult>;
  startPayout?(request: PayoutRequest): Promise<StartResult>;
  /**
   * Asks the rail about a movement without an answer. The answer may come back at once (returned)
   * or later as a callback (`[]` here).
   */
  queryStatus(movement: MovementRef): Promise<RailOutcome[]>;
  /** Reads an authenticated callback (body: parsed JSON, or text for XML rails). Throws RailCallbackError on junk. */
  handleCallback(kind: string, body: unknown, context: CallbackContext): Promise<CallbackResult>;
  /** Periodic work of the rail itself (e.g. reading status reports from a folder). */
  poll?(): Promise<RailOutcome[]>;
  /** Called once the bank listens (e.g. to register C2B URLs). */
  start?(): Promise<void>;
}

const NAME = /^[a-z][a-z0-9_]{1,15}$/;

/** The rails the bank knows; built-in rails are registered through `register` like any other. */
export class RailRegistry {
  readonly #rails = new Map<string, PaymentRail>();

  /** Adds a rail after checking it is complete; names are unique. */
  register(rail: PaymentRail): this {
    const problems: string[] = [];
    if (!NAME.test(rail.name)) problems.push(`name must match ${NAME}`);
    if (this.#rails.has(rail.name)) problems.push('a rail with this name is already registered');
    if (!(rail.settlementAccount in BANK_ACCOUNTS))
      problems.push(`settlement account "${rail.settlementAccount}" is not in the chart of accounts`);
    if (rail.currencies.length === 0) problems.push('it moves no currency');
    if (rail.directions.length === 0) problems.push('it moves money neither in nor out');
    if (rail.directions.includes('deposit') && typeof rail.startDeposit !== 'function')
      problems.push('it takes deposits but has no startDeposit');
    if (rail.directions.includes('withdrawal') && typeof rail.startPayout !== 'function')
      problems.push('it pays out but has no startPayout');
    for (const kind of rail.callbackKinds)
      if (!/^[a-z0-9-]{1,32}$/.test(kind)) problems.push(`callback kind "${kind}" is not a path segment`);
    if (typeof rail.queryStatus !== 'function' || typeof rail.handleCallback !== 'function')
      problems.push('queryStatus and handleCallback are required');
    if (problems.length > 0)
      throw new Error(`rail "${rail.name}" cannot be registered: ${problems.join('; ')}`);
    this.#rails.set(rail.name, rail);
    return this;
  }

  get(name: string): PaymentRail | undefined {
    return this.#rails.get(name);
  }

  list(): PaymentRail[] {
    return [...this.#rails.values()];
  }
}
