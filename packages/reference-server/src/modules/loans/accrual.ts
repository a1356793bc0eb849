/**
 * Daily accrual of a loan's contractual interest and of its penalties (DOMAIN.md, Borrow): pure
 * functions of a loan state and a bank date, no I/O.
 *
 * Contractual interest is periodic: instalment k's scheduled interest accrues in a straight line
 * over the days of its period (previous due date, due date], cumulated and rounded half-even, so
 *
 *   f(D) = interestAccruedThrough(loan, D) = Σ_k round(interest_k × days elapsed in period k / days in period k)
 *
 * is exact on every due date (f(due_k) − f(due_{k−1}) = interest_k) and the amount for day D is
 * f(D) − f(D − 1) (`accrueInterestForDay`): a function of the date, not of what was posted before,
 * so a missed day is caught up exactly and a day computed twice gives the same figure. The rounding
 * "carry" of this stream is implicit in the cumulative rounding: nothing needs storing. Nothing
 * accrues on the disbursement day or after the final due date. A recomputation by allocation.ts
 * (prepayment, payoff) never changes f on or before the day of the repayment.
 *
 * Penalties (`accruePenaltyForDay`) depend on what was paid, so they are not a function of the date
 * alone: the service calls it once per loan and bank day, in date order (the daily-jobs claim row
 * makes a day run once), with the loan state at the end of that day and the carry it stored for the
 * loan the day before; it stores the returned carry (a decimal string of at most 33 characters,
 * |carry| ≤ 0.5 minor units, kept to 30 decimals) and adds the returned penalties to the instalments (the returned `loan` has them).
 *
 * In duplum: the service keeps one `InDuplum | null` per loan, refreshes it with `inDuplumOn` in the
 * DPD step and after each repayment, passes it to both daily functions and stores what they
 * return; interest and penalties stop once what was charged since the loan became non-performing
 * reaches the principal outstanding at that moment. Interest the cap
 * stops is recorded on its instalment as `interestWaived` (never charged, never due). The daily close
 * runs interest before penalties, so interest is charged against the cap first.
 */
import { Decimal } from '@wekeza/sdk/rates';
import { addDays, daysBetween } from '../../bank-calendar.ts';
import { type CbkThresholds, DEFAULT_CBK_THRESHOLDS, daysPastDue, isNonPerforming } from './arrears.ts';
import { divHalfEven, minBig, parseRate, roundDecimal } from './exact.ts';
import { type InstalmentState, instalmentDue, type LoanState, principalOutstanding } from './loan-state.ts';

/** The in-duplum cap of a non-performing loan: stored per loan by the service. */
export interface InDuplum {
  /** Principal outstanding when the loan became non-performing. */
  readonly cap: bigint;
  /** Interest and penalties charged since then. */
  readonly charged: bigint;
}

/** One day of contractual interest. */
export interface InterestDay {
  /** The instalment whose period holds the day; null on or before disbursement and after the final due date. */
  readonly n: number | null;
  /** f(date) − f(date − 1). */
  readonly accrued: bigint;
  /** What to post: `accrued` less what the in-duplum cap stopped. */
  readonly charged: bigint;
  /** What the cap stopped (added to the instalment's interestWaived in `loan`). */
  readonly stopped: bigint;
  /** The cap after this day (null when none was given). */
  readonly inDuplum: InDuplum | null;
  readonly loan: LoanState;
}

/** Product terms for penalties. */
export interface PenaltyTerms {
  /** Annual rate on overdue principal + interest, decimal string ("0.05"); Actual/365. */
  readonly penaltyRate: string;
  /** Days after a due date before penalties start (they do not change DPD). */
  readonly graceDays: number;
}

/** One day of penalties for a loan. */
export interface PenaltyDay {
  /** Penalties charged per overdue instalment, oldest first (zero amounts left out). */
  readonly byInstalment: readonly { readonly n: number; readonly amount: bigint }[];
  /** Σ byInstalment: what to post. */
  readonly charged: bigint;
  /** What the in-duplum cap stopped. */
  readonly stopped: bigint;
  /** The unrounded remainder to store and pass in tomorrow (a decimal string). */
  readonly carry: string;
  readonly inDuplum: InDuplum | null;
  readonly loan: LoanState;
}

