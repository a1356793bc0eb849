import { formatAmount } from '@wekeza/sdk';
import type { BankClock } from '../../bank-clock.ts';
import type { Clock } from '../../clock.ts';
import type { Db, Sql } from '../../db/database.ts';
import { forbidden, notFound } from '../../errors.ts';
import type { PageRequest } from '../../http/pagination.ts';
import { newId } from '../../ids.ts';
import type { AuditLog } from '../audit/log.ts';
import type { Principal } from '../identity/service.ts';

export type SavingsProductRow = NonNullable<Awaited<ReturnType<Db['savingsProduct']['findUnique']>>>;

export interface NewSavingsProduct {
  /** A fixed id (the sandbox seed); a new `sprod_…` when absent. */
  id?: string;
  name: string;
  type: 'savings' | 'fixed_deposit';
  currency: string;
  annualRate: string;
  minOpeningBalanceMinor: bigint;
  termMonths?: number[] | undefined;
  earlyCloseForfeitShare?: string | undefined;
}

/** The terms a fixed-deposit product offers, from the column ("3,6,12"). */
export function productTerms(product: Pick<SavingsProductRow, 'termMonths'>): number[] {
  return product.termMonths ? product.termMonths.split(',').map(Number) : [];
}

/**
 * Savings and fixed-deposit products: administrators create them and change their rate (audited);
 * anyone signed in lists them. A product's rate has a history by bank day, so interest for a day is
 * always accrued at the rate of that day, however late the job for it runs.
 */
