/**
 * One bank day of one loan, in the daily close's order (API.md "Sandbox"): first the day's
 * contractual interest, then the arrears step (days past due, the in-duplum episode, penalties,
 * the status). Pure: each step changes the given progress and answers what to post. The daily jobs
 * run them over thousands of loans and post in batches; a repayment or a write-off runs them for
 * its one loan to catch up days the daily close has not reached yet. Both post the same figures.
 *
 * Non-performing (DPD > 90 by default) is what the in-duplum state says: `inDuplumOn` opens an
 * episode exactly when a loan becomes non-performing and ends it when it performs again. While it is
 * open, interest and penalties go to interest in suspense instead of income (DOMAIN.md).
 */
import { accrueInterestForDay, accruePenaltyForDay, inDuplumOn } from './accrual.ts';
import { daysPastDue } from './arrears.ts';
import { type LoanRecord, penaltyTermsOf } from './loan-book.ts';
import type { LoanLine } from './loan-journal.ts';
import type { LoanState, LoanStatus } from './loan-state.ts';

/** A loan being moved through days: a private copy of its row, and its state. */
export interface Progress {
  loan: LoanRecord;
  state: LoanState;
}

/** What one step posts: the loan's sub-ledger lines and what goes to income. */
export interface StepPostings {
  lines: LoanLine[];
  interestIncome: bigint;
  penaltyIncome: bigint;
}

export const NO_POSTINGS: StepPostings = Object.freeze({ lines: [], interestIncome: 0n, penaltyIncome: 0n });

/** The interest of `day`, f(day) − f(day − 1), capped by an open in-duplum episode. */
export function interestStep(progress: Progress, day: string): StepPostings {
  const { loan } = progress;
  const suspended = loan.inDuplum !== null;
  const result = accrueInterestForDay(progress.state, day, loan.inDuplum);
  progress.state = result.loan;
  loan.inDuplum = result.inDuplum;
  loan.interestAccruedThrough = day;
  if (result.charged === 0n) return NO_POSTINGS;
  const lines: LoanLine[] = [
    { loanId: loan.id, component: 'interest', amountMinor: result.charged, kind: 'accrual' },
  ];
  if (suspended)
    lines.push({
      loanId: loan.id,
      component: 'interest_suspense',
      amountMinor: result.charged,
      kind: 'accrual',
    });
  return { lines, interestIncome: suspended ? 0n : result.charged, penaltyIncome: 0n };
}

export interface ArrearsStep extends StepPostings {
  /** A status the loan moves to (`in_arrears` when an instalment is overdue, `active` when none is). */
  transition: LoanStatus | null;
}

/** Days past due, the in-duplum episode, the day's penalties and the status, at the end of `day`. */
export function arrearsStep(progress: Progress, day: string): ArrearsStep {
  const { loan } = progress;
  const dpd = daysPastDue(progress.state, day);
  const inDuplum = inDuplumOn(progress.state, day, loan.inDuplum);
  const penalties = accruePenaltyForDay(
    progress.state,
    day,
    penaltyTermsOf(loan),
    loan.penaltyCarry,
    inDuplum,
  );
  progress.state = penalties.loan;
  loan.penaltyCarry = penalties.carry;
  loan.inDuplum = penalties.inDuplum;
  loan.daysPastDue = dpd;
  loan.worstDaysPastDue = Math.max(loan.worstDaysPastDue, dpd);
  loan.arrearsThrough = day;
  const transition: LoanStatus | null =
    dpd > 0 && loan.status === 'active'
      ? 'in_arrears'
      : dpd === 0 && loan.status === 'in_arrears'
        ? 'active'
        : null;
  if (penalties.charged === 0n) return { ...NO_POSTINGS, transition };
  const suspended = inDuplum !== null;
  const lines: LoanLine[] = [
    { loanId: loan.id, component: 'penalties', amountMinor: penalties.charged, kind: 'penalty' },
  ];
  if (suspended)
    lines.push({
      loanId: loan.id,
      component: 'penalties_suspense',
      amountMinor: penalties.charged,
      kind: 'penalty',
    });
  return { lines, interestIncome: 0n, penaltyIncome: suspended ? 0n : penalties.charged, transition };
}

/** Adds one step's postings to a running total. */
export function addPostings(total: StepPostings, step: StepPostings): StepPostings {
  return {
    lines: step.lines.length === 0 ? total.lines : [...total.lines, ...step.lines],
    interestIncome: total.interestIncome + step.interestIncome,
    penaltyIncome: total.penaltyIncome + step.penaltyIncome,
  };
}
