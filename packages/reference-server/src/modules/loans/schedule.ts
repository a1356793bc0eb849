/**
 * The repayment schedule of a loan (DOMAIN.md, Borrow): pure functions, no I/O.
 *
 * - `buildSchedule(terms)` is THE schedule: `POST /v1/loan-quotes` renders it, and accepting a loan
 *   of the same terms stores the same instalments (through `openLoan` in loan-state.ts). Same terms,
 *   same schedule, to the minor unit, with the processing fee, net disbursed, totals and APR.
 * - `reduceTerm(loan, afterN, prepaid)` recomputes the schedule after a prepayment ("reduce term":
 *   the prepaid principal is recorded on instalment `afterN`, the instalments after it are
 *   re-amortised from the lower principal with the same EMI or level principal, so the last
 *   instalments go and their interest is recomputed). allocation.ts calls it; a service should not
 *   need to call it directly.
 *
 * Amounts are bigint minor units of `terms.currency` (KES cents, whole UGX shillings): every rounding
 * is to a whole minor unit, half-even, so the currency's minor digits need no special case. Rates are
 * decimal strings ("0.18" = 18 % a year). Rounded amounts are computed from exact fractions
 * (exact.ts); only the EMI and the APR, which need powers, use decimal.js at 40 significant digits.
 *
 * Invalid terms (unknown currency, non-positive principal, a term below 1 month, a malformed rate,
 * a fee that leaves nothing to disburse) throw RangeError: the routes validate a request against the
 * product before they call this, so reaching the throw is a programming error.
 */
import { isCurrencyCode, maxMinor } from '@wekeza/sdk';
import { Decimal } from '@wekeza/sdk/rates';
import { addMonthsClamped, dayNumber } from '../../bank-calendar.ts';
import { divHalfEven, maxBig, minBig, parseRate, type Ratio, roundDecimal } from './exact.ts';
import type { InstalmentState, LoanState } from './loan-state.ts';

export type InterestMethod = 'declining_balance' | 'flat';
export type Amortization = 'equal_instalments' | 'equal_principal';

/** What a schedule depends on: the product's pricing and the loan's own amount, term and date. */
export interface LoanTerms {
  /** ISO 4217 code; amounts below are minor units of it. */
  readonly currency: string;
  /** P, in minor units (> 0). */
  readonly principal: bigint;
  /**
   * n, the number of monthly instalments (1..600). The schedule has n instalments, except that a
   * loan of a few minor units whose rounding repays it early ends there (see amortise).
   */
  readonly termMonths: number;
  /** Annual nominal rate, decimal string ("0.18"); r = annualRate / 12 per monthly period. */
  readonly annualRate: string;
  readonly interestMethod: InterestMethod;
  /** Declining balance only; defaults to equal instalments. Must be absent for flat. */
  readonly amortization?: Amortization | undefined;
  /** Share of P deducted at disbursement, decimal string ("0.02"), below 1. */
  readonly processingFeeRate: string;
  /** A fee charged with every instalment (e.g. a credit-life premium), minor units; default 0. */
  readonly instalmentFee?: bigint | undefined;
  /** Bank-local date the money is disbursed, YYYY-MM-DD; due date k = this + k months, clamped. */
  readonly disbursementDate: string;
}

/** One scheduled instalment. `total` = principal + interest + fees (penalties are never scheduled). */
export interface Instalment {
  /** 1-based position. */
  readonly n: number;
  readonly dueDate: string;
  readonly principal: bigint;
  readonly interest: bigint;
  readonly fees: bigint;
  readonly total: bigint;
}

/** A loan's schedule and its cost, as `POST /v1/loan-quotes` answers it. */
export interface LoanSchedule {
  readonly currency: string;
  readonly principal: bigint;
  readonly disbursementDate: string;
  /** round(P × processingFeeRate), deducted at disbursement. */
  readonly processingFee: bigint;
  /** P − processing fee: what reaches the customer. */
  readonly netDisbursed: bigint;
  readonly instalments: readonly Instalment[];
  readonly totalInterest: bigint;
  /** Σ instalment fees (the processing fee is not in it). */
  readonly totalFees: bigint;
  /** Σ instalment totals. */
  readonly totalRepayable: bigint;
  /** totalRepayable − netDisbursed (= interest + instalment fees + processing fee). */
  readonly totalCostOfCredit: bigint;
  /** 12 × the monthly IRR of (−netDisbursed, instalment totals…), 4 decimals ("0.2412"). */
  readonly apr: string;
}

