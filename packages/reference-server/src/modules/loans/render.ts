/** Borrow on the wire (API.md, Borrow): snake_case, money as `{ amount, currency }`, rates as strings. */
import { money, timestamp } from '../../http/render.ts';
import type { ApprovalRow } from '../approvals/service.ts';
import type { ApplicationView } from './applications.ts';
import { arrearsBucket, cbkClassification, daysPastDue } from './arrears.ts';
import type { CreditAssessment, DecisionRow } from './credit.ts';
import { instalmentDue, isSettled, type LoanStatus } from './loan-state.ts';
import type { PortfolioFigures, SnapshotRow } from './portfolio.ts';
import type { LoanProductRecord } from './products.ts';
import type { LoanSchedule } from './schedule.ts';
import { type LoanDetails, type RepaymentRow, STATUS_LABELS } from './service.ts';

export function renderProduct(product: LoanProductRecord) {
  const m = (minor: bigint) => money(minor, product.currency);
  return {
    id: product.id,
    name: product.name,
    currency: product.currency,
    interest_method: product.interestMethod as 'declining_balance' | 'flat',
    amortization: product.amortization as 'equal_instalments' | 'equal_principal' | null,
    annual_rate: product.annualRate,
    processing_fee_rate: product.processingFeeRate,
    penalty_rate: product.penaltyRate,
    min_amount: m(product.minAmountMinor),
    max_amount: m(product.maxAmountMinor),
    min_term_months: product.minTermMonths,
    max_term_months: product.maxTermMonths,
    grace_days: product.graceDays,
    write_off_days: product.writeOffDays,
    status: product.status as 'active' | 'retired',
    created_at: timestamp(product.createdAt),
  };
}

/** A schedule and its cost, as a quote and an offer show them. */
export function renderSchedule(schedule: LoanSchedule, termMonths: number) {
  const m = (minor: bigint) => money(minor, schedule.currency);
  return {
    amount: m(schedule.principal),
    term_months: termMonths,
    disbursement_date: schedule.disbursementDate,
    fee: m(schedule.processingFee),
    net_disbursed: m(schedule.netDisbursed),
    total_interest: m(schedule.totalInterest),
    total_repayable: m(schedule.totalRepayable),
    total_cost_of_credit: m(schedule.totalCostOfCredit),
    apr: schedule.apr,
    schedule: schedule.instalments.map((i) => ({
      n: i.n,
      due_date: i.dueDate,
      principal: m(i.principal),
      interest: m(i.interest),
      fees: m(i.fees),
      total: m(i.total),
    })),
  };
}

const reasonsOf = (decision: DecisionRow) => JSON.parse(decision.reasons) as { code: string; text: string }[];

export function renderCreditLimit(assessment: CreditAssessment, decision: DecisionRow) {
  const m = (minor: bigint) => money(minor, assessment.currency);
  return {
    decision_id: decision.id,
    decision: assessment.outcome,
    score: decision.score,
    pd: decision.pd,
    grade: decision.grade,
    limit: m(assessment.limitMinor),
    exposure: m(assessment.exposureMinor),
    tier_cap: m(assessment.tierCapMinor),
    thin_file: assessment.thinFile,
    model_version: decision.modelVersion,
    policy_version: decision.policyVersion,
    reasons: reasonsOf(decision),
    bank_date: decision.bankDate,
  };
}

type Outcome = 'approved' | 'declined' | 'referred';

export function renderApplication(view: ApplicationView) {
  const { application: a, decision, offer } = view;
  return {
    id: a.id,
    status: a.status as Outcome | 'pending_approval' | 'accepted',
    decision: a.decision as Outcome,
    customer_id: a.customerId,
    product_id: a.productId,
    amount: money(a.amountMinor, a.currency),
    term_months: a.termMonths,
    purpose: a.purpose,
    decision_id: decision.id,
    score: decision.score,
    pd: decision.pd,
    grade: decision.grade,
    limit: money(decision.limitMinor, a.currency),
    model_version: decision.modelVersion,
    policy_version: decision.policyVersion,
    reasons: reasonsOf(decision),
    offer:
      offer && a.offerTermMonths !== null && a.offerExpiresOn !== null
        ? { ...renderSchedule(offer, a.offerTermMonths), expires_on: a.offerExpiresOn }
        : null,
    override:
      a.overrideDecision && a.overriddenBy && a.overriddenAt
        ? {
            decision: a.overrideDecision as 'approve' | 'decline',
            reason: a.overrideReason ?? '',
            by: a.overriddenBy,
            approved_by: a.overrideApprovedBy,
            at: timestamp(a.overriddenAt),
          }
        : null,
    loan_id: a.loanId,
    created_at: timestamp(a.createdAt),
    updated_at: timestamp(a.updatedAt),
  };
}

export function renderApproval(approval: ApprovalRow) {
  return {
    id: approval.id,
    kind: approval.kind,
    status: approval.status as 'pending' | 'approved' | 'rejected',
    subject: { type: approval.subjectType, id: approval.subjectId },
    payload: JSON.parse(approval.payload) as Record<string, unknown>,
    maker_id: approval.makerId,
    maker_reason: approval.makerReason,
    checker_id: approval.checkerId,
    checker_reason: approval.checkerReason,
    created_at: timestamp(approval.createdAt),
    decided_at: approval.decidedAt ? timestamp(approval.decidedAt) : null,
  };
}

