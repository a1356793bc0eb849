import { formatAmount } from '@wekeza/sdk';
import type { BankClock } from '../../bank-clock.ts';
import type { Clock } from '../../clock.ts';
import type { Database, Db } from '../../db/database.ts';
import { isUniqueViolation, transaction } from '../../db/transaction.ts';
import {
  conflict,
  currencyMismatch,
  DomainError,
  forbidden,
  insufficientFunds,
  mfaRequired,
  notFound,
  validationFailed,
} from '../../errors.ts';
import { money } from '../../http/render.ts';
import { newId } from '../../ids.ts';
import type { Actor, AuditLog } from '../audit/log.ts';
import type { EventLog } from '../events/log.ts';
import type { Principal } from '../identity/service.ts';
import type { KycService, LockedCustomer } from '../kyc/service.ts';
import type { Ledger } from '../ledger/ledger.ts';
import { enrolFirst, type MfaService, OtpRejectedError } from '../mfa/service.ts';
import { canonicalPhone } from './mpesa/messages.ts';
import type { PaybillTarget } from './paybill.ts';
import {
  type CallbackResult,
  type Destination,
  type Direction,
  type PaymentRail,
  RailCallbackError,
  type RailOutcome,
  type RailRegistry,
} from './rail.ts';

export type MovementRow = NonNullable<Awaited<ReturnType<Db['railMovement']['findUnique']>>>;

/** The bank's timing for rail movements (RailsConfig). */
export interface RailsTiming {
  stkTimeoutMs: number;
  payoutFirstCheckMs: number;
  payoutCheckMaxMs: number;
  payoutAlertAfterMs: number;
  orphanAfterMs: number;
}

export interface DepositInput {
  accountId: string;
  amountMinor: bigint;
  currency: string;
  rail: string;
  phone: string;
}

export interface WithdrawalInput {
  accountId: string;
  amountMinor: bigint;
  currency: string;
  rail: string;
  destination: Destination;
  otp?: string | undefined;
}

/** The bank itself, for what it does on a rail's word (settlements, timeouts, alerts). */
const SYSTEM: Actor = { id: 'system', role: 'system' };

/** What applying one outcome came to (`raced`: another request applied it first and this one rolled back). */
type Applied = 'applied' | 'no-op' | 'unmatched' | 'raced';

/** An inbox row for an outcome, written in the transaction that applies it (one write, not three). */
interface InboxEntry {
  id: string;
  rail: string;
  kind: string;
  reference: string;
  outcome: string;
  receivedAt: Date;
}

/**
 * Move, over rails (DOMAIN.md "Move"): deposits and withdrawals that a rail settles later.
 *
 * A withdrawal holds the money at once; only a definite answer from the rail posts the hold
 * (captureHold) or voids it (voidHold), and exactly once: each resolution is a conditional update
 * of the movement's `status` from `pending`, in the same transaction as the ledger's own
 * exactly-once hold resolution. With no answer the bank asks the rail on a schedule; a payout
 * still unknown at its deadline stays held and raises a staff alert — never a release on a guess.
 * Deposits are credited once per rail receipt (the `rail_receipts` primary key), whenever the
 * receipt arrives: an STK request with no answer fails at its timeout, and a late success is still
 * credited. Money paid to the paybill (C2B) repays a loan by number, else reaches a wallet by
 * phone or account id, else waits in suspense for staff.
 */
export class RailsService {
  /** Set by the Borrow domain when it is wired in; until then loan numbers match nothing. */
  paybillTarget: PaybillTarget | undefined;

  constructor(
    private readonly database: Database,
    private readonly registry: RailRegistry,
    private readonly ledger: Ledger,
    private readonly kyc: KycService,
    private readonly mfa: MfaService,
    private readonly audit: AuditLog,
    private readonly events: EventLog,
    private readonly clock: Clock,
    private readonly bankClock: BankClock,
    private readonly timing: RailsTiming,
    /** Outgoing amount above which a TOTP code is needed, per currency (as transfers). */
    private readonly stepUpThresholds: Record<string, bigint>,
    private readonly log: (message: string, fields?: Record<string, unknown>) => void = () => {},
  ) {}

  get rails(): RailRegistry {
    return this.registry;
  }

  private railFor(name: string, direction: Direction): PaymentRail {
    const rail = this.registry.get(name);
    if (!rail?.directions.includes(direction))
      throw validationFailed([
        {
          path: 'body.rail',
          message: `${name} does not take ${direction === 'deposit' ? 'deposits' : 'payouts'}`,
        },
      ]);
    return rail;
  }

  private checkAmount(rail: PaymentRail, amountMinor: bigint, currency: string): void {
    const problem = rail.checkAmount(amountMinor, currency);
    if (problem) throw validationFailed([{ path: 'body.amount.amount', message: problem }], problem);
  }

  // ---- Starting movements ---------------------------------------------------------------------

