/**
 * Insurance products: administrators create them (audited); anyone signed in lists them. A product
 * names its underwriter, cover type, premium (fixed, or a monthly rate of the sum insured — credit
 * life: of the outstanding loan principal), frequency, grace and reinstatement days, the bank's
 * commission, the refund rule on cancellation and who is eligible (age band, KYC tier). A credit-life
 * product also lists the loan products that offer it at acceptance, and whether it is mandatory there.
 */
import { formatAmount } from '@wekeza/sdk';
import type { Clock } from '../../clock.ts';
import type { Sql } from '../../db/database.ts';
import { forbidden, notFound, validationFailed } from '../../errors.ts';
import type { PageRequest } from '../../http/pagination.ts';
import { newId } from '../../ids.ts';
import type { AuditLog } from '../audit/log.ts';
import type { Principal } from '../identity/service.ts';
import type { PremiumTerms } from './premium.ts';

export type CoverType = 'life' | 'asset' | 'credit_life';

export interface InsuranceProductInput {
  /** A fixed id (the sandbox seed); a new `iprod_…` when absent. */
  id?: string;
  name: string;
  coverType: CoverType;
  underwriter: string;
  currency: string;
  premiumMinor: bigint | null;
  premiumRate: string | null;
  frequency: 'monthly' | 'single';
  termMonths: number | null;
  graceDays: number;
  reinstatementDays: number;
  commissionRate: string;
  refundRule: 'pro_rata' | 'none';
  minSumInsuredMinor: bigint | null;
  maxSumInsuredMinor: bigint | null;
  minAge: number | null;
  maxAge: number | null;
  minKycTier: number;
  loanProducts: { loanProductId: string; mandatory: boolean }[];
}

export interface InsuranceProduct extends InsuranceProductInput, PremiumTerms {
  id: string;
  status: 'active' | 'retired';
  createdAt: Date;
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const big = (v: unknown) => (v === null || v === undefined ? null : BigInt(String(v)));

export function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'bigint' || typeof value === 'number') return new Date(Number(value));
  return new Date(String(value));
}

