/**
 * What Insure's services share: their collaborators, the entry kinds, and the `policies` row reader.
 */
import type { BankClock } from '../../bank-clock.ts';
import type { Clock } from '../../clock.ts';
import type { Database, Sql } from '../../db/database.ts';
import { conflict } from '../../errors.ts';
import type { Actor, AuditLog } from '../audit/log.ts';
import type { EventLog } from '../events/log.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { LoansService } from '../loans/service.ts';
import { type InsuranceProducts, toDate } from './products.ts';

export interface InsuranceContext {
  db: Database;
  ledger: Ledger;
  products: InsuranceProducts;
  loans: LoansService;
  audit: AuditLog;
  events: EventLog;
  clock: Clock;
  bankClock: BankClock;
}

/** Who acts when the bank's daily jobs collect premiums, lapse policies and remit. */
export const SYSTEM: Actor = { id: 'system', role: 'system' };

/** The journal entry kinds of Insure (docs/insurance.md lists their postings). */
export const ENTRY_KIND = {
  premium: 'insurance_premium',
  refund: 'insurance_premium_refund',
  claim: 'insurance_claim_payout',
  remittance: 'insurance_remittance',
} as const;

export interface BeneficiaryRow {
  name: string;
  phone: string;
  relationship: string;
  share: string;
}

export type PolicyStatus = 'active' | 'in_grace' | 'lapsed' | 'cancelled' | 'expired';

export interface PolicyRow {
  id: string;
  customerId: string;
  productId: string;
  fundingAccountId: string;
  currency: string;
  sumInsuredMinor: bigint;
  premiumMinor: bigint;
  status: PolicyStatus;
  startDate: string;
  endDate: string | null;
  nextDueDate: string | null;
  periodsPaid: number;
  lapsedOn: string | null;
  closedOn: string | null;
  loanId: string | null;
  beneficiaries: BeneficiaryRow[];
  createdAt: Date;
}

const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

export function policyFromRow(row: Record<string, unknown>): PolicyRow {
  return {
    id: String(row.id),
    customerId: String(row.customer_id),
    productId: String(row.product_id),
    fundingAccountId: String(row.funding_account_id),
    currency: String(row.currency),
    sumInsuredMinor: BigInt(String(row.sum_insured_minor)),
    premiumMinor: BigInt(String(row.premium_minor)),
    status: String(row.status) as PolicyStatus,
    startDate: String(row.start_date),
    endDate: str(row.end_date),
    nextDueDate: str(row.next_due_date),
    periodsPaid: Number(row.periods_paid),
    lapsedOn: str(row.lapsed_on),
    closedOn: str(row.closed_on),
    loanId: str(row.loan_id),
    beneficiaries: row.beneficiaries ? (JSON.parse(String(row.beneficiaries)) as BeneficiaryRow[]) : [],
    createdAt: toDate(row.created_at),
  };
}

/** Reads one policy; `lock` takes its row lock (MySQL) for the rest of the transaction. */
export async function readPolicy(
  tx: Sql,
  dialect: Database['dialect'],
  id: string,
  lock = false,
): Promise<PolicyRow | null> {
  const [row] = await tx.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT * FROM policies WHERE id = ?${lock && dialect === 'mysql' ? ' FOR UPDATE' : ''}`,
    id,
  );
  return row ? policyFromRow(row) : null;
}

/** Refuses (409) when the policy has a claim still in progress: filing another, or cancelling, waits for it. */
export async function refuseWhileClaimOpen(tx: Sql, policyId: string): Promise<void> {
  const [open] = await tx.$queryRawUnsafe<{ id: string }[]>(
    "SELECT id FROM insurance_claims WHERE policy_id = ? AND status IN ('submitted', 'under_review', 'approved')",
    policyId,
  );
  if (open) throw conflict(`Claim ${String(open.id)} on this policy is still open.`);
}