/** Contractual interest of each instalment accrued through `date` (inclusive), in instalment order. */
export function interestAccruedByInstalment(loan: LoanState, date: string): bigint[] {
  return loan.instalments.map((inst, i) => accruedIn(inst, periodStart(loan, i), date));
}

/** f(date): contractual interest accrued through `date` (inclusive) over the whole loan. */
export function interestAccruedThrough(loan: LoanState, date: string): bigint {
  return interestAccruedByInstalment(loan, date).reduce((a, b) => a + b, 0n);
}

/** The contractual interest of `date` (f(date) − f(date − 1)), capped by `inDuplum` when given. */
export function accrueInterestForDay(
  loan: LoanState,
  date: string,
  inDuplum: InDuplum | null = null,
): InterestDay {
  const index = loan.instalments.findIndex(
    (inst, i) => daysBetween(periodStart(loan, i), date) > 0 && daysBetween(date, inst.dueDate) >= 0,
  );
  const inst = loan.instalments[index];
  if (inst === undefined) return { n: null, accrued: 0n, charged: 0n, stopped: 0n, inDuplum, loan };
  const start = periodStart(loan, index);
  const accrued = accruedIn(inst, start, date) - accruedIn(inst, start, addDays(date, -1));
  const { charged, state } = chargeWithin(inDuplum, accrued);
  const stopped = accrued - charged;
  if (stopped === 0n) return { n: inst.n, accrued, charged, stopped, inDuplum: state, loan };
  if (inst.paid.interest > inst.interest - inst.interestWaived - stopped) {
    throw new RangeError(
      `In duplum would stop interest already paid on instalment ${inst.n}: see inDuplumOn`,
    );
  }
  return {
    n: inst.n,
    accrued,
    charged,
    stopped,
    inDuplum: state,
    loan: replaceInstalment(loan, index, { ...inst, interestWaived: inst.interestWaived + stopped }),
  };
}

/**
 * Penalties for `date`: every instalment more than `graceDays` past its due date (the first
 * penalty day is due date + grace + 1) accrues principal and interest still due × rate / 365.
 * The exact amounts are added to `carry`, and the running total is rounded half-even instalment by
 * instalment (oldest first) so each instalment gets a whole amount, Σ = round(carry + Σ exact), and the
 * new carry is what rounding left. `loan` must be the state at the end of `date`.
 */
export function accruePenaltyForDay(
  loan: LoanState,
  date: string,
  terms: PenaltyTerms,
  carry: string,
  inDuplum: InDuplum | null = null,
): PenaltyDay {
  const rate = parseRate(terms.penaltyRate, 'penaltyRate');
  if (!Number.isInteger(terms.graceDays) || terms.graceDays < 0) {
    throw new RangeError(`graceDays must be a non-negative integer, got ${terms.graceDays}`);
  }
  const start = parseCarry(carry);
  const perDay = (rate.den * 365n).toString();
  let running = start;
  let rounded = 0n;
  const byInstalment: { n: number; amount: bigint }[] = [];
  for (const inst of loan.instalments) {
    if (daysBetween(inst.dueDate, date) <= terms.graceDays) continue;
    const due = instalmentDue(inst);
    const base = due.principal + due.interest;
    if (base <= 0n) continue;
    running = running.plus(new Decimal((base * rate.num).toString()).div(perDay));
    const next = roundDecimal(running);
    if (next !== rounded) byInstalment.push({ n: inst.n, amount: next - rounded });
    rounded = next;
  }
  const { charged, state } = chargeWithin(inDuplum, rounded);
  const stopped = rounded - charged;
  // The cap keeps the oldest instalments' penalties and trims the newest; once it bites, the
  // stream has ended, so no remainder is carried.
  let trim = stopped;
  for (let i = byInstalment.length - 1; i >= 0 && trim > 0n; i--) {
    const line = byInstalment[i]!;
    const cut = minBig(line.amount, trim);
    line.amount -= cut;
    trim -= cut;
  }
  const lines = byInstalment.filter((line) => line.amount > 0n);
  const amounts = new Map(lines.map((line) => [line.n, line.amount]));
  return {
    byInstalment: lines,
    charged,
    stopped,
    carry:
      stopped > 0n
        ? '0'
        : running.minus(rounded).toDecimalPlaces(CARRY_PLACES, Decimal.ROUND_HALF_EVEN).toFixed(),
    inDuplum: state,
    loan:
      lines.length === 0
        ? loan
        : {
            terms: loan.terms,
            instalments: loan.instalments.map((inst) => {
              const amount = amounts.get(inst.n);
              return amount === undefined ? inst : { ...inst, penalties: inst.penalties + amount };
            }),
          },
  };
}