/** Longest term accepted: 50 years of monthly instalments. */
const MAX_TERM_MONTHS = 600;

/** How the instalments after a point are amortised; derived from the terms alone. */
interface Plan {
  readonly kind: 'equal_instalments' | 'equal_principal' | 'flat';
  readonly n: number;
  readonly rate: Ratio;
  /** The EMI (equal instalments) or round(P / n) (equal principal, flat). */
  readonly level: bigint;
}

interface Row {
  principal: bigint;
  interest: bigint;
}

/** The schedule for `terms`: instalments, fee, net disbursed, totals and APR (see the module doc). */
export function buildSchedule(terms: LoanTerms): LoanSchedule {
  const plan = planOf(terms);
  const fee = instalmentFeeOf(terms);
  const rows = amortise(plan, 1, terms.principal);
  if (plan.kind === 'flat') spreadFlatInterest(rows, terms.principal, plan.rate);
  const instalments = rows.map((row, i) =>
    instalment(i + 1, addMonthsClamped(terms.disbursementDate, i + 1), row.principal, row.interest, fee),
  );
  const feeRate = parseRate(terms.processingFeeRate, 'processingFeeRate');
  const processingFee = divHalfEven(terms.principal * feeRate.num, feeRate.den);
  const netDisbursed = terms.principal - processingFee;
  if (netDisbursed <= 0n) throw new RangeError('The processing fee leaves nothing to disburse');
  const totalInterest = sum(instalments.map((i) => i.interest));
  const totalFees = sum(instalments.map((i) => i.fees));
  const totalRepayable = sum(instalments.map((i) => i.total));
  return {
    currency: terms.currency,
    principal: terms.principal,
    disbursementDate: terms.disbursementDate,
    processingFee,
    netDisbursed,
    instalments,
    totalInterest,
    totalFees,
    totalRepayable,
    totalCostOfCredit: totalRepayable - netDisbursed,
    apr: annualPercentageRate(
      netDisbursed,
      instalments.map((i) => i.total),
    ),
  };
}

/**
 * The loan after a prepayment of `prepaid` principal made once instalment `afterN` is paid in full
 * (allocation.ts guarantees that order): the prepaid principal is added to instalment `afterN`
 * (scheduled and paid, so Σ principal stays P and every paid instalment keeps its figures), and
 * the instalments after it are amortised again from the lower outstanding principal with the
 * original EMI (equal instalments) or level principal (equal principal, flat), until nothing is
 * left: the last instalments go. Their interest is recomputed on the lower principal; for flat, it
 * is flat interest on the principal left after the prepayment, never more than the instalment
 * carried before (see docs/loans.md). Throws RangeError when instalment `afterN` is not paid in
 * full, an instalment after it has been paid or penalised, or `prepaid` is not in
 * 1..(principal still scheduled after `afterN`).
 */