  /**
   * A customer asks to fund their wallet from a phone (an STK push). The deposit is a credit the
   * customer starts, so their tier's maximum balance applies, counting deposits still pending.
   */
  async createDeposit(tx: Db, principal: Principal, input: DepositInput): Promise<MovementRow> {
    if (principal.role !== 'customer') throw forbidden('Only customers fund their own accounts.');
    const rail = this.railFor(input.rail, 'deposit');
    const phone = canonicalPhone(input.phone);
    if (!phone) throw validationFailed([{ path: 'body.phone', message: 'is not a Kenyan mobile number' }]);
    this.checkAmount(rail, input.amountMinor, input.currency);

    const account = (await this.ledger.lock(tx, [input.accountId])).get(input.accountId);
    if (!account || account.ownerId !== principal.id) throw notFound('account');
    if (account.type !== 'wallet') throw conflict('Rail deposits go to a wallet.');
    if (account.status !== 'open') throw conflict('The account is not open.');
    if (account.currency !== input.currency)
      throw currencyMismatch(`The amount is in ${input.currency}; the account holds ${account.currency}.`);
    const [customer] = (await this.kyc.lockCustomers(tx, [principal.id])).values();
    if (!customer) throw notFound('account');
    const [pending] = await tx.$queryRawUnsafe<{ total: unknown }[]>(
      `SELECT COALESCE(SUM(amount_minor), 0) AS total FROM rail_movements
        WHERE customer_id = ? AND currency = ? AND direction = 'deposit' AND status = 'pending'`,
      principal.id,
      input.currency,
    );
    await this.kyc.assertCanHold(
      tx,
      customer,
      input.currency,
      input.amountMinor + BigInt(String(pending?.total ?? 0)),
    );

    const now = this.clock.now();
    const movement = await tx.railMovement.create({
      data: {
        id: newId('dep'),
        direction: 'deposit',
        rail: rail.name,
        customerId: principal.id,
        accountId: account.id,
        amountMinor: input.amountMinor,
        currency: input.currency,
        status: 'pending',
        destination: JSON.stringify({ phone }),
        destinationKey: `${rail.name}:${phone}`,
        bankDate: this.bankClock.today(),
        createdAt: now,
        deadlineAt: new Date(now.getTime() + this.timing.stkTimeoutMs),
        checks: 0,
      },
    });
    await this.audit.record(tx, principal, {
      action: 'deposit.created',
      subject: { type: 'deposit', id: movement.id },
      after: {
        rail: rail.name,
        account_id: account.id,
        amount: formatAmount(input.amountMinor, input.currency),
        currency: input.currency,
        phone,
      },
    });
    return movement;
  }

  /**
   * A customer sends money out of their wallet over a rail. The checks run in the order transfers
   * use (the customer's own conditions: account, funds, the daily limit, step-up), then the money
   * is held at once and the payout recorded; the rail is asked after commit (`submit`).
   */
  async createWithdrawal(tx: Db, principal: Principal, input: WithdrawalInput): Promise<MovementRow> {
    if (principal.role !== 'customer') throw forbidden('Only customers move their own money.');
    const rail = this.railFor(input.rail, 'withdrawal');
    const destination = this.destinationFor(rail, input.destination);
    this.checkAmount(rail, input.amountMinor, input.currency);

    const account = (await this.ledger.lock(tx, [input.accountId])).get(input.accountId);
    if (!account || account.ownerId !== principal.id) throw notFound('account');
    if (account.type !== 'wallet') throw conflict('Rail withdrawals leave from a wallet.');
    if (account.status !== 'open') throw conflict('The account to send from is not open.');
    if (account.currency !== input.currency)
      throw currencyMismatch(`The amount is in ${input.currency}; the account holds ${account.currency}.`);
    if (account.balanceMinor - account.heldMinor < input.amountMinor) throw insufficientFunds();
    const [customer] = (await this.kyc.lockCustomers(tx, [principal.id])).values();
    if (!customer) throw notFound('account');
    await this.kyc.assertCanSend(tx, customer, input.currency, input.amountMinor);
    await this.stepUp(tx, principal, destination.key, input);
    await this.kyc.recordSent(tx, customer, input.currency, input.amountMinor);

    const now = this.clock.now();
    const id = newId('wdr');
    const deadline = new Date(now.getTime() + this.timing.payoutAlertAfterMs);
    const hold = await this.ledger.placeHold(tx, {
      accountId: account.id,
      amountMinor: input.amountMinor,
      // Its expiry is when staff are alerted; a rail payout's hold is never voided by expiry.
      description: `Withdrawal ${id} to ${rail.name}`,
      expiresAt: deadline,
    });
    const movement = await tx.railMovement.create({
      data: {
        id,
        direction: 'withdrawal',
        rail: rail.name,
        customerId: principal.id,
        accountId: account.id,
        amountMinor: input.amountMinor,
        currency: input.currency,
        status: 'pending',
        destination: JSON.stringify(destination.wire),
        destinationKey: destination.key,
        // We name payouts ourselves (B2C OriginatorConversationID, pacs.008 EndToEndId).
        railReference: id,
        holdId: hold.id,
        bankDate: this.bankClock.today(),
        createdAt: now,
        deadlineAt: deadline,
        nextCheckAt: new Date(now.getTime() + this.timing.payoutFirstCheckMs),
        checks: 0,
      },
    });
    await this.audit.record(tx, principal, {
      action: 'withdrawal.created',
      subject: { type: 'withdrawal', id },
      before: { available: formatAmount(account.balanceMinor - account.heldMinor, input.currency) },
      after: {
        rail: rail.name,
        account_id: account.id,
        amount: formatAmount(input.amountMinor, input.currency),
        currency: input.currency,
        destination: destination.wire,
        hold_id: hold.id,
      },
    });
    return movement;
  }

  private destinationFor(
    rail: PaymentRail,
    destination: Destination,
  ): { wire: Record<string, string>; key: string; value: Destination } {
    if (rail.destinationKind === 'phone') {
      const phone = 'phone' in destination ? canonicalPhone(destination.phone) : undefined;
      if (!phone)
        throw validationFailed([
          { path: 'body.destination.phone', message: `${rail.name} pays a Kenyan mobile number` },
        ]);
      return { wire: { phone }, key: `${rail.name}:${phone}`, value: { phone } };
    }
    if ('phone' in destination)
      throw validationFailed([
        {
          path: 'body.destination',
          message: `${rail.name} pays a bank account: bank_code, account_number, account_name`,
        },
      ]);
    const value = {
      bankCode: destination.bankCode.toUpperCase(),
      accountNumber: destination.accountNumber,
      accountName: destination.accountName,
    };
    return {
      wire: {
        bank_code: value.bankCode,
        account_number: value.accountNumber,
        account_name: value.accountName,
      },
      key: `${rail.name}:${value.bankCode}:${value.accountNumber}`,
      value,
    };
  }

