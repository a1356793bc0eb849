/**
 * Claims intake (basic): a customer (or a banker for them) files a claim on a policy in force, with a
 * description and its attachments' metadata; a banker moves it `submitted → under_review →
 * approved | rejected`, and pays an approved one — every step audited, the decision an event.
 *
 * Paying books what the bank pays on the underwriter's behalf against the claims receivable (the
 * underwriter owes it back; the monthly remittance sets it off against premiums):
 * - life: each beneficiary's share to the wallet of the customer with that phone number (the last
 *   share takes the rounding remainder); with no beneficiary named, the policyholder's account;
 * - asset: the policyholder's account;
 * - credit life: the loan's payoff today, applied to the loan as a repayment from the claims
 *   receivable, which closes it (the loans module's own receipt path).
 * A paid life or credit-life claim ends the policy (`expired`).
 */
import { Decimal } from '@wekeza/sdk/rates';
import type { Sql } from '../../db/database.ts';
import { conflict, DomainError, forbidden, notFound, validationFailed } from '../../errors.ts';
import type { PageRequest } from '../../http/pagination.ts';
import { money } from '../../http/render.ts';
import { newId } from '../../ids.ts';
import type { Principal } from '../identity/service.ts';
import {
  ENTRY_KIND,
  type InsuranceContext,
  type PolicyRow,
  readPolicy,
  refuseWhileClaimOpen,
} from './context.ts';
import { roundMinor } from './premium.ts';
import { toDate } from './products.ts';

export type ClaimStatus = 'submitted' | 'under_review' | 'approved' | 'rejected' | 'paid';

export interface AttachmentMeta {
  file_name: string;
  content_type: string;
  size_bytes: number;
  sha256?: string | undefined;
}

export interface Payout {
  to: 'wallet' | 'loan' | 'mpesa';
  name?: string;
  account_id?: string;
  loan_id?: string;
  phone?: string;
  amount: { amount: string; currency: string };
  journal_entry_id?: string;
}

export interface ClaimRow {
  id: string;
  policyId: string;
  customerId: string;
  underwriter: string;
  currency: string;
  status: ClaimStatus;
  description: string;
  attachments: AttachmentMeta[];
  amountMinor: bigint | null;
  reason: string | null;
  payouts: Payout[];
  paidOn: string | null;
  createdAt: Date;
  updatedAt: Date;
}

