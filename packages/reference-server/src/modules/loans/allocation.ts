/**
 * Who gets a repayment, and what closes a loan (DOMAIN.md, Borrow): pure functions, no I/O.
 *
 * `payoff(loan, date)` is what closes the loan on `date`: principal outstanding + interest accrued
 * through `date` (accrual.ts f(date), less interest waived and interest paid) + fees due through
 * `date` + penalties charged, less what was paid of each. Interest not yet accrued and fees of
 * instalments not yet due are not charged, for flat loans too.
 *
 * `allocateRepayment(loan, date, amount)` splits a repayment received on `date`:
 *  1. every overdue instalment (due before `date`), oldest first, each penalties → fees → interest
 *     → principal;
 *  2. then the current instalment (the first unsettled one due on or after `date`) in full, its
 *     interest and fee included even before they are due ("paid ahead");
 *  3. what is left is a prepayment: it reduces the principal and the term (schedule.ts reduceTerm).
 * A payment above the payoff is refused (a typed refusal, not a throw). A payment equal to the
 * payoff closes the loan: overdue instalments are paid, and the current instalment and all later
 * ones become one last instalment due on `date` with the principal left, the interest accrued in
 * the current period and the fees due by then; interest or fees paid ahead for days or due dates
 * the loan no longer reaches are applied to principal (that line has a negative interest or fee
 * amount and a principal amount above the cash).
 *
 * Why this is consistent: interest outstanding = accrued − paid, which is negative while interest is
 * paid ahead, and payoff counts it so. Every repayment lowers the payoff by exactly its amount, a
 * repayment below the payoff never closes the loan (the principal left is always more than the
 * interest paid ahead), and the one equal to it leaves nothing. See docs/loans.md, Allocation.
 *
 * For the service: post the day's interest accrual (and the cap) for `date` before a closing
 * repayment, since the payoff includes it; the lines map to postings (a positive amount credits the
 * component's receivable, a negative one debits it); store `loan` as the new state.
 */

import { daysBetween } from '../../bank-calendar.ts';
import { interestAccruedByInstalment } from './accrual.ts';
import {
  type Components,
  type InstalmentState,
  instalmentDue,
  isSettled,
  type LoanState,
} from './loan-state.ts';
import { reduceTerm } from './schedule.ts';

/** Payoff on a date, per component, and its total. */
export interface Payoff extends Components {
  readonly total: bigint;
}

/**
 * What one repayment paid on one instalment. `overdue` and `current` lines are never negative; a
 * `prepayment` line has principal only (recorded on the current instalment); the `payoff` line of
 * a closing repayment may be negative in interest and fees (paid ahead, applied to principal).
 */
export interface AllocationLine extends Components {
  readonly n: number;
  readonly kind: 'overdue' | 'current' | 'prepayment' | 'payoff';
}

export interface Allocation {
  readonly ok: true;
  readonly amount: bigint;
  /** In the order applied; Σ of every component of every line = amount. */
  readonly lines: readonly AllocationLine[];
  /** Σ lines per component. */
  readonly totals: Components;
  /**
   * Principal paid beyond the current instalment (0 when none): the prepayment, or on a closing
   * repayment the principal of the instalments that were still to come.
   */
  readonly prepaid: bigint;
  /** True when this repayment settled the loan (amount = payoff). */
  readonly closes: boolean;
  /** The loan after the repayment. */
  readonly loan: LoanState;
}

export interface RepaymentRefusal {
  readonly ok: false;
  readonly code: 'amount_not_positive' | 'exceeds_payoff';
  /** The payoff on the date, so the refusal can say what would close the loan. */
  readonly payoff: bigint;
}

/** What closes the loan on `date` (see the module doc). */
export function payoff(loan: LoanState, date: string): Payoff {
  const accrued = interestAccruedByInstalment(loan, date);
  let principal = 0n;
  let interest = 0n;
  let fees = 0n;
  let penalties = 0n;
  loan.instalments.forEach((inst, i) => {
    principal += inst.principal - inst.paid.principal;
    interest += accrued[i]! - inst.interestWaived - inst.paid.interest;
    fees += (daysBetween(inst.dueDate, date) >= 0 ? inst.fees : 0n) - inst.paid.fees;
    penalties += inst.penalties - inst.paid.penalties;
  });
  return { principal, interest, fees, penalties, total: principal + interest + fees + penalties };
}

/** Splits a repayment of `amount` received on `date` (see the module doc). */
export function allocateRepayment(
  loan: LoanState,
  date: string,
  amount: bigint,
): Allocation | RepaymentRefusal {
  const owed = payoff(loan, date).total;
  if (amount <= 0n) return { ok: false, code: 'amount_not_positive', payoff: owed };
  if (amount > owed) return { ok: false, code: 'exceeds_payoff', payoff: owed };
  const result = amount === owed ? closeLoan(loan, date) : applyInOrder(loan, date, amount);
  const totals = sumLines(result.lines);
  // The split must account for every minor unit of the payment, whatever path it took.
  if (totals.principal + totals.interest + totals.fees + totals.penalties !== amount) {
    throw new Error(`Allocation of ${amount} does not add up`);
  }
  return {
    ok: true,
    amount,
    lines: result.lines,
    totals,
    prepaid: result.prepaid,
    closes: amount === owed,
    loan: result.loan,
  };
}

