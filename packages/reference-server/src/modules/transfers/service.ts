import { formatAmount } from '@wekeza/sdk';
import type { Clock } from '../../clock.ts';
import type { Db, Sql } from '../../db/database.ts';
import {
  conflict,
  currencyMismatch,
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
  /** TOTP code for step-up. */
  otp?: string | undefined;
}

export type TransferRow = NonNullable<Awaited<ReturnType<Db['transfer']['findUnique']>>>;

const available = (account: LockedAccount) => account.balanceMinor - account.heldMinor;

/** Move: intra-bank transfers, real time and atomic, as one journal entry. */
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
   * wallet. Both accounts, then both customers, are locked (in a fixed order) before anything is
   * checked, so the checks and the posting see the same figures whatever runs beside them. The
   * sender's own conditions come first (funds, daily limit, step-up); only then the receiver's,
   * whose refusal is `recipient_cannot_receive` with no detail: a payer, even one with no money,
   * learns nothing about another customer's balance, status or currency.
   */
  async create(tx: Sql, principal: Principal, input: TransferInput): Promise<TransferRow> {
    if (principal.role !== 'customer') throw forbidden('Only customers move their own money.');
    if (input.fromAccountId === input.toAccountId) {
      throw validationFailed([{ path: 'body.to_account_id', message: 'must differ from from_account_id' }]);
    }
    const accounts = await this.ledger.lock(tx, [input.fromAccountId, input.toAccountId]);
    const from = accounts.get(input.fromAccountId);
    const to = accounts.get(input.toAccountId);
    if (!from || from.ownerId !== principal.id) throw notFound('account');
    // Another customer's account is reachable only when it is their wallet.
    if (!to || to.ownerId === null || (to.ownerId !== principal.id && to.type !== 'wallet'))
      throw notFound('account');
    const own = to.ownerId === principal.id;

    // The sender's own conditions.
    if (from.status !== 'open') throw conflict('The account to send from is not open.');
    if (from.currency !== input.currency)
      throw currencyMismatch(`The amount is in ${input.currency}; the account holds ${from.currency}.`);
    if (own && to.status !== 'open') throw conflict('The account to send to is not open.');
    if (own && to.currency !== input.currency)
      throw currencyMismatch(
        `The amount is in ${input.currency}; the receiving account holds ${to.currency}.`,
      );
    if (available(from) < input.amountMinor) throw insufficientFunds();
    const customers = await this.kyc.lockCustomers(tx, [principal.id, to.ownerId]);
    const sender = customers.get(principal.id);
    if (!sender) throw notFound('account');
    if (!own) {
      await this.kyc.assertCanSend(tx, sender, input.currency, input.amountMinor);
      await this.stepUp(tx, principal, to.id, input);
      // Then the receiver's: one answer for every reason.
      const receiver = customers.get(to.ownerId);
      if (
        !receiver ||
        to.status !== 'open' ||
        to.currency !== input.currency ||
        !(await this.kyc.canHold(tx, receiver, input.currency, input.amountMinor))
      )
        throw recipientCannotReceive();
      await this.kyc.recordSent(tx, sender, input.currency, input.amountMinor);
    }

    const entry = await this.ledger.post(
      tx,
      {
        kind: 'transfer',
        description: input.reference ?? (own ? 'Transfer between own accounts' : 'Transfer'),
        postings: [
          { accountId: from.id, side: 'debit', amountMinor: input.amountMinor },
          { accountId: to.id, side: 'credit', amountMinor: input.amountMinor },
        ],
      },
      accounts,
    );
    const transfer: TransferRow = {
      id: newId('trf'),
      initiatedBy: principal.id,
      fromAccountId: from.id,
      toAccountId: to.id,
      amountMinor: input.amountMinor,
      currency: input.currency,
      reference: input.reference ?? null,
      status: 'completed',
      entryId: entry.id,
      createdAt: this.clock.now(),
      reversalEntryId: null,
      reversedAt: null,
    };
    await tx.$executeRawUnsafe(
      `INSERT INTO transfers (id, initiated_by, from_account_id, to_account_id, amount_minor, currency, reference, status, entry_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      transfer.id,
      transfer.initiatedBy,
      transfer.fromAccountId,
      transfer.toAccountId,
      transfer.amountMinor,
      transfer.currency,
      transfer.reference,
      transfer.status,
      transfer.entryId,
      transfer.createdAt,
    );
    const amount = formatAmount(input.amountMinor, input.currency);
    await this.audit.record(tx, principal, {
      action: 'transfer.created',
      subject: { type: 'transfer', id: transfer.id },
      before: { from_balance: formatAmount(from.balanceMinor + input.amountMinor, input.currency) },
      after: {
        from_account_id: from.id,
        to_account_id: to.id,
        amount,
        currency: input.currency,
        journal_entry_id: entry.id,
        from_balance: formatAmount(from.balanceMinor, input.currency),
      },
      reason: input.reference ?? null,
    });
    await this.recordEvents(tx, transfer, 'transfer.completed', [principal.id, to.ownerId]);
    return transfer;
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
    await this.recordEvents(
      tx,
      reversed,
      'transfer.reversed',
      owners.map((o) => o.ownerId),
    );
    return reversed;
  }

  /** One event per customer involved, each in that customer's own stream (one statement). */
  private async recordEvents(
    tx: Sql,
    transfer: TransferRow,
    type: string,
    owners: (string | null)[],
  ): Promise<void> {
    const customers = [...new Set(owners)].filter((o): o is string => o !== null);
    const data = {
      transfer_id: transfer.id,
      from_account_id: transfer.fromAccountId,
      to_account_id: transfer.toAccountId,
      amount: { amount: formatAmount(transfer.amountMinor, transfer.currency), currency: transfer.currency },
    };
    await this.events.recordAll(
      tx,
      customers.map((customerId) => ({ type, customerId, data })),
    );
  }

  /**
   * Step-up (DOMAIN.md, Move): above the threshold, and for a first transfer to a new payee when
   * the customer has a second factor, a valid unused TOTP code is needed. Without a second factor
   * nothing above the threshold can be sent at all.
   */
  private async stepUp(
    tx: Sql,
    principal: Principal,
    toAccountId: string,
    input: TransferInput,
  ): Promise<void> {
    const threshold = this.stepUpThresholds[input.currency] ?? 0n;
    const large = input.amountMinor > threshold;
    const enrolled = await this.mfa.isEnabled(tx, principal.id);
    if (!enrolled) {
      if (large)
        throw enrolFirst(
          `Transfers above ${input.currency} ${formatAmount(threshold, input.currency)} need a second factor.`,
        );
      return;
    }
    const [known] = await tx.$queryRawUnsafe<{ id: string }[]>(
      "SELECT id FROM transfers WHERE initiated_by = ? AND to_account_id = ? AND status = 'completed' LIMIT 1",
      principal.id,
      toAccountId,
    );
    if (!large && known) return;
    if (!input.otp)
      throw mfaRequired(
        large
          ? 'This amount needs your one-time code: send `otp`.'
          : 'A first transfer to a new payee needs your one-time code: send `otp`.',
      );
    if (!(await this.mfa.check(tx, principal.id, input.otp))) throw new OtpRejectedError(principal.id);
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