function claimFromRow(row: Record<string, unknown>): ClaimRow {
  return {
    id: String(row.id),
    policyId: String(row.policy_id),
    customerId: String(row.customer_id),
    underwriter: String(row.underwriter),
    currency: String(row.currency),
    status: String(row.status) as ClaimStatus,
    description: String(row.description),
    attachments: JSON.parse(String(row.attachments)) as AttachmentMeta[],
    amountMinor: row.amount_minor === null ? null : BigInt(String(row.amount_minor)),
    reason: row.reason === null ? null : String(row.reason),
    payouts: row.payout ? (JSON.parse(String(row.payout)) as Payout[]) : [],
    paidOn: row.paid_on === null ? null : String(row.paid_on),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

const isStaff = (p: Principal) => p.role === 'banker' || p.role === 'admin';

export class ClaimsService {
  constructor(private readonly s: InsuranceContext) {}

  private get forUpdate() {
    return this.s.db.dialect === 'mysql' ? ' FOR UPDATE' : '';
  }

  async file(
    tx: Sql,
    principal: Principal,
    input: { policyId: string; description: string; attachments: AttachmentMeta[] },
  ): Promise<ClaimRow> {
    if (principal.role !== 'customer' && principal.role !== 'banker') throw forbidden();
    const policy = await readPolicy(tx, this.s.db.dialect, input.policyId, true);
    if (!policy || (principal.role === 'customer' && policy.customerId !== principal.id))
      throw notFound('policy');
    if (policy.status !== 'active' && policy.status !== 'in_grace')
      throw conflict(`The policy is ${policy.status}: it covers nothing now.`);
    await refuseWhileClaimOpen(tx, policy.id);
    const product = await this.s.products.get(policy.productId, tx);
    const now = this.s.clock.now();
    const id = newId('clm');
    await tx.$executeRawUnsafe(
      `INSERT INTO insurance_claims (id, policy_id, customer_id, underwriter, currency, status, description, attachments,
              amount_minor, reason, payout, paid_on, remittance_id, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'submitted', ?, ?, NULL, NULL, NULL, NULL, NULL, ?, ?)`,
      id,
      policy.id,
      policy.customerId,
      product.underwriter,
      policy.currency,
      input.description,
      JSON.stringify(input.attachments),
      now,
      now,
    );
    await this.s.audit.record(tx, principal, {
      action: 'claim.submitted',
      subject: { type: 'claim', id },
      after: { policy_id: policy.id, attachments: input.attachments.length },
    });
    return (await this.read(tx, id)) as ClaimRow;
  }

  async read(db: Sql, id: string, lock = false): Promise<ClaimRow | null> {
    const [row] = await db.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT * FROM insurance_claims WHERE id = ?${lock ? this.forUpdate : ''}`,
      id,
    );
    return row ? claimFromRow(row) : null;
  }

  async view(principal: Principal, id: string): Promise<ClaimRow> {
    const claim = await this.read(this.s.db.sql, id);
    if (
      !claim ||
      !(isStaff(principal) || (principal.role === 'customer' && claim.customerId === principal.id))
    )
      throw notFound('claim');
    return claim;
  }

  async list(principal: Principal, page: PageRequest, status?: string): Promise<ClaimRow[]> {
    const where: string[] = ['id > ?'];
    const values: unknown[] = [page.startingAfter ?? ''];
    if (principal.role === 'customer') {
      where.push('customer_id = ?');
      values.push(principal.id);
    } else if (!isStaff(principal)) throw forbidden();
    if (status) {
      where.push('status = ?');
      values.push(status);
    }
    const rows = await this.s.db.sql.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT * FROM insurance_claims WHERE ${where.join(' AND ')} ORDER BY id LIMIT ${page.limit + 1}`,
      ...values,
    );
    return rows.map(claimFromRow);
  }

  /** A banker takes a submitted claim under review. */
  async review(tx: Sql, principal: Principal, id: string, note?: string): Promise<ClaimRow> {
    if (principal.role !== 'banker') throw forbidden('Bankers review claims.');
    const claim = await this.lockClaim(tx, id);
    if (claim.status !== 'submitted') throw conflict(`The claim is ${claim.status}.`);
    await this.setStatus(tx, claim, 'under_review', {});
    await this.s.audit.record(tx, principal, {
      action: 'claim.under_review',
      subject: { type: 'claim', id },
      before: { status: claim.status },
      after: { status: 'under_review' },
      reason: note ?? null,
    });
    return (await this.read(tx, id)) as ClaimRow;
  }

  /** A banker decides a claim under review; approval fixes the amount (credit life: the payoff when paid). */
  async decide(
    tx: Sql,
    principal: Principal,
    id: string,
    input: { decision: 'approve' | 'reject'; reason: string; amountMinor?: bigint; currency?: string },
  ): Promise<ClaimRow> {
    if (principal.role !== 'banker') throw forbidden('Bankers decide claims.');
    const claim = await this.lockClaim(tx, id);
    if (claim.status !== 'under_review')
      throw conflict(`The claim is ${claim.status}; a claim is decided once it is under review.`);
    const policy = (await readPolicy(tx, this.s.db.dialect, claim.policyId)) as PolicyRow;
    const product = await this.s.products.get(policy.productId, tx);
    let amountMinor: bigint | null = null;
    if (input.decision === 'approve') {
      if (input.currency !== undefined && input.currency !== claim.currency)
        throw validationFailed([{ path: 'body.amount.currency', message: `must be ${claim.currency}` }]);
      if (product.coverType === 'credit_life') {
        if (input.amountMinor !== undefined)
          throw validationFailed([
            { path: 'body.amount', message: 'credit life pays the loan payoff on the day of payment' },
          ]);
      } else {
        amountMinor = input.amountMinor ?? policy.sumInsuredMinor;
        if (amountMinor > policy.sumInsuredMinor)
          throw validationFailed([{ path: 'body.amount', message: 'must not exceed the sum insured' }]);
      }
    }
    const status = input.decision === 'approve' ? 'approved' : 'rejected';
    await this.setStatus(tx, claim, status, { amount_minor: amountMinor, reason: input.reason });
    const data = {
      claim_id: id,
      policy_id: claim.policyId,
      decision: status,
      reason: input.reason,
      amount: amountMinor === null ? null : money(amountMinor, claim.currency),
    };
    await this.s.events.record(tx, { type: 'claim.decided', customerId: claim.customerId, data });
    await this.s.audit.record(tx, principal, {
      action: `claim.${status}`,
      subject: { type: 'claim', id },
      before: { status: claim.status },
      after: data,
      reason: input.reason,
    });
    return (await this.read(tx, id)) as ClaimRow;
  }

  /** A banker pays an approved claim (see the module doc for where the money goes). */
  async pay(tx: Sql, principal: Principal, id: string): Promise<ClaimRow> {
    if (principal.role !== 'banker') throw forbidden('Bankers pay claims.');
    const peek = await this.read(tx, id);
    if (!peek) throw notFound('claim');
    // The policy first, then the claim, then accounts (PolicyService's order).
    const policy = (await readPolicy(tx, this.s.db.dialect, peek.policyId, true)) as PolicyRow;
    const claim = await this.lockClaim(tx, id);
    if (claim.status !== 'approved')
      throw conflict(`The claim is ${claim.status}; only an approved claim is paid.`);
    const product = await this.s.products.get(policy.productId, tx);
    const today = this.s.bankClock.today();
    const receivable = this.s.ledger.bankAccount('insurance_claims_receivable', claim.currency);
    const payouts: Payout[] = [];
    let amountMinor: bigint;
    if (product.coverType === 'credit_life') {
      const [loan] = await tx.$queryRawUnsafe<{ loan_number: string }[]>(
        'SELECT loan_number FROM loans WHERE id = ?',
        policy.loanId,
      );
      if (!loan) throw conflict('The policy has no loan.');
      const payoff = await this.s.loans.payoffOn(principal, policy.loanId as string, today, tx);
      amountMinor = payoff.total;
      if (amountMinor <= 0n) throw conflict('The loan owes nothing: there is nothing to settle.');
      const result = await this.s.loans.repayByLoanNumber(tx, String(loan.loan_number), amountMinor, {
        accountId: receivable,
        channel: 'insurance_claim',
        externalRef: claim.id,
        actor: principal,
      });
      if (result?.loan.status !== 'closed')
        throw conflict(`The claim's payment did not close loan ${policy.loanId}: decide the amount again.`);
      payouts.push({
        to: 'loan',
        loan_id: policy.loanId as string,
        amount: money(amountMinor, claim.currency),
        ...(result.repayment.entryId ? { journal_entry_id: String(result.repayment.entryId) } : {}),
      });
    } else {
      amountMinor = claim.amountMinor as bigint;
      const shares =
        product.coverType === 'life' && policy.beneficiaries.length > 0
          ? policy.beneficiaries
          : [{ name: 'policyholder', phone: '', relationship: 'self', share: '1' }];
      let left = amountMinor;
      for (const [i, b] of shares.entries()) {
        // Each share rounds on its own, so never more than what is left: the beneficiaries together
        // receive exactly the approved amount, never a minor unit more.
        const rounded =
          i === shares.length - 1 ? left : roundMinor(new Decimal(amountMinor.toString()).times(b.share));
        const part = rounded < left ? rounded : left;
        left -= part;
        if (part <= 0n) continue;
        const accountId = b.phone
          ? await this.walletByPhone(tx, b.phone, claim.currency)
          : policy.fundingAccountId;
        if (!accountId)
          // Paying a non-customer by M-Pesa needs a bank-originated payout on the rails: not built yet.
          throw new DomainError(
            409,
            'conflict',
            'Conflict',
            `Beneficiary ${b.name} has no ${claim.currency} wallet with us; M-Pesa payouts to non-customers are not available yet.`,
          );
        const locked = await this.s.ledger.lock(tx, [accountId, receivable]);
        if (locked.get(accountId)?.status !== 'open') throw conflict(`The account of ${b.name} is not open.`);
        const entry = await this.s.ledger.post(
          tx,
          {
            kind: ENTRY_KIND.claim,
            description: `Insurance claim ${claim.id} paid (${product.name}, ${product.underwriter})`,
            postings: [
              { accountId: receivable, side: 'debit', amountMinor: part },
              { accountId, side: 'credit', amountMinor: part },
            ],
          },
          locked,
        );
        payouts.push({
          to: 'wallet',
          name: b.name,
          account_id: accountId,
          amount: money(part, claim.currency),
          journal_entry_id: entry.id,
        });
      }
    }
    await this.setStatus(tx, claim, 'paid', {
      amount_minor: amountMinor,
      payout: JSON.stringify(payouts),
      paid_on: today,
    });
    if (product.coverType !== 'asset')
      await tx.$executeRawUnsafe(
        "UPDATE policies SET status = 'expired', closed_on = ?, next_due_date = NULL, updated_at = ? WHERE id = ?",
        today,
        this.s.clock.now(),
        policy.id,
      );
    const data = { claim_id: id, policy_id: policy.id, amount: money(amountMinor, claim.currency), payouts };
    await this.s.events.record(tx, { type: 'claim.paid', customerId: claim.customerId, data });
    await this.s.audit.record(tx, principal, {
      action: 'claim.paid',
      subject: { type: 'claim', id },
      before: { status: 'approved' },
      after: data,
    });
    return (await this.read(tx, id)) as ClaimRow;
  }

  private async walletByPhone(tx: Sql, phone: string, currency: string): Promise<string | null> {
    const [row] = await tx.$queryRawUnsafe<{ id: string }[]>(
      `SELECT a.id FROM accounts a JOIN users u ON u.id = a.owner_id
        WHERE u.phone = ? AND a.type = 'wallet' AND a.currency = ? AND a.status = 'open'`,
      phone,
      currency,
    );
    return row ? String(row.id) : null;
  }

  private async lockClaim(tx: Sql, id: string): Promise<ClaimRow> {
    const claim = await this.read(tx, id, true);
    if (!claim) throw notFound('claim');
    return claim;
  }

  private async setStatus(tx: Sql, claim: ClaimRow, status: ClaimStatus, set: Record<string, unknown>) {
    const columns = Object.keys(set);
    await tx.$executeRawUnsafe(
      `UPDATE insurance_claims SET status = ?, ${columns.map((c) => `${c} = ?, `).join('')}updated_at = ? WHERE id = ? AND status = ?`,
      status,
      ...Object.values(set),
      this.s.clock.now(),
      claim.id,
      claim.status,
    );
  }
}