interface Split {
  lines: AllocationLine[];
  prepaid: bigint;
  loan: LoanState;
}

/** A repayment below the payoff: overdue instalments, the current one in full, then prepayment. */
function applyInOrder(loan: LoanState, date: string, amount: bigint): Split {
  let left = amount;
  const lines: AllocationLine[] = [];
  const instalments = [...loan.instalments];
  const pay = (index: number, kind: 'overdue' | 'current') => {
    const inst = instalments[index]!;
    const due = instalmentDue(inst);
    // penalties → fees → interest → principal
    const take = (owed: bigint) => {
      const part = owed <= 0n ? 0n : owed < left ? owed : left;
      left -= part;
      return part;
    };
    const line = {
      n: inst.n,
      kind,
      penalties: take(due.penalties),
      fees: take(due.fees),
      interest: take(due.interest),
      principal: take(due.principal),
    };
    lines.push(line);
    instalments[index] = { ...inst, paid: addComponents(inst.paid, line) };
  };
  const overdue = (inst: InstalmentState) => daysBetween(inst.dueDate, date) > 0 && !isSettled(inst);
  for (let i = 0; i < instalments.length && left > 0n; i++) {
    if (overdue(instalments[i]!)) pay(i, 'overdue');
  }
  const current = instalments.findIndex((inst) => daysBetween(date, inst.dueDate) >= 0 && !isSettled(inst));
  if (left > 0n && current >= 0) pay(current, 'current');
  let state: LoanState = { terms: loan.terms, instalments };
  if (left === 0n) return { lines, prepaid: 0n, loan: state };
  const paidAhead = instalments[current];
  // Below the payoff, what is left after the current instalment is always less than the principal
  // still scheduled after it (docs/loans.md, Allocation): reaching here otherwise is a bug.
  if (paidAhead === undefined) throw new Error('A prepayment with no current instalment');
  state = reduceTerm(state, paidAhead.n, left);
  lines.push({ n: paidAhead.n, kind: 'prepayment', principal: left, interest: 0n, fees: 0n, penalties: 0n });
  return { lines, prepaid: left, loan: state };
}

/** A repayment equal to the payoff: everything due is paid, and the schedule ends on `date`. */
function closeLoan(loan: LoanState, date: string): Split {
  const lines: AllocationLine[] = [];
  const last = loan.instalments.findIndex((inst) => daysBetween(date, inst.dueDate) >= 0);
  const before = last < 0 ? loan.instalments : loan.instalments.slice(0, last);
  const settled = before.map((inst): InstalmentState => {
    if (isSettled(inst)) return inst;
    const due = instalmentDue(inst);
    lines.push({ n: inst.n, kind: 'overdue', ...due });
    return { ...inst, paid: addComponents(inst.paid, due) };
  });
  if (last < 0) return { lines, prepaid: 0n, loan: { terms: loan.terms, instalments: settled } };

  const merged = loan.instalments.slice(last);
  const first = merged[0]!;
  const sum = (pick: (inst: InstalmentState) => bigint) =>
    merged.reduce((total, inst) => total + pick(inst), 0n);
  const principal = sum((inst) => inst.principal);
  const interest = interestAccruedByInstalment(loan, date)[last]!;
  const fees = daysBetween(first.dueDate, date) >= 0 ? first.fees : 0n;
  const penalties = sum((inst) => inst.penalties);
  const interestWaived = sum((inst) => inst.interestWaived);
  const paid = { principal, interest: interest - interestWaived, fees, penalties };
  const paidBefore = {
    principal: sum((inst) => inst.paid.principal),
    interest: sum((inst) => inst.paid.interest),
    fees: sum((inst) => inst.paid.fees),
    penalties: sum((inst) => inst.paid.penalties),
  };
  lines.push({
    n: first.n,
    kind: 'payoff',
    principal: paid.principal - paidBefore.principal,
    interest: paid.interest - paidBefore.interest,
    fees: paid.fees - paidBefore.fees,
    penalties: paid.penalties - paidBefore.penalties,
  });
  // The last period now ends on `date`; it keeps the pace it accrued at until then (closedEarly),
  // so the interest accrued through `date` or any day before is unchanged (accrual.ts).
  const cut = daysBetween(date, first.dueDate) > 0;
  const closing: InstalmentState = {
    n: first.n,
    dueDate: date,
    principal,
    interest,
    fees,
    total: principal + interest + fees,
    penalties,
    interestWaived,
    paid,
    closedEarly: cut
      ? (first.closedEarly ?? { dueDate: first.dueDate, interest: first.interest })
      : first.closedEarly,
  };
  const prepaid = merged.slice(1).reduce((total, inst) => total + inst.principal - inst.paid.principal, 0n);
  return { lines, prepaid, loan: { terms: loan.terms, instalments: [...settled, closing] } };
}

function addComponents(a: Components, b: Components): Components {
  return {
    principal: a.principal + b.principal,
    interest: a.interest + b.interest,
    fees: a.fees + b.fees,
    penalties: a.penalties + b.penalties,
  };
}

function sumLines(lines: readonly AllocationLine[]): Components {
  return lines.reduce<Components>((total, line) => addComponents(total, line), {
    principal: 0n,
    interest: 0n,
    fees: 0n,
    penalties: 0n,
  });
}
