/**
 * A loan as the calculators see it: its terms and, per instalment, the scheduled amounts with what
 * has been charged (penalties), stopped (interest under the in-duplum cap) and paid, per component.
 * It is exactly what a service stores (a loan row with the terms, one row per instalment) and hands
 * to accrual.ts, allocation.ts and arrears.ts; every calculator returns a new state and never
 * changes the one it was given.
 */
import { buildSchedule, freshState, type Instalment, type LoanSchedule, type LoanTerms } from './schedule.ts';

/** Amounts per component of an instalment, in minor units. */
export interface Components {
  readonly principal: bigint;
  readonly interest: bigint;
  readonly fees: bigint;
  readonly penalties: bigint;
}

/**
 * One instalment and what happened to it. Due per component: principal − paid.principal;
 * interest − interestWaived − paid.interest; fees − paid.fees; penalties − paid.penalties.
 * Paid never exceeds due: a component can be paid ahead of its due date (the current instalment is
 * paid in full on any repayment) but never beyond its scheduled amount.
 */
export interface InstalmentState extends Instalment {
  /** Penalties charged to this instalment so far (accrual.ts accruePenaltyForDay). */
  readonly penalties: bigint;
  /** Scheduled interest the in-duplum cap stopped: never charged, never due. */
  readonly interestWaived: bigint;
  readonly paid: Components;
  /**
   * Set on the last instalment of a loan paid off before that instalment's due date: its due date
   * and interest were cut to the payoff date and the interest accrued by then, and this keeps what
   * they were scheduled to be, because the period accrued at that pace until the payoff
   * (accrual.ts), so the interest accrued through any earlier day stays what was posted.
   */
  readonly closedEarly?: { readonly dueDate: string; readonly interest: bigint } | undefined;
}

export interface LoanState {
  readonly terms: LoanTerms;
  readonly instalments: readonly InstalmentState[];
}

/** Lifecycle statuses (DOMAIN.md, Borrow). */
export type LoanStatus =
  | 'pending_disbursement'
  | 'disbursed'
  | 'active'
  | 'in_arrears'
  | 'closed'
  | 'written_off';

/** A newly disbursed loan: the schedule of `terms` with nothing paid. */
export function openLoan(terms: LoanTerms, schedule: LoanSchedule = buildSchedule(terms)): LoanState {
  return { terms, instalments: schedule.instalments.map(freshState) };
}

/** What is still due on an instalment, per component, ignoring whether it is due yet. */
export function instalmentDue(inst: InstalmentState): Components {
  return {
    principal: inst.principal - inst.paid.principal,
    interest: inst.interest - inst.interestWaived - inst.paid.interest,
    fees: inst.fees - inst.paid.fees,
    penalties: inst.penalties - inst.paid.penalties,
  };
}

/** Nothing left due on the instalment, penalties included (Fineract's "obligations met"). */
export function isSettled(inst: InstalmentState): boolean {
  const due = instalmentDue(inst);
  return due.principal === 0n && due.interest === 0n && due.fees === 0n && due.penalties === 0n;
}

/** Principal not yet repaid, over all instalments. */
export function principalOutstanding(loan: LoanState): bigint {
  return loan.instalments.reduce((total, inst) => total + inst.principal - inst.paid.principal, 0n);
}