/**
 * The in-duplum state of a loan on `date`, given the one stored (null: none): an episode starts when
 * the loan is non-performing (arrears.ts isNonPerforming) with the principal outstanding then as
 * its cap, lasts while it stays non-performing, and ends (null) once it performs again; a later
 * relapse starts a new episode. Call it in the daily close's DPD step and after every repayment
 * (a repayment that clears the arrears ends the episode at once, before any interest is paid
 * ahead, which is what keeps the cap from ever stopping interest that was already paid).
 */
export function inDuplumOn(
  loan: LoanState,
  date: string,
  stored: InDuplum | null,
  thresholds: CbkThresholds = DEFAULT_CBK_THRESHOLDS,
): InDuplum | null {
  if (!isNonPerforming(daysPastDue(loan, date), thresholds)) return null;
  return stored ?? { cap: principalOutstanding(loan), charged: 0n };
}

/**
 * Contractual interest of one instalment accrued through `date`, its period starting after `start`.
 * An instalment cut short by an early payoff accrues at its scheduled pace up to its (new) due date.
 */
function accruedIn(inst: InstalmentState, start: string, date: string): bigint {
  const elapsed = daysBetween(start, date);
  if (elapsed <= 0) return 0n;
  if (elapsed >= daysBetween(start, inst.dueDate)) return inst.interest;
  const scheduled = inst.closedEarly ?? inst;
  return divHalfEven(scheduled.interest * BigInt(elapsed), BigInt(daysBetween(start, scheduled.dueDate)));
}

/** The day before instalment `index`'s period: the disbursement date or the previous due date. */
function periodStart(loan: LoanState, index: number): string {
  return index === 0 ? loan.terms.disbursementDate : loan.instalments[index - 1]!.dueDate;
}

function chargeWithin(
  inDuplum: InDuplum | null,
  amount: bigint,
): { charged: bigint; state: InDuplum | null } {
  if (inDuplum === null) return { charged: amount, state: null };
  const room = inDuplum.cap - inDuplum.charged;
  const charged = room > 0n ? minBig(amount, room) : 0n;
  return { charged, state: { cap: inDuplum.cap, charged: inDuplum.charged + charged } };
}

function replaceInstalment(loan: LoanState, index: number, inst: InstalmentState): LoanState {
  return { terms: loan.terms, instalments: loan.instalments.map((old, i) => (i === index ? inst : old)) };
}

/**
 * The carry is kept to 30 decimals of a minor unit: a string of at most 33 characters, and a drift
 * below 10^-30 minor units a day, which no posting can ever show.
 */
const CARRY_PLACES = 30;
const CARRY_PATTERN = /^-?[0-9]+(?:\.[0-9]+)?$/;
const HALF = new Decimal('0.5');

function parseCarry(carry: string): Decimal {
  if (typeof carry !== 'string' || carry.length > 64 || !CARRY_PATTERN.test(carry)) {
    throw new RangeError(`A penalty carry is a decimal string such as "0.1234", got ${String(carry)}`);
  }
  const value = new Decimal(carry);
  if (value.abs().gt(HALF)) throw new RangeError(`A penalty carry is at most 0.5 minor units, got ${carry}`);
  return value;
}
