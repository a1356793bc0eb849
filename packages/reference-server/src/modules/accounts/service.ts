import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { conflict, forbidden, notFound, validationFailed } from '../../errors.ts';
import type { PageRequest } from '../../http/pagination.ts';
import { newId } from '../../ids.ts';
import type { Principal } from '../identity/service.ts';

export type AccountRow = NonNullable<Awaited<ReturnType<Db['account']['findUnique']>>>;
export type CustomerAccountType = 'wallet' | 'savings' | 'fixed_deposit';

/** A customer's own accounts: Save. Customers see only theirs; bankers and admins may read any customer's. */
export class AccountsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Opens a customer account (a liability of the bank: it grows with credits and may never go below zero). */
  async openAccount(
    tx: Db,
    ownerId: string,
    type: CustomerAccountType,
    currency: string,
  ): Promise<AccountRow> {
    if (type === 'wallet') {
      const existing = await tx.account.findFirst({
        where: { ownerId, type: 'wallet', currency },
        select: { id: true },
      });
      if (existing) throw conflict(`You already have a ${currency} wallet (${existing.id}).`);
    }
    return tx.account.create({
      data: {
        id: newId('acc'),
        ownerId,
        type,
        category: 'liability',
        normalSide: 'credit',
        currency,
        status: 'open',
        allowNegative: false,
        balanceMinor: 0n,
        heldMinor: 0n,
        postingCount: 0n,
        // The unique index on it settles two racing opens of the same wallet (409 conflict).
        walletKey: type === 'wallet' ? `${ownerId}:${currency}` : null,
        createdAt: this.clock.now(),
      },
    });
  }

  async open(tx: Db, principal: Principal, type: CustomerAccountType, currency: string): Promise<AccountRow> {
    if (principal.role !== 'customer') throw forbidden('Only customers open accounts for themselves.');
    return this.openAccount(tx, principal.id, type, currency);
  }

  /** The account if the principal may see it; otherwise `not_found`, so ids cannot be probed. */
  async visible(principal: Principal, id: string, db: Db = this.db): Promise<AccountRow> {
    const account = await db.account.findUnique({ where: { id } });
    if (!account || account.ownerId === null || !canSee(principal, account.ownerId))
      throw notFound('account');
    return account;
  }

  /** The id of the customer's home-currency wallet, or null. */
  async walletOf(ownerId: string): Promise<string | null> {
    const wallet = await this.db.account.findFirst({
      where: { ownerId, type: 'wallet' },
      orderBy: { id: 'asc' },
      select: { id: true },
    });
    return wallet?.id ?? null;
  }

  async list(principal: Principal, page: PageRequest): Promise<AccountRow[]> {
    if (principal.role !== 'customer') return [];
    return this.db.account.findMany({
      where: { ownerId: principal.id, ...(page.startingAfter ? { id: { gt: page.startingAfter } } : {}) },
      orderBy: { id: 'asc' },
      take: page.limit + 1,
    });
  }

  /** An account's history, newest first, with the journal entry each line belongs to. */
  async transactions(principal: Principal, accountId: string, page: PageRequest) {
    const account = await this.visible(principal, accountId);
    let before: bigint | undefined;
    if (page.startingAfter) {
      const cursor = await this.db.posting.findFirst({
        where: { id: page.startingAfter, accountId },
        select: { accountSeq: true },
      });
      if (!cursor)
        throw validationFailed([
          { path: 'query.starting_after', message: 'is not a transaction of this account' },
        ]);
      before = cursor.accountSeq;
    }
    const rows = await this.db.posting.findMany({
      where: { accountId, ...(before !== undefined ? { accountSeq: { lt: before } } : {}) },
      orderBy: { accountSeq: 'desc' },
      take: page.limit + 1,
      include: { entry: { select: { kind: true, description: true, effectiveDate: true } } },
    });
    return { account, rows };
  }
}

function canSee(principal: Principal, ownerId: string): boolean {
  return principal.id === ownerId || principal.role === 'banker' || principal.role === 'admin';
}
