/**
 * The monthly remittance to each underwriter (the daily close of a month's last day): the premiums
 * collected and not yet remitted, less refunds, less the bank's commission (each product's rate on
 * its own premiums, rounded half-even once per product), less the claims the bank paid on the
 * underwriter's behalf. One journal entry:
 *
 *     Dr insurance premiums payable        premiums (net of refunds)
 *        Cr insurance commission income    commission
 *        Cr insurance claims receivable    claims set off
 *        Cr RTGS settlement                net paid to the underwriter
 *
 * (a negative net — claims above premiums — is a debit to RTGS settlement: the underwriter pays the
 * bank). Each premium, refund and claim remitted is marked with the remittance, so a day closed
 * twice remits nothing twice; the bordereau (CSV, csv-stringify) lists them.
 */
import { formatAmount } from '@wekeza/sdk';
import { Decimal } from '@wekeza/sdk/rates';
import { stringify } from 'csv-stringify/sync';
import { isLastDayOfMonth } from '../../bank-calendar.ts';
import type { Sql } from '../../db/database.ts';
import { sqlTransaction } from '../../db/transaction.ts';
import { forbidden } from '../../errors.ts';
import type { PageRequest } from '../../http/pagination.ts';
import { newId } from '../../ids.ts';
import type { Principal } from '../identity/service.ts';
import type { PostingInput } from '../ledger/ledger.ts';
import { ENTRY_KIND, type InsuranceContext, SYSTEM } from './context.ts';
import { roundMinor } from './premium.ts';
import { toDate } from './products.ts';

export interface RemittanceRow {
  id: string;
  underwriter: string;
  currency: string;
  period: string;
  premiumsMinor: bigint;
  commissionMinor: bigint;
  claimsOffsetMinor: bigint;
  netMinor: bigint;
  entryId: string | null;
  bordereau: string;
  createdAt: Date;
}

const big = (v: unknown) => BigInt(String(v ?? 0));

/** A cell a spreadsheet would run as a formula gets a leading quote (OWASP CSV injection). */
const safe = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

export class Remittances {
  constructor(private readonly s: InsuranceContext) {}

  /** Remits every underwriter's month ending on `day` (nothing on other days). */
  async runFor(day: string): Promise<void> {
    if (!isLastDayOfMonth(day)) return;
    const groups = await this.s.db.sql.$queryRawUnsafe<{ underwriter: string; currency: string }[]>(
      `SELECT underwriter, currency FROM policy_premiums WHERE remittance_id IS NULL AND collected_on <= ?
       UNION SELECT underwriter, currency FROM insurance_claims WHERE remittance_id IS NULL AND status = 'paid' AND paid_on <= ?
       ORDER BY 1, 2`,
      day,
      day,
    );
    for (const group of groups)
      await sqlTransaction(this.s.db, (tx) =>
        this.remit(tx, String(group.underwriter), String(group.currency), day),
      );
  }

