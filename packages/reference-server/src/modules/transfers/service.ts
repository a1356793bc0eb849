import { formatAmount } from '@wekeza/sdk';
import type { Clock } from '../../clock.ts';
import { type Db, type Figure, figuresStatement, type Sql } from '../../db/database.ts';
import { queryMany, type Writes, write } from '../../db/write-batch.ts';
import {
  conflict,
  currencyMismatch,
  DomainError,
  type FieldError,
  forbidden,
  insufficientFunds,
  mfaRequired,
  notFound,
  recipientCannotReceive,
  validationFailed,
} from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { AuditLog } from '../audit/log.ts';
import type { EventLog } from '../events/log.ts';
import type { Principal } from '../identity/service.ts';
import type { KycService } from '../kyc/service.ts';
import type { Ledger, LockedAccount } from '../ledger/ledger.ts';
import { enrolFirst, type MfaService, OtpRejectedError } from '../mfa/service.ts';

export interface TransferInput {
  fromAccountId: string;
  toAccountId: string;
  amountMinor: bigint;
  currency: string;
  reference?: string | undefined;
}

export type TransferRow = NonNullable<Awaited<ReturnType<Db['transfer']['findUnique']>>>;

/** One refused transfer of a batch: where, and the refusal a single transfer would have answered. */
interface Refusal {
  index: number;
  field: string;
  error: DomainError;
}

/** Transfers of one request, checked together: `refusals` say which fail, and why. */
class Refused extends Error {
  constructor(readonly refusals: Refusal[]) {
    super('refused');
  }
}

/** The most transfers one batch may hold. */
export const MAX_BATCH = 100;

const available = (account: LockedAccount) => account.balanceMinor - account.heldMinor;

/** Move: intra-bank transfers, real time and atomic, one journal entry each. */
export class TransfersService {
  constructor(
    private readonly db: Db,
    private readonly ledger: Ledger,
    private readonly clock: Clock,
    private readonly kyc: KycService,
    private readonly mfa: MfaService,
    private readonly audit: AuditLog,
    private readonly events: EventLog,
    /** Outgoing amount above which a TOTP code is needed, per currency (absent: always). */
    private readonly stepUpThresholds: Record<string, bigint>,
  ) {}

  /**
   * Sends money from one of the customer's accounts to another of theirs or to another customer's
   * wallet. Refusals are the single transfer's own: 404, 409 or 422 with its code.
   */
  async create(
    tx: Sql,
    principal: Principal,
    input: TransferInput & { otp?: string },
    writes: Writes = tx,
  ): Promise<TransferRow> {
    try {
      const [transfer] = await this.move(tx, principal, [input], input.otp, undefined, writes);
      return transfer as TransferRow;
    } catch (error) {
      throw error instanceof Refused ? (error.refusals[0] as Refusal).error : error;
    }
  }

  /**
   * Sends up to MAX_BATCH transfers all or nothing (a payroll, a settlement run): one transaction,
   * every account locked at once in one order, each transfer checked in the order given against
   * the balances and totals the earlier ones leave. Any refusal refuses the whole batch with 422,
   * its `errors[].path` naming each refused transfer (`/transfers/3/amount`); nothing is posted.
   * One `otp` covers the batch when what goes to other customers, together, needs step-up.
   */
  async createBatch(
    tx: Sql,
    principal: Principal,
    inputs: TransferInput[],
    otp: string | undefined,
    writes: Writes = tx,
  ): Promise<{ id: string; transfers: TransferRow[] }> {
    const batchId = newId('trb');
    try {
      return { id: batchId, transfers: await this.move(tx, principal, inputs, otp, batchId, writes) };
    } catch (error) {
      if (!(error instanceof Refused)) throw error;
      const [first] = error.refusals as [Refusal];
      const errors: FieldError[] = error.refusals.map((r) => ({
        path: `/transfers/${r.index}/${r.field}`,
        message: `${r.error.code}: ${r.error.detail ?? r.error.title}`,
      }));
      throw new DomainError(
        422,
        first.error.code,
        'Batch refused',
        `${error.refusals.length} of ${inputs.length} transfers cannot be made (the first: transfer ${first.index}, ${first.error.code}); nothing was posted.`,
        errors,
      );
    }
  }