export class InsuranceProducts {
  constructor(
    private readonly db: Sql,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  async create(tx: Sql, principal: Principal, input: InsuranceProductInput): Promise<InsuranceProduct> {
    if (principal.role !== 'admin') throw forbidden('Only administrators manage insurance products.');
    for (const [i, link] of input.loanProducts.entries()) {
      const [loanProduct] = await tx.$queryRawUnsafe<{ currency: string }[]>(
        'SELECT currency FROM loan_products WHERE id = ?',
        link.loanProductId,
      );
      if (!loanProduct)
        throw validationFailed([
          { path: `body.loan_products.${i}.loan_product_id`, message: 'is not a loan product' },
        ]);
      if (String(loanProduct.currency) !== input.currency)
        throw validationFailed([
          { path: `body.loan_products.${i}.loan_product_id`, message: 'lends in another currency' },
        ]);
    }
    const product = await this.insert(tx, input);
    await this.audit.record(tx, principal, {
      action: 'insurance_product.created',
      subject: { type: 'insurance_product', id: product.id },
      after: auditView(product),
    });
    return product;
  }

  /** Writes a product (the sandbox seed calls this directly). A loan product's previous credit-life link is replaced. */
  async insert(tx: Sql, input: InsuranceProductInput): Promise<InsuranceProduct> {
    const now = this.clock.now();
    const id = input.id ?? newId('iprod');
    await tx.$executeRawUnsafe(
      `INSERT INTO insurance_products (id, name, cover_type, underwriter, currency, premium_minor, premium_rate, frequency,
              term_months, grace_days, reinstatement_days, commission_rate, refund_rule, min_sum_insured_minor,
              max_sum_insured_minor, min_age, max_age, min_kyc_tier, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?)`,
      id,
      input.name,
      input.coverType,
      input.underwriter,
      input.currency,
      input.premiumMinor,
      input.premiumRate,
      input.frequency,
      input.termMonths,
      input.graceDays,
      input.reinstatementDays,
      input.commissionRate,
      input.refundRule,
      input.minSumInsuredMinor,
      input.maxSumInsuredMinor,
      input.minAge,
      input.maxAge,
      input.minKycTier,
      now,
      now,
    );
    for (const link of input.loanProducts) {
      await tx.$executeRawUnsafe(
        'DELETE FROM credit_life_terms WHERE loan_product_id = ?',
        link.loanProductId,
      );
      await tx.$executeRawUnsafe(
        'INSERT INTO credit_life_terms (loan_product_id, insurance_product_id, mandatory) VALUES (?, ?, ?)',
        link.loanProductId,
        id,
        link.mandatory ? 1 : 0,
      );
    }
    return this.get(id, tx);
  }

  async list(page: PageRequest): Promise<InsuranceProduct[]> {
    const rows = await this.db.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT * FROM insurance_products WHERE id > ? ORDER BY id LIMIT ${page.limit + 1}`,
      page.startingAfter ?? '',
    );
    return Promise.all(rows.map((row) => this.fromRow(row, this.db)));
  }

  async get(id: string, db: Sql = this.db): Promise<InsuranceProduct> {
    const [row] = await db.$queryRawUnsafe<Record<string, unknown>[]>(
      'SELECT * FROM insurance_products WHERE id = ?',
      id,
    );
    if (!row) throw notFound('insurance product');
    return this.fromRow(row, db);
  }

  /** The credit-life cover a loan product offers at acceptance, if any. */
  async creditLifeFor(
    tx: Sql,
    loanProductId: string,
  ): Promise<{ product: InsuranceProduct; mandatory: boolean } | null> {
    const [row] = await tx.$queryRawUnsafe<{ insurance_product_id: string; mandatory: unknown }[]>(
      'SELECT insurance_product_id, mandatory FROM credit_life_terms WHERE loan_product_id = ?',
      loanProductId,
    );
    if (!row) return null;
    const product = await this.get(String(row.insurance_product_id), tx);
    if (product.status !== 'active') return null;
    return { product, mandatory: Boolean(Number(row.mandatory)) };
  }

  private async fromRow(row: Record<string, unknown>, db: Sql): Promise<InsuranceProduct> {
    const links = await db.$queryRawUnsafe<{ loan_product_id: string; mandatory: unknown }[]>(
      'SELECT loan_product_id, mandatory FROM credit_life_terms WHERE insurance_product_id = ? ORDER BY loan_product_id',
      String(row.id),
    );
    return {
      id: String(row.id),
      name: String(row.name),
      coverType: String(row.cover_type) as CoverType,
      underwriter: String(row.underwriter),
      currency: String(row.currency),
      premiumMinor: big(row.premium_minor),
      premiumRate: row.premium_rate === null ? null : String(row.premium_rate),
      frequency: String(row.frequency) as 'monthly' | 'single',
      termMonths: num(row.term_months),
      graceDays: Number(row.grace_days),
      reinstatementDays: Number(row.reinstatement_days),
      commissionRate: String(row.commission_rate),
      refundRule: String(row.refund_rule) as 'pro_rata' | 'none',
      minSumInsuredMinor: big(row.min_sum_insured_minor),
      maxSumInsuredMinor: big(row.max_sum_insured_minor),
      minAge: num(row.min_age),
      maxAge: num(row.max_age),
      minKycTier: Number(row.min_kyc_tier),
      loanProducts: links.map((l) => ({
        loanProductId: String(l.loan_product_id),
        mandatory: Boolean(Number(l.mandatory)),
      })),
      status: String(row.status) as 'active' | 'retired',
      createdAt: toDate(row.created_at),
    };
  }
}

function auditView(p: InsuranceProduct) {
  const show = (minor: bigint | null) => (minor === null ? null : formatAmount(minor, p.currency));
  return {
    name: p.name,
    cover_type: p.coverType,
    underwriter: p.underwriter,
    currency: p.currency,
    premium: show(p.premiumMinor),
    premium_rate: p.premiumRate,
    frequency: p.frequency,
    term_months: p.termMonths,
    grace_days: p.graceDays,
    reinstatement_days: p.reinstatementDays,
    commission_rate: p.commissionRate,
    refund_rule: p.refundRule,
    min_sum_insured: show(p.minSumInsuredMinor),
    max_sum_insured: show(p.maxSumInsuredMinor),
    min_age: p.minAge,
    max_age: p.maxAge,
    min_kyc_tier: p.minKycTier,
    loan_products: p.loanProducts.map((l) => ({ loan_product_id: l.loanProductId, mandatory: l.mandatory })),
  };
}