  private async remit(tx: Sql, underwriter: string, currency: string, day: string): Promise<void> {
    const period = day.slice(0, 7);
    const premiums = await tx.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT p.id, p.policy_id, p.product_id, p.kind, p.due_date, p.collected_on, p.amount_minor, pr.commission_rate, pr.name
         FROM policy_premiums p JOIN insurance_products pr ON pr.id = p.product_id
        WHERE p.remittance_id IS NULL AND p.underwriter = ? AND p.currency = ? AND p.collected_on <= ?
        ORDER BY p.id${this.s.db.dialect === 'mysql' ? ' FOR UPDATE' : ''}`,
      underwriter,
      currency,
      day,
    );
    const claims = await tx.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT id, policy_id, paid_on, amount_minor FROM insurance_claims
        WHERE remittance_id IS NULL AND status = 'paid' AND underwriter = ? AND currency = ? AND paid_on <= ?
        ORDER BY id${this.s.db.dialect === 'mysql' ? ' FOR UPDATE' : ''}`,
      underwriter,
      currency,
      day,
    );
    if (premiums.length === 0 && claims.length === 0) return;
    const byProduct = new Map<string, { rate: string; total: bigint }>();
    let premiumsMinor = 0n;
    for (const row of premiums) {
      const amount = big(row.amount_minor);
      premiumsMinor += amount;
      const product = byProduct.get(String(row.product_id)) ?? {
        rate: String(row.commission_rate),
        total: 0n,
      };
      product.total += amount;
      byProduct.set(String(row.product_id), product);
    }
    let commissionMinor = 0n;
    for (const { rate, total } of byProduct.values())
      commissionMinor += roundMinor(new Decimal(rate).times(total.toString()));
    const claimsMinor = claims.reduce((sum, row) => sum + big(row.amount_minor), 0n);
    const netMinor = premiumsMinor - commissionMinor - claimsMinor;
    const id = newId('rem');
    // Signed amounts per account: positive is a debit, negative a credit; they sum to zero.
    const ledger = this.s.ledger;
    const signed: [string, bigint][] = [
      [ledger.bankAccount('insurance_premiums_payable', currency), premiumsMinor],
      [ledger.bankAccount('insurance_commission_income', currency), -commissionMinor],
      [ledger.bankAccount('insurance_claims_receivable', currency), -claimsMinor],
      [ledger.bankAccount('settlement_rtgs', currency), -netMinor],
    ];
    const postings: PostingInput[] = signed
      .filter(([, amount]) => amount !== 0n)
      .map(([accountId, amount]) => ({
        accountId,
        side: amount > 0n ? 'debit' : 'credit',
        amountMinor: amount > 0n ? amount : -amount,
      }));
    const entry =
      postings.length >= 2
        ? await ledger.post(tx, {
            kind: ENTRY_KIND.remittance,
            description: `Insurance remittance ${period} to ${underwriter}`,
            effectiveDate: day,
            postings,
          })
        : null;
    const show = (minor: bigint) => formatAmount(minor, currency);
    const bordereau = stringify(
      [
        [
          'type',
          'reference',
          'policy_id',
          'product',
          'due_date',
          'date',
          'amount',
          'commission_rate',
          'currency',
        ],
        ...premiums.map((row) => [
          String(row.kind),
          String(row.id),
          String(row.policy_id),
          safe(String(row.name)),
          String(row.due_date),
          String(row.collected_on),
          show(big(row.amount_minor)),
          String(row.commission_rate),
          currency,
        ]),
        ...claims.map((row) => [
          'claim',
          String(row.id),
          String(row.policy_id),
          '',
          '',
          String(row.paid_on),
          show(-big(row.amount_minor)),
          '',
          currency,
        ]),
      ],
      { record_delimiter: '\r\n' },
    );
    await tx.$executeRawUnsafe(
      `INSERT INTO insurance_remittances (id, underwriter, currency, period, premiums_minor, commission_minor,
              claims_offset_minor, net_minor, entry_id, bordereau, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      id,
      underwriter,
      currency,
      period,
      premiumsMinor,
      commissionMinor,
      claimsMinor,
      netMinor,
      entry?.id ?? null,
      bordereau,
      this.s.clock.now(),
    );
    const mark = async (table: string, ids: unknown[]) => {
      if (ids.length === 0) return;
      await tx.$executeRawUnsafe(
        `UPDATE ${table} SET remittance_id = ? WHERE remittance_id IS NULL AND id IN (${ids.map(() => '?').join(', ')})`,
        id,
        ...ids.map(String),
      );
    };
    await mark(
      'policy_premiums',
      premiums.map((row) => row.id),
    );
    await mark(
      'insurance_claims',
      claims.map((row) => row.id),
    );
    await this.s.audit.record(tx, SYSTEM, {
      action: 'insurance.remitted',
      subject: { type: 'insurance_remittance', id },
      after: {
        underwriter,
        currency,
        period,
        premiums: show(premiumsMinor),
        commission: show(commissionMinor),
        claims_offset: show(claimsMinor),
        net: show(netMinor),
        journal_entry_id: entry?.id ?? null,
      },
    });
  }

  async list(principal: Principal, page: PageRequest): Promise<RemittanceRow[]> {
    if (principal.role !== 'admin') throw forbidden('Administrators see remittances.');
    const rows = await this.s.db.sql.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT * FROM insurance_remittances WHERE id > ? ORDER BY id LIMIT ${page.limit + 1}`,
      page.startingAfter ?? '',
    );
    return rows.map((row) => ({
      id: String(row.id),
      underwriter: String(row.underwriter),
      currency: String(row.currency),
      period: String(row.period),
      premiumsMinor: big(row.premiums_minor),
      commissionMinor: big(row.commission_minor),
      claimsOffsetMinor: big(row.claims_offset_minor),
      netMinor: big(row.net_minor),
      entryId: row.entry_id === null ? null : String(row.entry_id),
      bordereau: String(row.bordereau),
      createdAt: toDate(row.created_at),
    }));
  }
}
