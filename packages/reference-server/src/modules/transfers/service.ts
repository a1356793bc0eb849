import { formatAmount } from '@wekeza/sdk';
import type { Clock } from '../../clock.ts';
import type { Db, Sql } from '../../db/database.ts';
import {
  conflict,
  currencyMismatch,
  forbidden,
  mfaRequired,
  notFound,
  validationFailed,
} from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { AuditLog } from '../audit/log.ts';
import type { Principal } from '../identity/service.ts';
import type { KycService } from '../kyc/service.ts';
import type { Ledger } from '../ledger/ledger.ts';
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

/** Move: intra-bank transfers, real time and atomic, as one journal entry. */
export class TransfersService {
  constructor(
    private readonly db: Db,
    private readonly ledger: Ledger,
    private readonly clock: Clock,
    private readonly kyc: KycService,
    private readonly mfa: MfaService,
    private readonly audit: AuditLog,
    /** Outgoing amount above which a TOTP code is needed, per currency (absent: always). */
    private readonly stepUpThresholds: Record<string, bigint>,
  ) {}

  /**
   * Sends money from one of the customer's accounts to another of theirs or to another customer's
   * wallet. Both accounts are locked (in a fixed order) before anything is checked, so the balance
   * check and the posting see the same figures whatever runs beside them.
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
    if (from.status !== 'open' || to.status !== 'open') throw conflict('Both accounts must be open.');
    if (from.currency !== input.currency || to.currency !== input.currency) {
      throw currencyMismatch(
        `The amount is in ${input.currency}; the accounts hold ${from.currency} and ${to.currency}.`,
      );
    }

    const own = to.ownerId === principal.id;
    const customers = await this.kyc.lockCustomers(tx, [principal.id, to.ownerId]);
    const sender = customers.get(principal.id);
    const receiver = customers.get(to.ownerId);
    if (!sender || !receiver) throw notFound('account');
    if (!own) {
      await this.stepUp(tx, principal, to.id, input);
      await this.kyc.assertCanSend(tx, sender, input.currency, input.amountMinor);
      await this.kyc.assertCanHold(tx, receiver, input.currency, input.amountMinor);
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
    await this.audit.record(tx, principal, {
      action: 'transfer.created',
      subject: { type: 'transfer', id: transfer.id },
      before: { from_balance: formatAmount(from.balanceMinor + input.amountMinor, input.currency) },
      after: {
        from_account_id: from.id,
        to_account_id: to.id,
        amount: formatAmount(input.amountMinor, input.currency),
        currency: input.currency,
        journal_entry_id: entry.id,
        from_balance: formatAmount(from.balanceMinor, input.currency),
      },
      reason: input.reference ?? null,
    });
    return transfer;
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
