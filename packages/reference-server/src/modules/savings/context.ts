/**
 * What the savings and fixed-deposit services share: their collaborators, and the small readers and
 * writers of the rows they keep beside the ledger (`savings_accounts`, `fixed_deposits`).
 */
import { Decimal } from '@wekeza/sdk/rates';
import type { BankClock } from '../../bank-clock.ts';
import type { Clock } from '../../clock.ts';
import type { Sql } from '../../db/database.ts';
import type { Actor, AuditLog } from '../audit/log.ts';
import type { EventLog } from '../events/log.ts';
import type { KycService } from '../kyc/service.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { SavingsProducts } from './products.ts';

export interface SavingsContext {
  ledger: Ledger;
  products: SavingsProducts;
  kyc: KycService;
  audit: AuditLog;
  events: EventLog;
  clock: Clock;
  bankClock: BankClock;
  /** Withholding tax on interest paid to customers, a decimal string ("0.15"). */
  withholdingTaxRate: string;
}

/** Who acts when the bank's own daily jobs move money. */
export const SYSTEM: Actor = { id: 'system', role: 'system' };

/** The journal entry kinds of Save (docs/savings.md lists their postings). */
export const ENTRY_KIND = {
  funding: 'account_funding',
  withdrawal: 'savings_withdrawal',
  interestPosting: 'interest_posting',
  withholdingTax: 'withholding_tax',
  interestAccrual: 'interest_accrual',
  interestForfeit: 'interest_forfeit',
  payout: 'fixed_deposit_payout',
} as const;

/** "0.15" → "15%", "0.0825" → "8.25%": for descriptions people read. */
export function percent(rate: string): string {
  return `${new Decimal(rate).times(100).toFixed()}%`;
}

export const big = (value: unknown): bigint =>
  value === null || value === undefined ? 0n : BigInt(String(value));

/** A savings account's interest state (one `savings_accounts` row). */
export interface SavingsRow {
  accountId: string;
  productId: string;
  openedOn: string;
  accruedThrough: string;
  accruedTimes365: string;
  postedThrough: string;
  closedOn: string | null;
}

export async function readSavingsRows(tx: Sql, accountIds: string[]): Promise<SavingsRow[]> {
  if (accountIds.length === 0) return [];
  const rows = await tx.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT account_id, product_id, opened_on, accrued_through, accrued_times_365, posted_through, closed_on
       FROM savings_accounts WHERE account_id IN (${accountIds.map(() => '?').join(', ')})`,
    ...accountIds,
  );
  return rows.map((row) => ({
    accountId: String(row.account_id),
    productId: String(row.product_id),
    openedOn: String(row.opened_on),
    accruedThrough: String(row.accrued_through),
    accruedTimes365: String(row.accrued_times_365),
    postedThrough: String(row.posted_through),
    closedOn: row.closed_on === null ? null : String(row.closed_on),
  }));
}

/** A fixed deposit's current term (one `fixed_deposits` row). */
export interface FixedDepositRow {
  accountId: string;
  productId: string;
  payoutAccountId: string;
  termNumber: number;
  principalMinor: bigint;
  annualRate: string;
  termMonths: number;
  openedOn: string;
  maturityDate: string;
  atMaturity: 'pay_out' | 'roll_over';
  forfeitShare: string;
  accruedThrough: string;
  accruedMinor: bigint;
  status: 'active' | 'matured' | 'closed';
  closedOn: string | null;
}

export async function readFixedDepositRows(tx: Sql, accountIds: string[]): Promise<FixedDepositRow[]> {
  if (accountIds.length === 0) return [];
  const rows = await tx.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT account_id, product_id, payout_account_id, term_number, principal_minor, annual_rate, term_months,
            opened_on, maturity_date, at_maturity, forfeit_share, accrued_through, accrued_minor, status, closed_on
       FROM fixed_deposits WHERE account_id IN (${accountIds.map(() => '?').join(', ')})`,
    ...accountIds,
  );
  return rows.map((row) => ({
    accountId: String(row.account_id),
    productId: String(row.product_id),
    payoutAccountId: String(row.payout_account_id),
    termNumber: Number(row.term_number),
    principalMinor: big(row.principal_minor),
    annualRate: String(row.annual_rate),
    termMonths: Number(row.term_months),
    openedOn: String(row.opened_on),
    maturityDate: String(row.maturity_date),
    atMaturity: String(row.at_maturity) as FixedDepositRow['atMaturity'],
    forfeitShare: String(row.forfeit_share),
    accruedThrough: String(row.accrued_through),
    accruedMinor: big(row.accrued_minor),
    status: String(row.status) as FixedDepositRow['status'],
    closedOn: row.closed_on === null ? null : String(row.closed_on),
  }));
}

/** Runs an UPDATE that must change exactly one row (its WHERE holds the watermark read under the lock). */
export async function updateOne(tx: Sql, sql: string, ...values: unknown[]): Promise<void> {
  const changed = await tx.$executeRawUnsafe(sql, ...values);
  if (changed !== 1) throw new Error(`expected to change one row, changed ${changed}: ${sql.split('\n')[0]}`);
}