  /** Step-up as for transfers: above the threshold always, and for an enrolled customer's first payout to a new destination. */
  private async stepUp(
    tx: Db,
    principal: Principal,
    destinationKey: string,
    input: WithdrawalInput,
  ): Promise<void> {
    const threshold = this.stepUpThresholds[input.currency] ?? 0n;
    const large = input.amountMinor > threshold;
    const enrolled = await this.mfa.isEnabled(tx, principal.id);
    if (!enrolled) {
      if (large)
        throw enrolFirst(
          `Withdrawals above ${input.currency} ${formatAmount(threshold, input.currency)} need a second factor.`,
        );
      return;
    }
    const [known] = await tx.$queryRawUnsafe<{ id: string }[]>(
      "SELECT id FROM rail_movements WHERE customer_id = ? AND destination_key = ? AND direction = 'withdrawal' AND status = 'succeeded' LIMIT 1",
      principal.id,
      destinationKey,
    );
    if (!large && known) return;
    if (!input.otp)
      throw mfaRequired(
        large
          ? 'This amount needs your one-time code: send `otp`.'
          : 'A first withdrawal to a new destination needs your one-time code: send `otp`.',
      );
    if (!(await this.mfa.check(tx, principal.id, input.otp))) throw new OtpRejectedError(principal.id);
  }

  /**
   * Hands a recorded movement to its rail, once: the claim (`submitted_at`) is taken before the
   * call, so a replayed request or a second instance never sends it twice. A refusal fails it at
   * once; no answer leaves it pending (a deposit then fails at its timeout, a payout is queried).
   */
  async submit(movementId: string): Promise<void> {
    const now = this.clock.now();
    const claimed = await this.database.sql.$executeRawUnsafe(
      "UPDATE rail_movements SET submitted_at = ? WHERE id = ? AND submitted_at IS NULL AND status = 'pending'",
      now,
      movementId,
    );
    if (claimed !== 1) return;
    const movement = await this.database.prisma.railMovement.findUnique({ where: { id: movementId } });
    const rail = movement ? this.registry.get(movement.rail) : undefined;
    if (!movement || !rail) return;
    const destination = JSON.parse(movement.destination) as Record<string, string>;
    let result: Awaited<ReturnType<NonNullable<PaymentRail['startPayout']>>>;
    try {
      if (movement.direction === 'deposit') {
        result = await (rail.startDeposit as NonNullable<PaymentRail['startDeposit']>)({
          movementId: movement.id,
          amountMinor: movement.amountMinor,
          currency: movement.currency,
          phone: destination.phone as string,
          description: 'Wallet top-up',
        });
      } else {
        const owner = await this.database.prisma.user.findUnique({
          where: { id: movement.customerId },
          select: { fullName: true },
        });
        result = await (rail.startPayout as NonNullable<PaymentRail['startPayout']>)({
          movementId: movement.id,
          amountMinor: movement.amountMinor,
          currency: movement.currency,
          destination: destination.phone
            ? { phone: destination.phone }
            : {
                bankCode: destination.bank_code as string,
                accountNumber: destination.account_number as string,
                accountName: destination.account_name as string,
              },
          payerName: owner?.fullName ?? movement.customerId,
          accountId: movement.accountId,
          bankDate: movement.bankDate,
          description: `Wekeza withdrawal ${movement.id}`,
        });
      }
    } catch (error) {
      result = { status: 'unknown', reason: (error as Error).message };
    }
    if (result.status === 'accepted') {
      if (movement.direction === 'deposit') {
        await this.database.prisma.railMovement.updateMany({
          where: { id: movement.id, railReference: null },
          data: { railReference: result.railReference },
        });
        // A callback that overtook this answer is waiting in the inbox.
        await this.processInbox({ reference: result.railReference });
      }
      return;
    }
    if (result.status === 'refused') {
      const outcome: RailOutcome =
        movement.direction === 'deposit'
          ? { type: 'deposit.failed', railReference: '', reason: `refused: ${result.reason}` }
          : {
              type: 'payout.failed',
              railReference: movement.railReference ?? movement.id,
              reason: `refused: ${result.reason}`,
            };
      await this.applyTo(movement.id, outcome);
      return;
    }
    this.log('rail gave no answer', { movement: movement.id, reason: result.reason });
    if (movement.direction === 'withdrawal')
      await this.database.prisma.railMovement.updateMany({
        where: { id: movement.id, status: 'pending' },
        data: { nextCheckAt: new Date(this.clock.now().getTime() + this.timing.payoutFirstCheckMs) },
      });
  }

  // ---- Reading movements ----------------------------------------------------------------------

  /** A deposit or withdrawal: its customer, and staff, may see it. */
  async get(principal: Principal, id: string, direction: Direction): Promise<MovementRow> {
    const movement = await this.database.prisma.railMovement.findUnique({ where: { id } });
    if (!movement || movement.direction !== direction) throw notFound(direction);
    if (principal.role === 'banker' || principal.role === 'admin') return movement;
    if (principal.role !== 'customer' || movement.customerId !== principal.id) throw notFound(direction);
    return movement;
  }

  // ---- What the rails say ---------------------------------------------------------------------

