/**
 * Loan products (DOMAIN.md, Borrow): an administrator's pricing and limits, and the quote — the
 * schedule any loan of the given terms gets (schedule.ts `buildSchedule`), fee, net disbursed,
 * total cost and APR — a pure calculation with no side effect.
 */
import { formatAmount, maxMinor } from '@wekeza/sdk';
import type { Clock } from '../../clock.ts';
import type { Db, Sql } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/transaction.ts';
import { currencyMismatch, forbidden, notFound, validationFailed } from '../../errors.ts';
import type { PageRequest } from '../../http/pagination.ts';
import { newId } from '../../ids.ts';
import type { AuditLog } from '../audit/log.ts';
import type { Principal } from '../identity/service.ts';
import { parseRate } from './exact.ts';
import {
  type Amortization,
  buildSchedule,
  type InterestMethod,
  type LoanSchedule,
  type LoanTerms,
} from './schedule.ts';

export type LoanProductRecord = NonNullable<Awaited<ReturnType<Db['loanProduct']['findUnique']>>>;

export interface LoanProductInput {
  name: string;
  currency: string;
  interestMethod: InterestMethod;
  amortization?: Amortization | undefined;
  annualRate: string;
  minAmountMinor: bigint;
  maxAmountMinor: bigint;
  minTermMonths: number;
  maxTermMonths: number;
  processingFeeRate: string;
  penaltyRate: string;
  graceDays: number;
  writeOffDays: number;
}

/** A quote: the product, the terms asked for, and the schedule an accepted loan of them gets. */
export interface Quote {
  product: LoanProductRecord;
  termMonths: number;
  schedule: LoanSchedule;
}

const MAX_RATE = '10'; // 1,000 % a year: anything above is a typo, not a product

export class LoanProductsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  /** An administrator adds a product (audited). */
  async create(tx: Db, admin: Principal, input: LoanProductInput): Promise<LoanProductRecord> {
    if (admin.role !== 'admin') throw forbidden('Only administrators manage loan products.');
    const product = await tx.loanProduct.create({
      data: { id: newId('lprod'), ...checkedProduct(input), status: 'active', createdAt: this.clock.now() },
    });
    await this.audit.record(tx, admin, {
      action: 'loan_product.created',
      subject: { type: 'loan_product', id: product.id },
      after: productAudit(product),
    });
    return product;
  }

  /** Creates a product with a fixed id if it does not exist yet (the sandbox seed). */
  async ensure(tx: Db, id: string, input: LoanProductInput): Promise<LoanProductRecord> {
    const existing = await tx.loanProduct.findUnique({ where: { id } });
    if (existing) return existing;
    try {
      return await tx.loanProduct.create({
        data: { id, ...checkedProduct(input), status: 'active', createdAt: this.clock.now() },
      });
    } catch (error) {
      // Another server seeded it first.
      if (!isUniqueViolation(error)) throw error;
      return tx.loanProduct.findUniqueOrThrow({ where: { id } });
    }
  }

  /** Active products, oldest first. */
  list(page: PageRequest): Promise<LoanProductRecord[]> {
    return this.db.loanProduct.findMany({
      where: { status: 'active', ...(page.startingAfter ? { id: { gt: page.startingAfter } } : {}) },
      orderBy: { id: 'asc' },
      take: page.limit + 1,
    });
  }

  async get(id: string, db: Db = this.db): Promise<LoanProductRecord> {
    const product = await db.loanProduct.findUnique({ where: { id } });
    if (product?.status !== 'active') throw notFound('loan product');
    return product;
  }

  /** Reads a product inside a transaction written in plain SQL. */
  async read(tx: Sql, id: string): Promise<LoanProductRecord> {
    const [row] = await tx.$queryRawUnsafe<Record<string, unknown>[]>(
      'SELECT * FROM loan_products WHERE id = ?',
      id,
    );
    if (row?.status !== 'active') throw notFound('loan product');
    return productFromRow(row as Record<string, unknown>);
  }

  /** The quote for `amount` over `termMonths` if the loan were disbursed on `disbursementDate`. */
  async quote(
    productId: string,
    amountMinor: bigint,
    currency: string,
    termMonths: number,
    disbursementDate: string,
  ): Promise<Quote> {
    const product = await this.get(productId);
    const terms = termsFor(product, amountMinor, currency, termMonths, disbursementDate);
    return { product, termMonths, schedule: scheduleFor(terms) };
  }
}