export function reduceTerm(loan: LoanState, afterN: number, prepaid: bigint): LoanState {
  const plan = planOf(loan.terms);
  const index = afterN - 1;
  const paidInstalment = loan.instalments[index];
  if (paidInstalment === undefined) throw new RangeError(`No instalment ${afterN}`);
  const { paid } = paidInstalment;
  if (
    paid.principal !== paidInstalment.principal ||
    paid.interest !== paidInstalment.interest - paidInstalment.interestWaived ||
    paid.fees !== paidInstalment.fees ||
    paid.penalties !== paidInstalment.penalties
  ) {
    throw new RangeError(`Instalment ${afterN} must be paid in full before a prepayment`);
  }
  const later = loan.instalments.slice(index + 1);
  for (const inst of later) {
    const touched = inst.paid.principal + inst.paid.interest + inst.paid.fees + inst.paid.penalties;
    if (touched !== 0n || inst.penalties !== 0n || inst.interestWaived !== 0n) {
      throw new RangeError(`Instalment ${inst.n} has started; only untouched instalments are recomputed`);
    }
  }
  const remaining = sum(later.map((i) => i.principal));
  if (prepaid <= 0n || prepaid > remaining) {
    throw new RangeError(`A prepayment must be between 1 and ${remaining}, got ${prepaid}`);
  }
  const opening = remaining - prepaid;
  const rows = amortise(plan, afterN + 1, opening);
  if (plan.kind === 'flat') {
    spreadFlatInterest(rows, opening, plan.rate);
    // Rounding can put a few minor units more on the new last instalment than it carried before;
    // a prepayment only ever lowers what is due.
    rows.forEach((row, i) => {
      row.interest = minBig(row.interest, later[i]?.interest ?? row.interest);
    });
  }
  const fee = instalmentFeeOf(loan.terms);
  const recomputed = rows.map((row, i) =>
    freshState(
      instalment(
        afterN + 1 + i,
        addMonthsClamped(loan.terms.disbursementDate, afterN + 1 + i),
        row.principal,
        row.interest,
        fee,
      ),
    ),
  );
  const principal = paidInstalment.principal + prepaid;
  const withPrepayment: InstalmentState = {
    ...paidInstalment,
    principal,
    total: principal + paidInstalment.interest + paidInstalment.fees,
    paid: { ...paidInstalment.paid, principal: paidInstalment.paid.principal + prepaid },
  };
  return {
    terms: loan.terms,
    instalments: [...loan.instalments.slice(0, index), withPrepayment, ...recomputed],
  };
}

/** An instalment with nothing paid, charged or waived yet. */
export function freshState(inst: Instalment): InstalmentState {
  return {
    ...inst,
    penalties: 0n,
    interestWaived: 0n,
    paid: { principal: 0n, interest: 0n, fees: 0n, penalties: 0n },
  };
}

/** round(outstanding × r) with r = annual rate / 12, computed as one exact fraction. */
function monthlyInterest(outstanding: bigint, rate: Ratio): bigint {
  return divHalfEven(outstanding * rate.num, rate.den * 12n);
}

/**
 * Rows for instalments from..n starting from `opening` principal. Interest is round(outstanding × r)
 * (left at 0 for flat, see spreadFlatInterest); instalment n takes whatever principal is left, and
 * the rows stop once nothing is left: after a prepayment that is what shortens the term; in a new
 * schedule it only happens when rounding repays a loan of a few minor units early, which then has
 * fewer than n instalments rather than instalments of fees alone.
 */
function amortise(plan: Plan, from: number, opening: bigint): Row[] {
  const rows: Row[] = [];
  let outstanding = opening;
  for (let k = from; k <= plan.n && outstanding > 0n; k++) {
    const interest = plan.kind === 'flat' ? 0n : monthlyInterest(outstanding, plan.rate);
    let principal: bigint;
    if (k === plan.n) principal = outstanding;
    else if (plan.kind === 'equal_instalments')
      principal = minBig(maxBig(plan.level - interest, 0n), outstanding);
    else principal = minBig(plan.level, outstanding);
    outstanding -= principal;
    rows.push({ principal, interest });
  }
  return rows;
}

/**
 * Flat interest on `base` over the rows: round(base × r) each period, the last row taking what is
 * left so that Σ = round(base × annual rate × m / 12) (m = number of rows). For a loan of a few
 * minor units the per-period figure can overshoot that total; then the later rows get what is left
 * (never negative).
 */
function spreadFlatInterest(rows: Row[], base: bigint, rate: Ratio): void {
  const perPeriod = monthlyInterest(base, rate);
  let left = divHalfEven(base * rate.num * BigInt(rows.length), rate.den * 12n);
  rows.forEach((row, i) => {
    row.interest = i === rows.length - 1 ? left : minBig(perPeriod, left);
    left -= row.interest;
  });
}

