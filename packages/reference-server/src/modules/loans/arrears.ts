/**
 * Arrears and portfolio quality (DOMAIN.md, Borrow): pure functions, no I/O.
 *
 * - `daysPastDue(loan, date)`: days since the due date of the oldest instalment not settled on
 *   `date` (penalties included, as Fineract counts an instalment complete only when every charge on
 *   it is paid). Grace days do not change it. An instalment falls due at the end of its due date:
 *   on that date DPD is 0, the day after it is 1.
 * - `arrearsBucket(dpd)`: current (0), 1-30, 31-60, 61-90, 91+.
 * - `cbkClassification(dpd, thresholds?)`: the Central Bank of Kenya's prudential classes, with
 *   configurable upper bounds (defaults Normal 0–30, Watch 31–90, Substandard 91–180, Doubtful
 *   181–360, Loss > 360). `isNonPerforming` is Substandard or worse, i.e. DPD > 90 by default: one
 *   definition serves the NPL ratio, interest in suspense and the in-duplum cap.
 * - `portfolioQuality(loans, thresholds?)`: NPL ratio and PAR30 weighted by outstanding principal,
 *   over the loans that are `active` or `in_arrears`, as 4-decimal strings, with the loans and
 *   principal per bucket and per class. One currency per call: the caller groups by currency.
 */
import { Decimal } from '@wekeza/sdk/rates';
import { daysBetween } from '../../bank-calendar.ts';
import { isSettled, type LoanState, type LoanStatus } from './loan-state.ts';

export type ArrearsBucket = 'current' | '1-30' | '31-60' | '61-90' | '91+';
export const ARREARS_BUCKETS: readonly ArrearsBucket[] = ['current', '1-30', '31-60', '61-90', '91+'];

export type CbkClass = 'normal' | 'watch' | 'substandard' | 'doubtful' | 'loss';
export const CBK_CLASSES: readonly CbkClass[] = ['normal', 'watch', 'substandard', 'doubtful', 'loss'];

/** The highest DPD of each class; above `doubtful` is Loss. */
export interface CbkThresholds {
  readonly normal: number;
  readonly watch: number;
  readonly substandard: number;
  readonly doubtful: number;
}

export const DEFAULT_CBK_THRESHOLDS: CbkThresholds = Object.freeze({
  normal: 30,
  watch: 90,
  substandard: 180,
  doubtful: 360,
});

/** What the portfolio figures need of one loan. */
export interface PortfolioLoan {
  readonly status: LoanStatus;
  readonly outstandingPrincipal: bigint;
  readonly daysPastDue: number;
}

export interface PortfolioSlice {
  readonly loans: number;
  readonly principal: bigint;
}

export interface PortfolioQuality {
  /** Outstanding principal of non-performing loans / outstanding principal of all counted loans. */
  readonly nplRatio: string;
  /** The same with DPD > 30. */
  readonly par30: string;
  /** Counted loans: `active` or `in_arrears`. */
  readonly loans: number;
  readonly outstandingPrincipal: bigint;
  readonly nonPerformingPrincipal: bigint;
  readonly par30Principal: bigint;
  readonly byBucket: Readonly<Record<ArrearsBucket, PortfolioSlice>>;
  readonly byClass: Readonly<Record<CbkClass, PortfolioSlice>>;
}

/** Days since the oldest unsettled instalment's due date on `date` (0 when none is overdue). */
export function daysPastDue(loan: LoanState, date: string): number {
  const oldest = loan.instalments.find((inst) => !isSettled(inst));
  if (oldest === undefined) return 0;
  return Math.max(0, daysBetween(oldest.dueDate, date));
}

export function arrearsBucket(dpd: number): ArrearsBucket {
  checkDpd(dpd);
  if (dpd === 0) return 'current';
  if (dpd <= 30) return '1-30';
  if (dpd <= 60) return '31-60';
  if (dpd <= 90) return '61-90';
  return '91+';
}

export function cbkClassification(dpd: number, thresholds: CbkThresholds = DEFAULT_CBK_THRESHOLDS): CbkClass {
  checkDpd(dpd);
  checkThresholds(thresholds);
  if (dpd <= thresholds.normal) return 'normal';
  if (dpd <= thresholds.watch) return 'watch';
  if (dpd <= thresholds.substandard) return 'substandard';
  if (dpd <= thresholds.doubtful) return 'doubtful';
  return 'loss';
}

/** Substandard or worse: DPD > 90 with the default thresholds. */
export function isNonPerforming(dpd: number, thresholds: CbkThresholds = DEFAULT_CBK_THRESHOLDS): boolean {
  const cls = cbkClassification(dpd, thresholds);
  return cls === 'substandard' || cls === 'doubtful' || cls === 'loss';
}

/** NPL ratio, PAR30 and the distribution of a portfolio in one currency (see the module doc). */
export function portfolioQuality(
  loans: Iterable<PortfolioLoan>,
  thresholds: CbkThresholds = DEFAULT_CBK_THRESHOLDS,
): PortfolioQuality {
  const byBucket = Object.fromEntries(ARREARS_BUCKETS.map((b) => [b, { loans: 0, principal: 0n }])) as Record<
    ArrearsBucket,
    { loans: number; principal: bigint }
  >;
  const byClass = Object.fromEntries(CBK_CLASSES.map((c) => [c, { loans: 0, principal: 0n }])) as Record<
    CbkClass,
    { loans: number; principal: bigint }
  >;
  let count = 0;
  let total = 0n;
  let nonPerforming = 0n;
  let par30 = 0n;
  for (const loan of loans) {
    if (loan.status !== 'active' && loan.status !== 'in_arrears') continue;
    if (loan.outstandingPrincipal < 0n) throw new RangeError('Outstanding principal cannot be negative');
    const bucket = byBucket[arrearsBucket(loan.daysPastDue)];
    bucket.loans += 1;
    bucket.principal += loan.outstandingPrincipal;
    const cls = byClass[cbkClassification(loan.daysPastDue, thresholds)];
    cls.loans += 1;
    cls.principal += loan.outstandingPrincipal;
    count += 1;
    total += loan.outstandingPrincipal;
    if (isNonPerforming(loan.daysPastDue, thresholds)) nonPerforming += loan.outstandingPrincipal;
    if (loan.daysPastDue > 30) par30 += loan.outstandingPrincipal;
  }
  return {
    nplRatio: ratio(nonPerforming, total),
    par30: ratio(par30, total),
    loans: count,
    outstandingPrincipal: total,
    nonPerformingPrincipal: nonPerforming,
    par30Principal: par30,
    byBucket,
    byClass,
  };
}

/** part / whole to 4 decimals, half-even; "0.0000" for an empty portfolio. */
function ratio(part: bigint, whole: bigint): string {
  if (whole === 0n) return '0.0000';
  return new Decimal(part.toString()).div(whole.toString()).toFixed(4, Decimal.ROUND_HALF_EVEN);
}

function checkDpd(dpd: number): void {
  if (!Number.isInteger(dpd) || dpd < 0)
    throw new RangeError(`DPD must be a non-negative integer, got ${dpd}`);
}

function checkThresholds(t: CbkThresholds): void {
  const bounds = [t.normal, t.watch, t.substandard, t.doubtful];
  const ordered = bounds.every((b, i) => Number.isInteger(b) && b >= 0 && (i === 0 || b > bounds[i - 1]!));
  if (!ordered) throw new RangeError('CBK thresholds must be increasing non-negative integers');
}