/** The terms of a loan of the product, refused (422) when the amount, currency or term do not fit it. */
export function termsFor(
  product: LoanProductRecord,
  amountMinor: bigint,
  currency: string,
  termMonths: number,
  disbursementDate: string,
  paths = { amount: 'body.amount', term: 'body.term_months' },
): LoanTerms {
  if (currency !== product.currency)
    throw currencyMismatch(`The product lends in ${product.currency}; the amount is in ${currency}.`);
  const errors: { path: string; message: string }[] = [];
  if (amountMinor < product.minAmountMinor || amountMinor > product.maxAmountMinor) {
    errors.push({
      path: paths.amount,
      message: `must be between ${formatAmount(product.minAmountMinor, currency)} and ${formatAmount(product.maxAmountMinor, currency)} ${currency}`,
    });
  }
  if (termMonths < product.minTermMonths || termMonths > product.maxTermMonths) {
    errors.push({
      path: paths.term,
      message: `must be between ${product.minTermMonths} and ${product.maxTermMonths} months`,
    });
  }
  if (errors.length > 0) throw validationFailed(errors, 'The terms do not fit the loan product.');
  return {
    currency,
    principal: amountMinor,
    termMonths,
    annualRate: product.annualRate,
    interestMethod: product.interestMethod as InterestMethod,
    amortization: product.interestMethod === 'flat' ? undefined : (product.amortization as Amortization),
    processingFeeRate: product.processingFeeRate,
    disbursementDate,
  };
}

/**
 * The schedule of terms that fit a product. A product's own limits keep its loans schedulable; the
 * one thing left is a fee that rounds to the whole of a tiny principal, answered as bad input.
 */
export function scheduleFor(terms: LoanTerms): LoanSchedule {
  try {
    return buildSchedule(terms);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw validationFailed(
      [{ path: 'body.amount', message: error.message }],
      'No schedule fits these terms.',
    );
  }
}

/** A product's fields, checked the way the schedule will need them (422 on what cannot work). */
function checkedProduct(input: LoanProductInput) {
  const errors: { path: string; message: string }[] = [];
  const rate = (value: string, path: string, below?: string) => {
    try {
      const r = parseRate(value, path);
      const limit = parseRate(below ?? MAX_RATE, 'limit');
      const sign = r.num * limit.den - limit.num * r.den; // the sign of r − limit
      if (below !== undefined ? sign >= 0n : sign > 0n)
        errors.push({ path, message: below ? `must be below ${below}` : `must be at most ${MAX_RATE}` });
    } catch {
      errors.push({ path, message: 'must be a decimal string such as "0.18"' });
    }
  };
  rate(input.annualRate, 'body.annual_rate');
  rate(input.processingFeeRate, 'body.processing_fee_rate', '1');
  rate(input.penaltyRate, 'body.penalty_rate');
  if (input.interestMethod === 'flat' && input.amortization !== undefined)
    errors.push({ path: 'body.amortization', message: 'a flat-rate product has no amortization' });
  if (input.minAmountMinor <= 0n) errors.push({ path: 'body.min_amount', message: 'must be positive' });
  if (input.maxAmountMinor < input.minAmountMinor)
    errors.push({ path: 'body.max_amount', message: 'must be at least min_amount' });
  if (input.maxAmountMinor > maxMinor(input.currency))
    errors.push({ path: 'body.max_amount', message: 'is out of range' });
  if (input.maxTermMonths < input.minTermMonths)
    errors.push({ path: 'body.max_term_months', message: 'must be at least min_term_months' });
  if (errors.length > 0) throw validationFailed(errors, 'The loan product is not valid.');
  return {
    name: input.name,
    currency: input.currency,
    interestMethod: input.interestMethod,
    amortization:
      input.interestMethod === 'flat' ? null : (input.amortization ?? ('equal_instalments' as Amortization)),
    annualRate: input.annualRate,
    processingFeeRate: input.processingFeeRate,
    penaltyRate: input.penaltyRate,
    minAmountMinor: input.minAmountMinor,
    maxAmountMinor: input.maxAmountMinor,
    minTermMonths: input.minTermMonths,
    maxTermMonths: input.maxTermMonths,
    graceDays: input.graceDays,
    writeOffDays: input.writeOffDays,
  };
}

function productAudit(product: LoanProductRecord) {
  return {
    name: product.name,
    currency: product.currency,
    interest_method: product.interestMethod,
    amortization: product.amortization,
    annual_rate: product.annualRate,
    processing_fee_rate: product.processingFeeRate,
    penalty_rate: product.penaltyRate,
    min_amount: formatAmount(product.minAmountMinor, product.currency),
    max_amount: formatAmount(product.maxAmountMinor, product.currency),
    min_term_months: product.minTermMonths,
    max_term_months: product.maxTermMonths,
    grace_days: product.graceDays,
    write_off_days: product.writeOffDays,
  };
}

export function productFromRow(row: Record<string, unknown>): LoanProductRecord {
  return {
    id: String(row.id),
    name: String(row.name),
    currency: String(row.currency),
    interestMethod: String(row.interest_method),
    amortization: row.amortization === null ? null : String(row.amortization),
    annualRate: String(row.annual_rate),
    processingFeeRate: String(row.processing_fee_rate),
    penaltyRate: String(row.penalty_rate),
    minAmountMinor: BigInt(String(row.min_amount_minor)),
    maxAmountMinor: BigInt(String(row.max_amount_minor)),
    minTermMonths: Number(row.min_term_months),
    maxTermMonths: Number(row.max_term_months),
    graceDays: Number(row.grace_days),
    writeOffDays: Number(row.write_off_days),
    status: String(row.status),
    createdAt: row.created_at instanceof Date ? row.created_at : new Date(String(row.created_at)),
  };
}