function planOf(terms: LoanTerms): Plan {
  if (!isCurrencyCode(terms.currency)) throw new RangeError(`Unknown currency ${String(terms.currency)}`);
  if (
    typeof terms.principal !== 'bigint' ||
    terms.principal <= 0n ||
    terms.principal > maxMinor(terms.currency)
  ) {
    throw new RangeError(
      `principal must be a positive bigint of minor units, got ${String(terms.principal)}`,
    );
  }
  const n = terms.termMonths;
  if (!Number.isInteger(n) || n < 1 || n > MAX_TERM_MONTHS) {
    throw new RangeError(`termMonths must be an integer in 1..${MAX_TERM_MONTHS}, got ${n}`);
  }
  dayNumber(terms.disbursementDate);
  instalmentFeeOf(terms);
  const rate = parseRate(terms.annualRate, 'annualRate');
  if (terms.interestMethod === 'flat') {
    if (terms.amortization !== undefined) throw new RangeError('A flat loan has no amortization');
    return { kind: 'flat', n, rate, level: divHalfEven(terms.principal, BigInt(n)) };
  }
  if (terms.interestMethod !== 'declining_balance') {
    throw new RangeError(`Unknown interest method ${String(terms.interestMethod)}`);
  }
  const amortization = terms.amortization ?? 'equal_instalments';
  if (amortization === 'equal_principal') {
    return { kind: 'equal_principal', n, rate, level: divHalfEven(terms.principal, BigInt(n)) };
  }
  if (amortization !== 'equal_instalments')
    throw new RangeError(`Unknown amortization ${String(amortization)}`);
  return { kind: 'equal_instalments', n, rate, level: equalInstalment(terms.principal, rate, n) };
}

/** EMI = P·r / (1 − (1+r)^−n), rounded half-even (P / n when the rate is 0). */
function equalInstalment(principal: bigint, rate: Ratio, n: number): bigint {
  if (rate.num === 0n) return divHalfEven(principal, BigInt(n));
  const r = new Decimal(rate.num.toString()).div((rate.den * 12n).toString());
  const one = new Decimal(1);
  return roundDecimal(new Decimal(principal.toString()).times(r).div(one.minus(one.plus(r).pow(-n))));
}

function instalmentFeeOf(terms: LoanTerms): bigint {
  const fee = terms.instalmentFee ?? 0n;
  if (typeof fee !== 'bigint' || fee < 0n) {
    throw new RangeError(`instalmentFee must be a non-negative bigint, got ${String(fee)}`);
  }
  return fee;
}

function instalment(
  n: number,
  dueDate: string,
  principal: bigint,
  interest: bigint,
  fees: bigint,
): Instalment {
  return { n, dueDate, principal, interest, fees, total: principal + interest + fees };
}

function sum(values: readonly bigint[]): bigint {
  return values.reduce((a, b) => a + b, 0n);
}

/**
 * 12 × i, where i solves −net + Σ total_k / (1+i)^k = 0 (k = 1..n months), as a 4-decimal string.
 * The present value falls strictly as i grows, and is ≥ 0 at i = 0 (the customer repays at least
 * what they received), so there is one root ≥ 0: Newton's method, kept inside a bisection bracket
 * so a wild step can never escape, to 30 decimals.
 */
export function annualPercentageRate(netDisbursed: bigint, totals: readonly bigint[]): string {
  const net = new Decimal(netDisbursed.toString());
  const flows = totals.map((t) => new Decimal(t.toString()));
  const zero = new Decimal(0);
  const one = new Decimal(1);
  const tolerance = new Decimal('1e-30');
  /** The present value at monthly rate i, and its derivative. */
  const presentValue = (i: Decimal): [Decimal, Decimal] => {
    const v = one.div(one.plus(i));
    let discount = one;
    let value = net.negated();
    let slope = zero;
    flows.forEach((flow, k) => {
      discount = discount.times(v);
      value = value.plus(flow.times(discount));
      slope = slope.minus(
        flow
          .times(discount)
          .times(k + 1)
          .times(v),
      );
    });
    return [value, slope];
  };
  let [value] = presentValue(zero);
  if (value.isNegative()) throw new RangeError('The instalments repay less than was disbursed');
  if (value.isZero()) return zero.toFixed(4);
  let low = zero;
  let high = one;
  while (presentValue(high)[0].isPositive()) high = high.times(2);
  let rate = low.plus(high).div(2);
  for (let step = 0; step < 400; step++) {
    let slope: Decimal;
    [value, slope] = presentValue(rate);
    if (value.isZero()) break;
    if (value.isPositive()) low = rate;
    else high = rate;
    let next = rate.minus(value.div(slope));
    if (next.lte(low) || next.gte(high)) next = low.plus(high).div(2);
    const moved = next.minus(rate).abs();
    rate = next;
    if (moved.lt(tolerance) || high.minus(low).lt(tolerance)) break;
  }
  return rate.times(12).toFixed(4, Decimal.ROUND_HALF_EVEN);
}
