import type { Db } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/transaction.ts';
import { conflict, forbidden, notFound, validationFailed } from '../../errors.ts';
import type { PageRequest } from '../../http/pagination.ts';
import { newId } from '../../ids.ts';
import type { Principal } from '../identity/service.ts';
import { normalisePhone } from './mask.ts';
import type { PayeesService, ResolvedPayee } from './service.ts';

/** At most this many saved payees per customer. */
export const MAX_SAVED_PAYEES = 50;

export type SavedPayeeRow = NonNullable<Awaited<ReturnType<Db['savedPayee']['findUnique']>>>;

/**
 * A customer's saved payees: phone numbers (with the customer's label and the bank's masked name)
 * to pick instead of typing. Saving resolves the number first, through the same limited and counted
 * lookup as sending (PayeesService), so saving cannot be used to probe numbers either: a number
 * that pays nobody is the resolver's 404. No account id is stored or shown; a send resolves again.
 */
export class SavedPayees {
  constructor(
    private readonly db: Db,
    private readonly payees: PayeesService,
    private readonly now: () => Date,
  ) {}

  async list(principal: Principal, page: PageRequest): Promise<SavedPayeeRow[]> {
    this.#customer(principal);
    return this.db.savedPayee.findMany({
      where: {
        customerId: principal.id,
        ...(page.startingAfter ? { id: { gt: page.startingAfter } } : {}),
      },
      orderBy: { id: 'asc' },
      take: page.limit + 1,
    });
  }

  /**
   * Resolves the number to save (the resolver's limits, counting and 404), outside any transaction:
   * the rate limiter writes its own counters, which must not wait on the saving transaction.
   */
  async resolve(principal: Principal, phone: string): Promise<ResolvedPayee> {
    this.#customer(principal);
    return this.payees.resolve(principal, normalisePhone(phone));
  }

  async save(
    tx: Db,
    principal: Principal,
    input: { phone: string; label?: string | undefined },
    resolved: ResolvedPayee,
  ) {
    this.#customer(principal);
    const phone = normalisePhone(input.phone);
    const count = await tx.savedPayee.count({ where: { customerId: principal.id } });
    if (count >= MAX_SAVED_PAYEES)
      throw validationFailed([{ path: 'phone', message: `at most ${MAX_SAVED_PAYEES} saved payees` }]);
    const existing = await tx.savedPayee.findUnique({
      where: { customerId_phone: { customerId: principal.id, phone } },
      select: { id: true },
    });
    if (existing) throw conflict(`That number is already a saved payee (${existing.id}).`);
    try {
      return await tx.savedPayee.create({
        data: {
          id: newId('pye'),
          customerId: principal.id,
          phone,
          label: input.label ?? null,
          displayName: resolved.displayName,
          createdAt: this.now(),
        },
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('That number is already a saved payee.');
      throw error;
    }
  }

  async remove(tx: Db, principal: Principal, id: string): Promise<SavedPayeeRow> {
    this.#customer(principal);
    const row = await tx.savedPayee.findUnique({ where: { id } });
    if (!row || row.customerId !== principal.id) throw notFound('saved payee');
    await tx.savedPayee.delete({ where: { id } });
    return row;
  }

  #customer(principal: Principal): void {
    if (principal.role !== 'customer') throw forbidden('Only customers keep saved payees.');
  }
}