export class SavingsProducts {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly bankClock: BankClock,
    private readonly audit: AuditLog,
  ) {}

  async create(tx: Db, principal: Principal, input: NewSavingsProduct): Promise<SavingsProductRow> {
    if (principal.role !== 'admin') throw forbidden('Only administrators manage savings products.');
    const product = await this.insert(tx, input);
    await this.audit.record(tx, principal, {
      action: 'savings_product.created',
      subject: { type: 'savings_product', id: product.id },
      after: auditView(product),
    });
    return product;
  }

  /** Creates a product and its first rate, effective today (the sandbox seed calls this directly). */
  async insert(tx: Db, input: NewSavingsProduct): Promise<SavingsProductRow> {
    const now = this.clock.now();
    const product = await tx.savingsProduct.create({
      data: {
        id: input.id ?? newId('sprod'),
        name: input.name,
        type: input.type,
        currency: input.currency,
        annualRate: input.annualRate,
        minOpeningBalanceMinor: input.minOpeningBalanceMinor,
        termMonths:
          input.type === 'fixed_deposit'
            ? [...(input.termMonths ?? [])].sort((a, b) => a - b).join(',')
            : null,
        earlyCloseForfeitShare: input.type === 'fixed_deposit' ? (input.earlyCloseForfeitShare ?? '0') : null,
        status: 'active',
        createdAt: now,
        updatedAt: now,
      },
    });
    await this.recordRate(tx, product.id, input.annualRate);
    return product;
  }

  /** A new rate from today's bank date on (days already accrued keep theirs), and the product's status. */
  async update(
    tx: Db,
    principal: Principal,
    id: string,
    change: { annualRate: string; status: 'active' | 'retired'; reason: string },
  ): Promise<SavingsProductRow> {
    if (principal.role !== 'admin') throw forbidden('Only administrators manage savings products.');
    // Serialises two changes of one product, so the audit's before/after follow each other.
    await tx.$executeRawUnsafe('UPDATE savings_products SET updated_at = updated_at WHERE id = ?', id);
    const before = await tx.savingsProduct.findUnique({ where: { id } });
    if (!before) throw notFound('savings product');
    const product = await tx.savingsProduct.update({
      where: { id },
      data: { annualRate: change.annualRate, status: change.status, updatedAt: this.clock.now() },
    });
    if (before.annualRate !== change.annualRate) await this.recordRate(tx, id, change.annualRate);
    await this.audit.record(tx, principal, {
      action: 'savings_product.updated',
      subject: { type: 'savings_product', id },
      before: { annual_rate: before.annualRate, status: before.status },
      after: {
        annual_rate: product.annualRate,
        status: product.status,
        effective_from: this.bankClock.today(),
      },
      reason: change.reason,
    });
    return product;
  }

  list(page: PageRequest): Promise<SavingsProductRow[]> {
    return this.db.savingsProduct.findMany({
      where: page.startingAfter ? { id: { gt: page.startingAfter } } : {},
      orderBy: { id: 'asc' },
      take: page.limit + 1,
    });
  }

  /** One product (in plain SQL, so it also runs in a money transaction on the hot-path executor). */
  async get(id: string, db: Sql = this.db): Promise<SavingsProductRow> {
    const [row] = await db.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT id, name, type, currency, annual_rate, min_opening_balance_minor, term_months, early_close_forfeit_share,
              status, created_at, updated_at
         FROM savings_products WHERE id = ?`,
      id,
    );
    if (!row) throw notFound('savings product');
    return {
      id: String(row.id),
      name: String(row.name),
      type: String(row.type),
      currency: String(row.currency),
      annualRate: String(row.annual_rate),
      minOpeningBalanceMinor: BigInt(String(row.min_opening_balance_minor)),
      termMonths: row.term_months === null ? null : String(row.term_months),
      earlyCloseForfeitShare:
        row.early_close_forfeit_share === null ? null : String(row.early_close_forfeit_share),
      status: String(row.status),
      createdAt: toDate(row.created_at),
      updatedAt: toDate(row.updated_at),
    };
  }

  /** The oldest active savings product of the currency: what a savings account opens on when none is named. */
  async defaultSavings(db: Db, currency: string): Promise<SavingsProductRow | null> {
    return db.savingsProduct.findFirst({
      where: { type: 'savings', currency, status: 'active' },
      orderBy: { createdAt: 'asc' },
    });
  }

  /** The product's annual rate on bank day `date`: the latest change effective on or before it. */
  async rateOn(tx: Sql, productId: string, date: string): Promise<string> {
    const [row] = await tx.$queryRawUnsafe<{ annual_rate: string }[]>(
      `SELECT annual_rate FROM savings_product_rates
        WHERE product_id = ? AND effective_from <= ?
        ORDER BY effective_from DESC, id DESC LIMIT 1`,
      productId,
      date,
    );
    if (row) return String(row.annual_rate);
    // A day before the product's first rate (a bank whose clock was set back): its first rate.
    const [first] = await tx.$queryRawUnsafe<{ annual_rate: string }[]>(
      'SELECT annual_rate FROM savings_product_rates WHERE product_id = ? ORDER BY effective_from, id LIMIT 1',
      productId,
    );
    if (!first) throw new Error(`savings product ${productId} has no rate`);
    return String(first.annual_rate);
  }

  private async recordRate(tx: Sql, productId: string, annualRate: string): Promise<void> {
    await tx.$executeRawUnsafe(
      'INSERT INTO savings_product_rates (id, product_id, effective_from, annual_rate, created_at) VALUES (?, ?, ?, ?, ?)',
      newId('sprate'),
      productId,
      this.bankClock.today(),
      annualRate,
      this.clock.now(),
    );
  }
}

/** A DATETIME as a raw query returns it: a Date (MySQL), an ISO string or epoch milliseconds (SQLite). */
function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'bigint' || typeof value === 'number') return new Date(Number(value));
  return new Date(String(value));
}

function auditView(product: SavingsProductRow) {
  return {
    name: product.name,
    type: product.type,
    currency: product.currency,
    annual_rate: product.annualRate,
    min_opening_balance: formatAmount(product.minOpeningBalanceMinor, product.currency),
    term_months: productTerms(product),
    early_close_forfeit_share: product.earlyCloseForfeitShare,
  };
}