  /**
   * An authenticated callback: the rail reads it (junk → RailCallbackError, nothing changes), each
   * outcome is kept in the inbox (so an answer that overtook its request is not lost) and applied.
   */
  async receiveCallback(railName: string, kind: string, body: unknown): Promise<CallbackResult['reply']> {
    const rail = this.registry.get(railName);
    if (!rail?.callbackKinds.includes(kind)) throw new RailCallbackError('no such callback');
    const result = await rail.handleCallback(kind, body, {
      acceptsIncoming: async (accountNumber) => accountNumber.trim().length > 0,
    });
    await this.receive(rail, kind, result.outcomes);
    return result.reply;
  }

  /** Keeps outcomes in the inbox, then applies each; what cannot be applied yet stays for the worker. */
  async receive(rail: PaymentRail, kind: string, outcomes: RailOutcome[]): Promise<void> {
    for (const outcome of outcomes) {
      const entry: InboxEntry = {
        id: newId('rin'),
        rail: rail.name,
        kind,
        reference: 'railReference' in outcome ? outcome.railReference : outcome.receipt,
        outcome: JSON.stringify(outcome, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)),
        receivedAt: this.clock.now(),
      };
      let result: Applied | 'error';
      try {
        result = await this.apply(rail, outcome, entry);
      } catch (error) {
        this.log('rail outcome not applied yet', { reference: entry.reference, error: String(error) });
        result = 'error';
      }
      // Applied (or found a no-op) in its own transaction, which kept the row; else it waits here.
      if (result === 'applied' || result === 'no-op') continue;
      const done = result === 'raced';
      await this.database.prisma.railInbox.create({
        data: { ...entry, attempts: 1, processedAt: done ? this.clock.now() : null },
      });
    }
  }

  /** Applies what the inbox holds that is not yet applied (all, or one reference's). */
  async processInbox(filter: { reference?: string } = {}): Promise<void> {
    const items = await this.database.prisma.railInbox.findMany({
      where: { processedAt: null, ...(filter.reference ? { reference: filter.reference } : {}) },
      orderBy: { receivedAt: 'asc' },
      take: 200,
    });
    for (const item of items) {
      const rail = this.registry.get(item.rail);
      if (!rail) continue;
      await this.processInboxItem(item.id, rail, reviveOutcome(item.outcome), item.receivedAt);
    }
  }

  private async processInboxItem(
    id: string,
    rail: PaymentRail,
    outcome: RailOutcome,
    receivedAt?: Date,
  ): Promise<void> {
    let result: Applied;
    try {
      result = await this.apply(rail, outcome);
    } catch (error) {
      this.log('rail outcome not applied yet', { inbox: id, error: String(error) });
      await this.database.sql.$executeRawUnsafe(
        'UPDATE rail_inbox SET attempts = attempts + 1 WHERE id = ?',
        id,
      );
      return;
    }
    if (result === 'unmatched') {
      const orphaned =
        receivedAt !== undefined &&
        this.clock.now().getTime() - receivedAt.getTime() >= this.timing.orphanAfterMs;
      if (!orphaned) {
        await this.database.sql.$executeRawUnsafe(
          'UPDATE rail_inbox SET attempts = attempts + 1 WHERE id = ?',
          id,
        );
        return;
      }
      await this.orphan(rail, outcome);
    }
    await this.database.sql.$executeRawUnsafe(
      'UPDATE rail_inbox SET processed_at = ?, attempts = attempts + 1 WHERE id = ? AND processed_at IS NULL',
      this.clock.now(),
      id,
    );
  }

  /** Applies one outcome, exactly once whatever repeats it; `unmatched` when it names no movement we know. */
  async apply(rail: PaymentRail, outcome: RailOutcome, entry?: InboxEntry): Promise<Applied> {
    if (outcome.type === 'incoming') return this.credit(rail, outcome, entry);
    const movement = await this.database.prisma.railMovement.findUnique({
      where: { rail_railReference: { rail: rail.name, railReference: outcome.railReference } },
      select: { id: true },
    });
    if (!movement) return 'unmatched';
    return this.applyTo(movement.id, outcome, entry);
  }

  /** Keeps what the rail said, applied, in the transaction that applied it. */
  private async keep(tx: Db, entry: InboxEntry | undefined): Promise<void> {
    if (entry) await tx.railInbox.create({ data: { ...entry, attempts: 1, processedAt: this.clock.now() } });
  }

  private async applyTo(
    movementId: string,
    outcome: Exclude<RailOutcome, { type: 'incoming' }>,
    entry?: InboxEntry,
  ): Promise<Applied> {
    try {
      return await transaction(this.database, async (tx) => {
        const movement = await tx.railMovement.findUnique({ where: { id: movementId } });
        if (!movement) return 'unmatched';
        const rail = this.registry.get(movement.rail);
        if (!rail) return 'no-op';
        let result: Applied;
        switch (outcome.type) {
          case 'deposit.succeeded':
            result = await this.depositSucceeded(tx, rail, movement, outcome);
            break;
          case 'deposit.failed':
            result = await this.depositFailed(tx, movement, outcome.reason);
            break;
          case 'payout.succeeded':
            result = await this.payoutSucceeded(tx, rail, movement, outcome.receipt);
            break;
          case 'payout.failed':
            result = await this.payoutFailed(tx, movement, outcome.reason);
            break;
          case 'payout.unknown':
            result = await this.payoutUnknown(tx, movement);
            break;
        }
        await this.keep(tx, entry);
        return result;
      });
    } catch (error) {
      // The receipt's unique key: another request credited this receipt first.
      if (isUniqueViolation(error)) return 'raced';
      throw error;
    }
  }

  private async depositSucceeded(
    tx: Db,
    rail: PaymentRail,
    movement: MovementRow,
    outcome: Extract<RailOutcome, { type: 'deposit.succeeded' }>,
  ): Promise<Applied> {
    if (movement.direction !== 'deposit') return 'no-op';
    const settlement = this.ledger.bankAccount(rail.settlementAccount, outcome.currency);
    if (await this.receiptKnown(tx, rail.name, outcome.receipt)) return 'no-op';
    if (movement.status === 'succeeded') {
      // The same request paid twice under two receipts: the money is real, staff decide whose it is.
      await this.toSuspense(tx, rail, { ...outcome, type: 'incoming', accountNumber: movement.id }, 'stk');
      return 'applied';
    }
    const locked = await this.ledger.lock(tx, [settlement, movement.accountId]);
    await this.kyc.lockCustomers(tx, [movement.customerId]);
    const entry = await this.ledger.post(
      tx,
      {
        kind: 'rail_deposit',
        description: `${rail.name} deposit ${outcome.receipt}`,
        postings: [
          { accountId: settlement, side: 'debit', amountMinor: outcome.amountMinor },
          { accountId: movement.accountId, side: 'credit', amountMinor: outcome.amountMinor },
        ],
      },
      locked,
    );
    await this.recordReceipt(tx, rail.name, outcome.receipt, {
      kind: 'stk',
      amountMinor: outcome.amountMinor,
      currency: outcome.currency,
      movementId: movement.id,
      target: 'deposit',
      targetId: movement.accountId,
      entryId: entry.id,
      reference: movement.railReference,
    });
    const now = this.clock.now();
    const changed = await tx.railMovement.updateMany({
      where: { id: movement.id, status: { in: ['pending', 'failed'] } },
      data: {
        status: 'succeeded',
        failureReason: null,
        receipt: outcome.receipt,
        entryId: entry.id,
        resolvedAt: now,
      },
    });
    if (changed.count !== 1)
      throw new DomainError(409, 'conflict', 'Conflict', 'the deposit changed meanwhile');
    const amount = money(outcome.amountMinor, outcome.currency);
    await this.audit.record(tx, SYSTEM, {
      action: 'deposit.succeeded',
      subject: { type: 'deposit', id: movement.id },
      before: { status: movement.status },
      after: {
        status: 'succeeded',
        receipt: outcome.receipt,
        amount,
        journal_entry_id: entry.id,
        late: movement.status === 'failed',
      },
    });
    await this.events.record(tx, {
      type: 'deposit.succeeded',
      customerId: movement.customerId,
      data: {
        deposit_id: movement.id,
        account_id: movement.accountId,
        rail: rail.name,
        amount,
        receipt: outcome.receipt,
      },
    });
    return 'applied';
  }

  private async depositFailed(tx: Db, movement: MovementRow, reason: string): Promise<Applied> {
    if (movement.direction !== 'deposit') return 'no-op';
    const changed = await tx.railMovement.updateMany({
      where: { id: movement.id, status: 'pending' },
      data: { status: 'failed', failureReason: reason.slice(0, 200), resolvedAt: this.clock.now() },
    });
    if (changed.count !== 1) return 'no-op';
    await this.audit.record(tx, SYSTEM, {
      action: 'deposit.failed',
      subject: { type: 'deposit', id: movement.id },
      before: { status: 'pending' },
      after: { status: 'failed', failure_reason: reason },
    });
    await this.events.record(tx, {
      type: 'deposit.failed',
      customerId: movement.customerId,
      data: {
        deposit_id: movement.id,
        account_id: movement.accountId,
        rail: movement.rail,
        amount: money(movement.amountMinor, movement.currency),
        failure_reason: reason,
      },
    });
    return 'applied';
  }

  private async payoutSucceeded(
    tx: Db,
    rail: PaymentRail,
    movement: MovementRow,
    receipt: string,
  ): Promise<Applied> {
    if (movement.direction !== 'withdrawal' || !movement.holdId) return 'no-op';
    const settlement = this.ledger.bankAccount(rail.settlementAccount, movement.currency);
    await this.ledger.lock(tx, [settlement, movement.accountId]);
    const now = this.clock.now();
    const changed = await tx.railMovement.updateMany({
      where: { id: movement.id, status: 'pending' },
      data: { status: 'succeeded', receipt, resolvedAt: now },
    });
    if (changed.count !== 1) {
      if (movement.status === 'failed') {
        // Only a definite failure voided the hold; a success after it is the rail contradicting itself.
        await this.audit.record(tx, SYSTEM, {
          action: 'rail.payout_contradiction',
          subject: { type: 'withdrawal', id: movement.id },
          after: { status: movement.status, reported: 'succeeded', receipt },
          reason: 'The rail reported success for a payout it had failed; staff must reconcile it.',
        });
        return 'applied';
      }
      return 'no-op';
    }
    const entry = await this.ledger.captureHold(tx, movement.holdId, {
      kind: 'rail_withdrawal',
      description: `${rail.name} withdrawal ${receipt}`,
      postings: [
        { accountId: movement.accountId, side: 'debit', amountMinor: movement.amountMinor },
        { accountId: settlement, side: 'credit', amountMinor: movement.amountMinor },
      ],
    });
    await tx.railMovement.update({ where: { id: movement.id }, data: { entryId: entry.id } });
    const amount = money(movement.amountMinor, movement.currency);
    await this.audit.record(tx, SYSTEM, {
      action: 'withdrawal.succeeded',
      subject: { type: 'withdrawal', id: movement.id },
      before: { status: 'pending' },
      after: {
        status: 'succeeded',
        receipt,
        amount,
        journal_entry_id: entry.id,
        alerted: movement.alertedAt !== null,
      },
    });
    await this.events.record(tx, {
      type: 'withdrawal.succeeded',
      customerId: movement.customerId,
      data: { withdrawal_id: movement.id, account_id: movement.accountId, rail: rail.name, amount, receipt },
    });
    return 'applied';
  }

  private async payoutFailed(tx: Db, movement: MovementRow, reason: string): Promise<Applied> {
    if (movement.direction !== 'withdrawal' || !movement.holdId) return 'no-op';
    await this.ledger.lock(tx, [movement.accountId]);
    const [customer] = (await this.kyc.lockCustomers(tx, [movement.customerId])).values();
    const changed = await tx.railMovement.updateMany({
      where: { id: movement.id, status: 'pending' },
      data: { status: 'failed', failureReason: reason.slice(0, 200), resolvedAt: this.clock.now() },
    });
    if (changed.count !== 1) return 'no-op';
    await this.ledger.voidHold(tx, movement.holdId);
    // It never left: it does not count towards the day's outgoing limit.
    if (customer)
      await this.kyc.releaseSent(
        tx,
        customer as LockedCustomer,
        movement.currency,
        movement.bankDate,
        movement.amountMinor,
      );
    await this.audit.record(tx, SYSTEM, {
      action: 'withdrawal.failed',
      subject: { type: 'withdrawal', id: movement.id },
      before: { status: 'pending' },
      after: { status: 'failed', failure_reason: reason, hold_id: movement.holdId },
    });
    await this.events.record(tx, {
      type: 'withdrawal.failed',
      customerId: movement.customerId,
      data: {
        withdrawal_id: movement.id,
        account_id: movement.accountId,
        rail: movement.rail,
        amount: money(movement.amountMinor, movement.currency),
        failure_reason: reason,
      },
    });
    return 'applied';
  }

  /** No result (a queue timeout): ask the rail soon. Never a failure. */
  private async payoutUnknown(tx: Db, movement: MovementRow): Promise<Applied> {
    if (movement.direction !== 'withdrawal' || movement.status !== 'pending') return 'no-op';
    const soon = new Date(this.clock.now().getTime() + Math.min(1_000, this.timing.payoutFirstCheckMs));
    await tx.railMovement.updateMany({
      where: { id: movement.id, status: 'pending', nextCheckAt: { gt: soon } },
      data: { nextCheckAt: soon },
    });
    return 'applied';
  }

  // ---- Money paid in by the payer (C2B) -------------------------------------------------------

  /**
   * A paybill payment: credited once per receipt. The account number the payer typed is a loan
   * number (the loan is repaid; any excess goes to its owner's wallet), else a wallet's phone or
   * account id, else unknown (suspense, for staff). A wallet whose owner may not hold more sends
   * the payment to suspense too.
   */
  private async credit(
    rail: PaymentRail,
    outcome: Extract<RailOutcome, { type: 'incoming' }>,
    entry?: InboxEntry,
  ): Promise<Applied> {
    try {
      return await transaction(this.database, async (tx) => {
        if (await this.receiptKnown(tx, rail.name, outcome.receipt)) {
          await this.keep(tx, entry);
          return 'no-op';
        }
        const settlement = this.ledger.bankAccount(rail.settlementAccount, outcome.currency);
        await this.ledger.lock(tx, [settlement]);
        let remaining = outcome.amountMinor;
        let loanId: string | undefined;
        let owner: string | undefined;
        const loanNumber = outcome.accountNumber;
        if (this.paybillTarget && /^[0-9]{1,12}$/.test(loanNumber)) {
          const repaid = await this.paybillTarget.repayByLoanNumber(tx, loanNumber, outcome.amountMinor, {
            rail: rail.name,
            receipt: outcome.receipt,
            accountId: settlement,
            currency: outcome.currency,
            phone: outcome.phone,
          });
          if (repaid) {
            if (repaid.appliedMinor < 0n || repaid.appliedMinor > outcome.amountMinor)
              throw new Error('a paybill repayment applied more than was paid');
            remaining -= repaid.appliedMinor;
            loanId = repaid.loanId;
            owner = repaid.customerId;
          }
        }
        if (!owner) owner = await this.walletOwnerFor(tx, outcome.accountNumber, outcome.currency);
        let target: 'loan' | 'wallet' | 'suspense' = loanId ? 'loan' : 'suspense';
        let targetId: string | undefined = loanId;
        let entryId: string | undefined;
        if (remaining > 0n) {
          const wallet = owner
            ? await this.creditableWallet(tx, owner, outcome.currency, remaining)
            : undefined;
          const to = wallet ?? this.ledger.bankAccount('rail_suspense', outcome.currency);
          const locked = await this.ledger.lock(tx, [settlement, to]);
          const entry = await this.ledger.post(
            tx,
            {
              kind: wallet ? 'rail_deposit' : 'rail_suspense',
              description: `${rail.name} paybill ${outcome.receipt} (${outcome.accountNumber || 'no account'})`,
              postings: [
                { accountId: settlement, side: 'debit', amountMinor: remaining },
                { accountId: to, side: 'credit', amountMinor: remaining },
              ],
            },
            locked,
          );
          entryId = entry.id;
          if (!loanId) {
            target = wallet ? 'wallet' : 'suspense';
            targetId = wallet ?? to;
          }
          if (wallet && owner)
            await this.events.record(tx, {
              type: 'deposit.succeeded',
              customerId: owner,
              data: {
                account_id: wallet,
                rail: rail.name,
                channel: 'paybill',
                amount: money(remaining, outcome.currency),
                receipt: outcome.receipt,
                ...(loanId ? { excess_of_loan_id: loanId } : {}),
              },
            });
        }
        await this.recordReceipt(tx, rail.name, outcome.receipt, {
          kind: 'c2b',
          amountMinor: outcome.amountMinor,
          currency: outcome.currency,
          movementId: null,
          target,
          targetId: targetId ?? null,
          entryId: entryId ?? null,
          reference: outcome.accountNumber.slice(0, 100),
        });
        await this.audit.record(tx, SYSTEM, {
          action: target === 'suspense' ? 'rail.payment_to_suspense' : 'rail.payment_received',
          subject: { type: 'rail_receipt', id: `${rail.name}:${outcome.receipt}` },
          after: {
            amount: money(outcome.amountMinor, outcome.currency),
            account_number: outcome.accountNumber,
            target,
            target_id: targetId ?? null,
            loan_id: loanId ?? null,
            excess: loanId ? money(remaining, outcome.currency) : null,
          },
        });
        await this.keep(tx, entry);
        return 'applied' as const;
      });
    } catch (error) {
      if (isUniqueViolation(error)) return 'raced';
      throw error;
    }
  }

  /** Who an account number names: a customer by their phone, or by a wallet account id. */
  private async walletOwnerFor(tx: Db, accountNumber: string, currency: string): Promise<string | undefined> {
    const phone = canonicalPhone(accountNumber);
    if (phone) {
      const user = await tx.user.findFirst({
        where: { phone: { in: [`+${phone}`, phone, `0${phone.slice(3)}`] }, role: 'customer' },
        select: { id: true },
      });
      if (user) return user.id;
    }
    if (/^acc_[0-9A-Za-z]{10,60}$/.test(accountNumber)) {
      const account = await tx.account.findUnique({
        where: { id: accountNumber },
        select: { ownerId: true, type: true, currency: true },
      });
      if (account?.type === 'wallet' && account.currency === currency && account.ownerId)
        return account.ownerId;
    }
    return undefined;
  }

  /** The owner's open wallet in the currency, when they may hold `amountMinor` more. */
  private async creditableWallet(
    tx: Db,
    ownerId: string,
    currency: string,
    amountMinor: bigint,
  ): Promise<string | undefined> {
    const wallet = await tx.account.findFirst({
      where: { ownerId, type: 'wallet', currency, status: 'open' },
      select: { id: true },
    });
    if (!wallet) return undefined;
    await this.ledger.lock(tx, [wallet.id]);
    const [customer] = (await this.kyc.lockCustomers(tx, [ownerId])).values();
    if (!customer || !(await this.kyc.canHold(tx, customer, currency, amountMinor))) return undefined;
    return wallet.id;
  }

  /** A rail success we could not match to any request: the money is real, so it waits in suspense. */
  private async orphan(rail: PaymentRail, outcome: RailOutcome): Promise<void> {
    if (outcome.type !== 'deposit.succeeded') {
      await transaction(this.database, (tx) =>
        this.audit.record(tx, SYSTEM, {
          action: 'rail.callback_unmatched',
          subject: { type: 'rail_callback', id: 'railReference' in outcome ? outcome.railReference : null },
          after: { rail: rail.name, type: outcome.type },
        }),
      );
      return;
    }
    try {
      await transaction(this.database, async (tx) => {
        if (await this.receiptKnown(tx, rail.name, outcome.receipt)) return;
        await this.toSuspense(
          tx,
          rail,
          { ...outcome, type: 'incoming', accountNumber: outcome.railReference },
          'stk',
        );
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }

  private async toSuspense(
    tx: Db,
    rail: PaymentRail,
    outcome: Extract<RailOutcome, { type: 'incoming' }>,
    kind: string,
  ): Promise<void> {
    const settlement = this.ledger.bankAccount(rail.settlementAccount, outcome.currency);
    const suspense = this.ledger.bankAccount('rail_suspense', outcome.currency);
    const locked = await this.ledger.lock(tx, [settlement, suspense]);
    const entry = await this.ledger.post(
      tx,
      {
        kind: 'rail_suspense',
        description: `${rail.name} receipt ${outcome.receipt} for an unknown request (${outcome.accountNumber})`,
        postings: [
          { accountId: settlement, side: 'debit', amountMinor: outcome.amountMinor },
          { accountId: suspense, side: 'credit', amountMinor: outcome.amountMinor },
        ],
      },
      locked,
    );
    await this.recordReceipt(tx, rail.name, outcome.receipt, {
      kind,
      amountMinor: outcome.amountMinor,
      currency: outcome.currency,
      movementId: null,
      target: 'suspense',
      targetId: suspense,
      entryId: entry.id,
      reference: outcome.accountNumber.slice(0, 100),
    });
    await this.audit.record(tx, SYSTEM, {
      action: 'rail.payment_to_suspense',
      subject: { type: 'rail_receipt', id: `${rail.name}:${outcome.receipt}` },
      after: {
        amount: money(outcome.amountMinor, outcome.currency),
        reference: outcome.accountNumber,
        journal_entry_id: entry.id,
      },
    });
  }

  private async receiptKnown(tx: Db, rail: string, receipt: string): Promise<boolean> {
    const found = await tx.railReceipt.findUnique({
      where: { rail_receipt: { rail, receipt } },
      select: { rail: true },
    });
    return found !== null;
  }

  /** The once-per-receipt guard: its primary key refuses a second credit of the same receipt, even a racing one. */
  private async recordReceipt(
    tx: Db,
    rail: string,
    receipt: string,
    row: {
      kind: string;
      amountMinor: bigint;
      currency: string;
      movementId: string | null;
      target: string;
      targetId: string | null;
      entryId: string | null;
      reference: string | null;
    },
  ): Promise<void> {
    await tx.railReceipt.create({ data: { rail, receipt, ...row, createdAt: this.clock.now() } });
  }

  // ---- The schedule (RailsWorker) -------------------------------------------------------------

  /** Deposits whose STK request got no answer in time: failed (a late success is still credited). */
  async failTimedOutDeposits(): Promise<number> {
    const due = await this.database.prisma.railMovement.findMany({
      where: { direction: 'deposit', status: 'pending', deadlineAt: { lte: this.clock.now() } },
      select: { id: true },
      take: 500,
    });
    let failed = 0;
    for (const { id } of due)
      if (
        (await this.applyTo(id, { type: 'deposit.failed', railReference: '', reason: 'timeout' })) ===
        'applied'
      )
        failed += 1;
    return failed;
  }

  /** Payouts without an answer whose time to ask has come: ask the rail, and alert staff past the deadline. */
  async checkPayouts(): Promise<number> {
    const now = this.clock.now();
    const due = await this.database.prisma.railMovement.findMany({
      where: { direction: 'withdrawal', status: 'pending', nextCheckAt: { lte: now } },
      take: 200,
      orderBy: { nextCheckAt: 'asc' },
    });
    for (const movement of due) {
      const rail = this.registry.get(movement.rail);
      if (!rail) continue;
      const wait = Math.min(
        this.timing.payoutFirstCheckMs * 2 ** Math.min(movement.checks, 16),
        this.timing.payoutCheckMaxMs,
      );
      await this.database.prisma.railMovement.updateMany({
        where: { id: movement.id, status: 'pending' },
        data: { checks: { increment: 1 }, nextCheckAt: new Date(now.getTime() + wait) },
      });
      if (movement.submittedAt === null) {
        await this.submit(movement.id);
        continue;
      }
      try {
        const outcomes = await rail.queryStatus({ ...movement, direction: movement.direction as Direction });
        if (outcomes.length > 0) await this.receive(rail, 'status-query', outcomes);
      } catch (error) {
        this.log('status query failed', { movement: movement.id, error: String(error) });
      }
    }
    await this.alertUnresolvedPayouts();
    return due.length;
  }

  /**
   * A payout still unknown at its deadline keeps its hold (a late success must not overdraw the
   * wallet) and raises a staff alert once: an audit event, and `alerted_at` on the movement (the
   * row an alerting rule counts).
   */
  async alertUnresolvedPayouts(): Promise<number> {
    const now = this.clock.now();
    const due = await this.database.prisma.railMovement.findMany({
      where: { direction: 'withdrawal', status: 'pending', alertedAt: null, deadlineAt: { lte: now } },
      select: { id: true, rail: true, amountMinor: true, currency: true, holdId: true, checks: true },
      take: 500,
    });
    for (const movement of due) {
      await transaction(this.database, async (tx) => {
        const changed = await tx.railMovement.updateMany({
          where: { id: movement.id, status: 'pending', alertedAt: null },
          data: { alertedAt: now },
        });
        if (changed.count !== 1) return;
        await this.audit.record(tx, SYSTEM, {
          action: 'rail.payout_unresolved',
          subject: { type: 'withdrawal', id: movement.id },
          after: {
            rail: movement.rail,
            amount: money(movement.amountMinor, movement.currency),
            hold_id: movement.holdId,
            status_queries: movement.checks,
          },
          reason:
            'No definite answer from the rail by the deadline; the money stays held until staff or the rail resolve it.',
        });
      });
    }
    return due.length;
  }

  /** Movements recorded but never handed to their rail (a crash between commit and the call). */
  async submitStragglers(): Promise<void> {
    const before = new Date(this.clock.now().getTime() - 2_000);
    const due = await this.database.prisma.railMovement.findMany({
      where: { status: 'pending', submittedAt: null, createdAt: { lte: before } },
      select: { id: true },
      take: 100,
    });
    for (const { id } of due) await this.submit(id);
  }

  /** Periodic work of the rails themselves (status reports waiting in a folder). */
  async pollRails(): Promise<void> {
    for (const rail of this.registry.list()) {
      if (!rail.poll) continue;
      const outcomes = await rail.poll();
      if (outcomes.length > 0) await this.receive(rail, 'poll', outcomes);
    }
  }

  /**
   * Holds that are not rail payouts keep the ledger's plain expiry (voided at `expires_at`); a rail
   * payout's hold is resolved only by the rail's answer.
   */
  async expireOtherHolds(): Promise<number> {
    const due = await this.database.sql.$queryRawUnsafe<{ id: string }[]>(
      `SELECT h.id FROM holds h
        WHERE h.status = 'pending' AND h.expires_at <= ?
          AND NOT EXISTS (SELECT 1 FROM rail_movements m WHERE m.hold_id = h.id)
        LIMIT 500`,
      this.clock.now(),
    );
    let voided = 0;
    for (const { id } of due) {
      try {
        await transaction(this.database, (tx) => this.ledger.voidHold(tx, String(id)));
        voided += 1;
      } catch (error) {
        if (!(error instanceof DomainError && error.code === 'conflict')) throw error;
      }
    }
    return voided;
  }
}

/** An inbox row's outcome back as an object (amounts were stored as strings). */
function reviveOutcome(text: string): RailOutcome {
  const outcome = JSON.parse(text) as RailOutcome & { amountMinor?: string };
  if ('amountMinor' in outcome && outcome.amountMinor !== undefined)
    return { ...outcome, amountMinor: BigInt(outcome.amountMinor) } as RailOutcome;
  return outcome;
}
