import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { conflict, currencyMismatch, forbidden, notFound, validationFailed } from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { Principal } from '../identity/service.ts';
import type { Ledger } from '../ledger/ledger.ts';

export interface TransferInput {
  fromAccountId: string;
  toAccountId: string;
  amountMinor: bigint;
  currency: string;
  reference?: string | undefined;
}

export type TransferRow = NonNullable<Awaited<ReturnType<Db['transfer']['findUnique']>>>;

/** Move: intra-bank transfers, real time and atomic, as one journal entry. */
export class TransfersService {
  constructor(
    private readonly db: Db,
    private readonly ledger: Ledger,
    private readonly clock: Clock,
  ) {}

  /**
   * Sends money from one of the customer's accounts to another of theirs or to another customer's
   * wallet. Both accounts are locked (in a fixed order) before anything is checked, so the balance
   * check and the posting see the same figures whatever runs beside them.
   */
  async create(tx: Db, principal: Principal, input: TransferInput): Promise<TransferRow> {
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
    return transfer;
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