  /**
   * The rule for one transfer or many. Accounts, then customers, are locked (in a fixed order)
   * before anything is read, so the checks and the postings see the same figures whatever runs
   * beside them, and every figure the checks need is read in one round trip. The sender's own
   * conditions come first (funds, daily limit, step-up); only then the receivers', whose refusal is
   * `recipient_cannot_receive` with no detail: a payer, even one with no money, learns nothing
   * about another customer's balance, status or currency. Reads go to `tx` as they are needed;
   * the writes that follow them may go to `writes`, a WriteBatch sent before commit.
   */
  private async move(
    tx: Sql,
    principal: Principal,
    inputs: TransferInput[],
    otp: string | undefined,
    batchId: string | undefined,
    writes: Writes,
  ): Promise<TransferRow[]> {
    if (principal.role !== 'customer') throw forbidden('Only customers move their own money.');
    const refusals: Refusal[] = [];
    const refuse = (index: number, field: string, error: DomainError) =>
      refusals.push({ index, field, error });
    inputs.forEach((input, i) => {
      if (input.fromAccountId === input.toAccountId)
        refuse(
          i,
          'to_account_id',
          validationFailed([{ path: 'body.to_account_id', message: 'must differ from from_account_id' }]),
        );
    });
    if (refusals.length > 0) throw new Refused(refusals);

    // Accounts, then their owners, locked and every figure the checks may need read: one round trip.
    const request = this.figureRequest(principal, inputs);
    const [accountRows, customerRows, figureRows] = await queryMany(tx, [
      this.ledger.lockStatement(inputs.flatMap((t) => [t.fromAccountId, t.toAccountId])),
      this.kyc.lockStatement(
        [principal.id],
        inputs.map((t) => t.toAccountId),
      ),
      figuresStatement(request.figures),
    ]);
    const accounts = this.ledger.lockedFrom(accountRows as Record<string, unknown>[]);
    const customers = this.kyc.customersFrom(customerRows);
    const values = (figureRows as Record<string, unknown>[])[0] as Record<string, unknown>;
    // Another customer's account is reachable only when it is their wallet.
    const reachable = (id: string) => {
      const account = accounts.get(id);
      return account &&
        account.ownerId !== null &&
        (account.ownerId === principal.id || account.type === 'wallet')
        ? account
        : undefined;
    };
    inputs.forEach((input, i) => {
      const from = accounts.get(input.fromAccountId);
      if (!from || from.ownerId !== principal.id) refuse(i, 'from_account_id', notFound('account'));
      else if (!reachable(input.toAccountId)) refuse(i, 'to_account_id', notFound('account'));
    });
    if (refusals.length > 0) throw new Refused(refusals);
    const sender = customers.get(principal.id);
    if (!sender) throw notFound('account');

    const others = inputs.filter(
      (t) => (accounts.get(t.toAccountId) as LockedAccount).ownerId !== principal.id,
    );
    const payees = new Set(others.map((t) => t.toAccountId));
    const enrolled = values.totp === 'enabled';
    const newPayee = [...payees].some((id) => Number(values[`paid_${request.payee.get(id)}`] ?? 0) === 0);

    // The sender's own conditions, transfer by transfer, on what the earlier ones leave.
    const spent = new Map<string, bigint>();
    const sent = new Map<string, bigint>();
    for (const [i, input] of inputs.entries()) {
      const from = accounts.get(input.fromAccountId) as LockedAccount;
      const to = accounts.get(input.toAccountId) as LockedAccount;
      const own = to.ownerId === principal.id;
      if (from.status !== 'open') {
        refuse(i, 'from_account_id', conflict('The account to send from is not open.'));
        continue;
      }
      // A fixed deposit's money moves only when it opens, closes early or matures (docs/savings.md).
      if (from.type === 'fixed_deposit' || to.type === 'fixed_deposit') {
        refuse(
          i,
          from.type === 'fixed_deposit' ? 'from_account_id' : 'to_account_id',
          conflict('A fixed deposit takes no transfers: close it, or let it mature.'),
        );
        continue;
      }
      if (from.currency !== input.currency) {
        refuse(
          i,
          'amount',
          currencyMismatch(`The amount is in ${input.currency}; the account holds ${from.currency}.`),
        );
        continue;
      }
      if (own && to.status !== 'open') {
        refuse(i, 'to_account_id', conflict('The account to send to is not open.'));
        continue;
      }
      if (own && to.currency !== input.currency) {
        refuse(
          i,
          'amount',
          currencyMismatch(`The amount is in ${input.currency}; the receiving account holds ${to.currency}.`),
        );
        continue;
      }
      const after = (spent.get(from.id) ?? 0n) + input.amountMinor;
      if (available(from) < after) {
        refuse(i, 'amount', insufficientFunds());
        continue;
      }
      spent.set(from.id, after);
      // Money arriving in one's own account earlier in the batch is available to send on.
      if (own) spent.set(to.id, (spent.get(to.id) ?? 0n) - input.amountMinor);
      if (!own) {
        const total = (sent.get(input.currency) ?? 0n) + input.amountMinor;
        try {
          this.kyc.checkSend(sender, input.currency, total, values[`sent_${input.currency}`]);
        } catch (error) {
          refuse(i, 'amount', error as DomainError);
          continue;
        }
        sent.set(input.currency, total);
      }
    }
    if (refusals.length > 0) throw new Refused(refusals);

    if (others.length > 0) await this.stepUp(tx, principal, others, otp, { enrolled, newPayee });

    // Then the receivers': one answer for every reason.
    const incoming = new Map<string, bigint>();
    inputs.forEach((input, i) => {
      const to = accounts.get(input.toAccountId) as LockedAccount;
      if (to.ownerId === principal.id) return;
      const receiver = customers.get(to.ownerId as string);
      const key = `${to.ownerId}:${input.currency}`;
      const total = (incoming.get(key) ?? 0n) + input.amountMinor;
      incoming.set(key, total);
      if (
        !receiver ||
        to.status !== 'open' ||
        to.currency !== input.currency ||
        !this.kyc.mayHold(
          receiver,
          input.currency,
          total,
          values[`held_${request.held.get(`${input.toAccountId}:${input.currency}`)}`],
        )
      )
        refuse(i, 'to_account_id', recipientCannotReceive());
    });
    if (refusals.length > 0) throw new Refused(refusals);

    for (const [currency, amount] of sent) await this.kyc.recordSent(writes, sender, currency, amount);
    const entries = await this.ledger.postMany(
      tx,
      inputs.map((input) => ({
        kind: 'transfer',
        description:
          input.reference ??
          ((accounts.get(input.toAccountId) as LockedAccount).ownerId === principal.id
            ? 'Transfer between own accounts'
            : 'Transfer'),
        postings: [
          { accountId: input.fromAccountId, side: 'debit' as const, amountMinor: input.amountMinor },
          { accountId: input.toAccountId, side: 'credit' as const, amountMinor: input.amountMinor },
        ],
      })),
      accounts,
      writes,
    );
    const now = this.clock.now();
    const transfers: TransferRow[] = inputs.map((input, i) => ({
      id: newId('trf'),
      initiatedBy: principal.id,
      fromAccountId: input.fromAccountId,
      toAccountId: input.toAccountId,
      amountMinor: input.amountMinor,
      currency: input.currency,
      reference: input.reference ?? null,
      status: 'completed',
      entryId: (entries[i] as { id: string }).id,
      createdAt: now,
      reversalEntryId: null,
      reversedAt: null,
      batchId: batchId ?? null,
    }));
    await write(
      writes,
      `INSERT INTO transfers (id, initiated_by, from_account_id, to_account_id, amount_minor, currency, reference, status, entry_id, created_at, batch_id)
       VALUES ${transfers.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      transfers.flatMap((t) => [
        t.id,
        t.initiatedBy,
        t.fromAccountId,
        t.toAccountId,
        t.amountMinor,
        t.currency,
        t.reference,
        t.status,
        t.entryId,
        t.createdAt,
        t.batchId,
      ]),
    );
    await this.audit.recordAll(
      writes,
      principal,
      transfers.map((t) => {
        const from = accounts.get(t.fromAccountId) as LockedAccount;
        return {
          action: 'transfer.created',
          subject: { type: 'transfer', id: t.id },
          after: {
            from_account_id: t.fromAccountId,
            to_account_id: t.toAccountId,
            amount: formatAmount(t.amountMinor, t.currency),
            currency: t.currency,
            journal_entry_id: t.entryId,
            ...(t.batchId ? { batch_id: t.batchId } : {}),
            // The sender's balance once the whole request is posted.
            from_balance: formatAmount(from.balanceMinor, t.currency),
          },
          reason: t.reference,
        };
      }),
    );
    await this.events.recordAll(
      writes,
      transfers.flatMap((t) =>
        [...new Set([principal.id, (accounts.get(t.toAccountId) as LockedAccount).ownerId as string])].map(
          (customerId) => ({ type: 'transfer.completed', customerId, data: eventData(t) }),
        ),
      ),
    );
    return transfers;
  }

  /**
   * Every figure the checks may need, asked before the accounts are known (they are read in the
   * same round trip as the locks, right after them): the sender's outgoing total for the day per
   * currency, whether they have TOTP, whether each payee was paid before, and what the owner of
   * each receiving account holds. Figures for the sender's own accounts are read and not used.
   */
  private figureRequest(principal: Principal, inputs: TransferInput[]) {
    const figures: Record<string, Figure> = { totp: this.mfa.status(principal.id) };
    for (const currency of new Set(inputs.map((t) => t.currency)))
      figures[`sent_${currency}`] = this.kyc.sentToday(principal.id, currency);
    const payee = new Map<string, number>();
    const held = new Map<string, number>();
    for (const t of inputs) {
      if (!payee.has(t.toAccountId)) {
        payee.set(t.toAccountId, payee.size);
        // EXISTS stops at the first: the cost does not grow with how often this payee was paid.
        figures[`paid_${payee.get(t.toAccountId)}`] = {
          sql: "SELECT EXISTS (SELECT 1 FROM transfers WHERE initiated_by = ? AND to_account_id = ? AND status = 'completed')",
          params: [principal.id, t.toAccountId],
        };
      }
      const key = `${t.toAccountId}:${t.currency}`;
      if (held.has(key)) continue;
      held.set(key, held.size);
      figures[`held_${held.get(key)}`] = this.kyc.holdings({ ownerOf: t.toAccountId }, t.currency);
    }
    return { figures, payee, held };
  }

  /**
   * Step-up (DOMAIN.md, Move): above the threshold (what goes to others in this request, together),
   * and for a first transfer to a new payee when the customer has a second factor, a valid unused
   * TOTP code is needed. Without a second factor nothing above the threshold can be sent at all.
   */
  private async stepUp(
    tx: Sql,
    principal: Principal,
    others: TransferInput[],
    otp: string | undefined,
    { enrolled, newPayee }: { enrolled: boolean; newPayee: boolean },
  ): Promise<void> {
    const totals = new Map<string, bigint>();
    for (const t of others) totals.set(t.currency, (totals.get(t.currency) ?? 0n) + t.amountMinor);
    const over = [...totals].find(([currency, total]) => total > (this.stepUpThresholds[currency] ?? 0n));
    if (!enrolled) {
      if (over) {
        const [currency] = over;
        const threshold = this.stepUpThresholds[currency] ?? 0n;
        throw enrolFirst(
          `Transfers above ${currency} ${formatAmount(threshold, currency)} need a second factor.`,
        );
      }
      return;
    }
    if (!over && !newPayee) return;
    if (!otp)
      throw mfaRequired(
        over
          ? 'This amount needs your one-time code: send `otp`.'
          : 'A first transfer to a new payee needs your one-time code: send `otp`.',
      );
    if (!(await this.mfa.check(tx, principal.id, otp))) throw new OtpRejectedError(principal.id);
  }

  /**
   * Undoes a transfer (an administrator's correction, with a reason): a reversing entry that swaps
   * every posting, the transfer marked `reversed` (its entry is never touched), audited. At most
   * once, whatever races (the ledger's unique index on `reverses_id`); the receiver must still hold
   * the money, else `insufficient_funds` and nothing changes.
   */
  async reverse(tx: Db, admin: Principal, transferId: string, reason: string): Promise<TransferRow> {
    if (admin.role !== 'admin') throw forbidden('Only administrators reverse transfers.');
    const transfer = await tx.transfer.findUnique({ where: { id: transferId } });
    if (!transfer) throw notFound('transfer');
    if (transfer.status === 'reversed') throw conflict('The transfer is already reversed.');
    const reversal = await this.ledger.reverse(tx, transfer.entryId, `Reversal of ${transfer.id}: ${reason}`);
    const now = this.clock.now();
    const { count } = await tx.transfer.updateMany({
      where: { id: transfer.id, status: 'completed' },
      data: { status: 'reversed', reversalEntryId: reversal.id, reversedAt: now },
    });
    if (count !== 1) throw conflict('The transfer is already reversed.');
    const reversed = { ...transfer, status: 'reversed', reversalEntryId: reversal.id, reversedAt: now };
    await this.audit.record(tx, admin, {
      action: 'transfer.reversed',
      subject: { type: 'transfer', id: transfer.id },
      before: { status: transfer.status, journal_entry_id: transfer.entryId },
      after: { status: 'reversed', reversal_entry_id: reversal.id },
      reason,
    });
    const owners = await tx.account.findMany({
      where: { id: { in: [transfer.fromAccountId, transfer.toAccountId] } },
      select: { ownerId: true },
    });
    await this.events.recordAll(
      tx,
      [...new Set(owners.map((o) => o.ownerId))]
        .filter((o): o is string => o !== null)
        .map((customerId) => ({ type: 'transfer.reversed', customerId, data: eventData(reversed) })),
    );
    return reversed;
  }

  /** A transfer is visible to whoever owns either side, and to bankers and admins. */
  async get(principal: Principal, id: string): Promise<TransferRow> {
    const transfer = await this.db.transfer.findUnique({ where: { id } });
    if (!transfer) throw notFound('transfer');
    if (principal.role === 'banker' || principal.role === 'admin') return transfer;
    if (principal.role !== 'customer') throw notFound('transfer');
    const owned = await this.db.account.count({
      where: { id: { in: [transfer.fromAccountId, transfer.toAccountId] }, ownerId: principal.id },
    });
    if (owned === 0) throw notFound('transfer');
    return transfer;
  }
}

function eventData(t: TransferRow) {
  return {
    transfer_id: t.id,
    from_account_id: t.fromAccountId,
    to_account_id: t.toAccountId,
    amount: { amount: formatAmount(t.amountMinor, t.currency), currency: t.currency },
  };
}