/**
 * A loan as its customer and staff see it. `outstanding` is what the loan accounts hold for it (its
 * sub-ledger), posted through the last closed day and every repayment since.
 */
export function renderLoan(details: LoanDetails) {
  const { loan, state, balances, today } = details;
  const m = (minor: bigint) => money(minor, loan.currency);
  const open = loan.status === 'active' || loan.status === 'in_arrears' || loan.status === 'disbursed';
  const dpd = open ? daysPastDue(state, today) : loan.daysPastDue;
  const current = state.instalments.find((i) => !isSettled(i) && i.dueDate >= today);
  const total = balances.principal + balances.interest + balances.fees + balances.penalties;
  return {
    id: loan.id,
    loan_number: loan.loanNumber,
    status: loan.status,
    label: STATUS_LABELS[loan.status],
    customer_id: loan.customerId,
    product_id: loan.productId,
    application_id: loan.applicationId,
    currency: loan.currency,
    principal: m(loan.principalMinor),
    term_months: loan.termMonths,
    interest_method: loan.interestMethod,
    amortization: loan.amortization,
    annual_rate: loan.annualRate,
    processing_fee: m(loan.processingFeeMinor),
    disbursement_date: loan.disbursementDate,
    outstanding: {
      principal: m(balances.principal),
      interest: m(balances.interest),
      fees: m(balances.fees),
      penalties: m(balances.penalties),
      total: m(total),
    },
    in_suspense: m(balances.interest_suspense + balances.penalties_suspense),
    days_past_due: dpd,
    arrears_bucket: arrearsBucket(dpd),
    cbk_class: cbkClassification(dpd),
    written_off: m(loan.writtenOffMinor),
    recovered: m(loan.recoveredMinor),
    closed_on: loan.closedOn,
    schedule: state.instalments.map((i) => {
      const due = instalmentDue(i);
      const paid = i.paid.principal + i.paid.interest + i.paid.fees + i.paid.penalties;
      const settled = isSettled(i);
      return {
        n: i.n,
        due_date: i.dueDate,
        principal: m(i.principal),
        interest: m(i.interest - i.interestWaived),
        fees: m(i.fees),
        penalties: m(i.penalties),
        total: m(i.principal + i.interest - i.interestWaived + i.fees + i.penalties),
        paid: {
          principal: m(i.paid.principal),
          interest: m(i.paid.interest),
          fees: m(i.paid.fees),
          penalties: m(i.paid.penalties),
          total: m(paid),
        },
        due: m(due.principal + due.interest + due.fees + due.penalties),
        state: settled
          ? ('paid' as const)
          : i.dueDate < today
            ? ('overdue' as const)
            : i === current
              ? ('due' as const)
              : ('upcoming' as const),
        settled_on: details.settledOn.get(i.n) ?? null,
      };
    }),
    status_history: details.history.map((h) => ({
      status: h.status as LoanStatus,
      label: STATUS_LABELS[h.status as LoanStatus],
      bank_date: h.bankDate,
      reason: h.reason,
      at: timestamp(h.changedAt),
    })),
    created_at: timestamp(loan.createdAt),
  };
}

export function renderRepayment(repayment: RepaymentRow, loan: LoanDetails) {
  const m = (minor: bigint) => money(minor, loan.loan.currency);
  return {
    id: repayment.id,
    loan_id: repayment.loanId,
    kind: repayment.kind as 'repayment' | 'recovery',
    channel: repayment.channel,
    amount: m(repayment.amountMinor),
    principal: m(repayment.principalMinor),
    interest: m(repayment.interestMinor),
    fees: m(repayment.feesMinor),
    penalties: m(repayment.penaltiesMinor),
    to_wallet: m(repayment.excessMinor),
    journal_entry_id: repayment.entryId,
    bank_date: repayment.bankDate,
    created_at: timestamp(repayment.createdAt),
    loan: renderLoan(loan),
  };
}

function slices<K extends string>(record: Record<K, { loans: number; principal: bigint }>, currency: string) {
  return Object.fromEntries(
    Object.entries(record).map(([k, v]) => {
      const slice = v as { loans: number; principal: bigint };
      return [k, { loans: slice.loans, principal: money(slice.principal, currency) }];
    }),
  ) as Record<K, { loans: number; principal: { amount: string; currency: string } }>;
}

function portfolioFields(f: Omit<PortfolioFigures, 'scoreDistribution'>) {
  return {
    loans: f.loans,
    outstanding_principal: money(f.outstandingPrincipal, f.currency),
    npl_principal: money(f.nplPrincipal, f.currency),
    par30_principal: money(f.par30Principal, f.currency),
    npl_ratio: f.nplRatio,
    par30: f.par30,
    loans_by_bucket: slices(f.byBucket, f.currency),
    loans_by_class: slices(f.byClass, f.currency),
  };
}

export function renderPortfolio(figures: PortfolioFigures, asOf: string | null) {
  return {
    currency: figures.currency,
    as_of: asOf,
    ...portfolioFields(figures),
    score_distribution: figures.scoreDistribution.map((s) => ({
      band: s.band,
      loans: s.loans,
      principal: money(s.principal, figures.currency),
    })),
  };
}

export function renderHistory(currency: string, from: string, to: string, rows: SnapshotRow[]) {
  return {
    currency,
    from,
    to,
    data: rows.map((row) => ({ bank_date: row.bankDate, ...portfolioFields(row.figures) })),
  };
}
