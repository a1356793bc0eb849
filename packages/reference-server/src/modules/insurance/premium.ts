/**
 * Insure's pure calculators (ARCHITECTURE.md: `insurance/premium.ts`, no I/O): what a premium is,
 * when premiums fall due, how long grace lasts, what a cancellation refunds and how old a customer
 * is. The services around them lock, post and audit; the tests hit these directly.
 *
 * - A premium is either the product's fixed amount, or round_half_even(rate × base) where `rate` is
 *   monthly and `base` is the sum insured (credit life: the loan principal outstanding).
 * - A single premium with a rate covers the whole term: Σ over its months of rate × base (credit life:
 *   of each instalment period's opening principal, from the loan's schedule), rounded once.
 * - Premium k (0-based) falls due on start + k months, clamped to the month's end, like loan
 *   instalments (31 Jan → 28/29 Feb → 31 Mar).
 * - A missed premium is retried every day from its due date through due date + grace days; if the
 *   last retry fails the policy lapses that day.
 * - A pro-rata refund gives back premium × unused days / days of the period paid, rounded half-even.
 */
import { Decimal } from '@wekeza/sdk/rates';
import { addDays, addMonthsClamped, daysBetween } from '../../bank-calendar.ts';

export interface PremiumTerms {
  /** A fixed premium per period (or the single premium), minor units; null when rate-based. */
  premiumMinor: bigint | null;
  /** Monthly rate of the base, a decimal string ("0.004"); null when fixed. */
  premiumRate: string | null;
  frequency: 'monthly' | 'single';
  /** Months of cover a single premium buys (null: open-ended, monthly only). */
  termMonths: number | null;
}

/** round half-even of a decimal to whole minor units. */
export function roundMinor(value: Decimal): bigint {
  return BigInt(value.toDecimalPlaces(0, Decimal.ROUND_HALF_EVEN).toFixed(0));
}

/** One month's premium on `baseMinor` (the sum insured, or a loan's outstanding principal). */
export function monthlyPremium(terms: PremiumTerms, baseMinor: bigint): bigint {
  if (terms.premiumMinor !== null) return terms.premiumMinor;
  return roundMinor(new Decimal(terms.premiumRate as string).times(baseMinor.toString()));
}

/**
 * The single premium: the fixed amount, or Σ rate × base over the months covered, rounded once.
 * `bases` are the base of each month (credit life: each instalment's opening principal); a constant
 * sum insured is repeated for `termMonths`.
 */
export function singlePremium(terms: PremiumTerms, bases: readonly bigint[]): bigint {
  if (terms.premiumMinor !== null) return terms.premiumMinor;
  const rate = new Decimal(terms.premiumRate as string);
  return roundMinor(bases.reduce((sum, base) => sum.plus(rate.times(base.toString())), new Decimal(0)));
}

/** Due date of premium k (0-based): start + k months, clamped to the month's end. */
export function dueDate(startDate: string, k: number): string {
  return addMonthsClamped(startDate, k);
}

/** The last day a missed premium due on `due` is retried; failing then, the policy lapses that day. */
export function lastRetryDay(due: string, graceDays: number): string {
  return addDays(due, graceDays);
}

/** Whether the policy lapses at the close of `day` when the premium due on `due` cannot be collected. */
export function lapsesOn(day: string, due: string, graceDays: number): boolean {
  return daysBetween(lastRetryDay(due, graceDays), day) >= 0;
}

/**
 * The pro-rata refund on cancelling on `cancelDate` a period paid from `periodStart` to `periodEnd`
 * (exclusive): premium × days from the cancel date to the period's end / days in the period. Nothing
 * for a cancellation at or after the period's end; the whole premium on its first day.
 */
export function proRataRefund(
  premiumMinor: bigint,
  periodStart: string,
  periodEnd: string,
  cancelDate: string,
): bigint {
  const days = daysBetween(periodStart, periodEnd);
  const unused = Math.min(days, Math.max(0, daysBetween(cancelDate, periodEnd)));
  if (days <= 0 || unused <= 0) return 0n;
  return roundMinor(new Decimal(premiumMinor.toString()).times(unused).dividedBy(days));
}

/** Age in whole years on `date` of someone born on `dateOfBirth` (both YYYY-MM-DD). */
export function ageOn(dateOfBirth: string, date: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
