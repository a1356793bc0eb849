/**
 * Fixed deposits (DOMAIN.md "Save"), as pure functions of the terms fixed at opening. The quotes a
 * customer sees before opening and before an early close are computed by the very functions the
 * maturity and close jobs use, so a quote and the event it announces cannot disagree.
 *
 * - Term: from the opening date to the maturity date = opening date + term months, clamped to the end
 *   of the month (31 Aug + 6 months = 28 Feb). Interest runs for the days opening..maturity − 1.
 * - Interest: simple, P × rate × days / 365, rounded half-even once for the whole term; no compounding
 *   inside a term.
 * - Daily accrual: the interest accrued through day D is round(P × rate × k / 365), k = the days of the
 *   term elapsed at the end of D. Each day's accrual is the difference between two consecutive such
 *   figures, so what one day's rounding gains the next gives back (the carry) and the daily accruals add
 *   up to the maturity interest exactly. Being a function of the date alone, a job that runs twice or
 *   catches up missed days cannot drift.
 * - Maturity: principal + interest − withholding tax is paid out, or rolled over into a new deposit of
 *   the same term at the product's rate of that day.
 * - Early close: the product's `early_close_forfeit_share` of the interest accrued so far goes back to
 *   the bank (rounded half-even); the rest is paid with the principal, less tax on it.
 */
import { Money } from '@wekeza/sdk';
import { multiplyByRate, type RateInput } from '@wekeza/sdk/rates';
import { addDays, addMonthsClamped, assertBankDate, daysBetween } from '../../bank-calendar.ts';
import { exactRate, interestTimes365, roundInterestTimes365 } from './actual-365.ts';
import { DEFAULT_WITHHOLDING_TAX_RATE, taxInterest } from './withholding-tax.ts';

/** What is fixed when a deposit opens. */
export interface FixedDepositTerms {
  /** The amount deposited, a positive Money. */
  principal: Money;
  /** The product's annual rate on the opening day, a decimal string ("0.10" = 10 %). */
  annualRate: string;
  /** The bank day the deposit was funded, `YYYY-MM-DD`. */
  openingDate: string;
  /** One of the product's terms, in whole months. */
  termMonths: number;
}

/** What `POST /v1/deposit-quotes` answers, and what maturity pays (`{ maturity_date, interest, tax, maturity_amount }`). */
export interface FixedDepositQuote {
  maturityDate: string;
  /** Gross interest for the whole term. */
  interest: Money;
  /** Withholding tax on `interest`. */
  tax: Money;
  /** principal + interest − tax. */
  maturityAmount: Money;
}

/** Longest term accepted (50 years): far beyond any product, short enough to catch a unit mistake. */
const MAX_TERM_MONTHS = 600;

/** The maturity date: `openingDate` + `termMonths`, clamped to the month's last day. */
export function fixedDepositMaturityDate(openingDate: string, termMonths: number): string {
  if (!Number.isSafeInteger(termMonths) || termMonths < 1 || termMonths > MAX_TERM_MONTHS) {
    throw new RangeError(
      `A term is a whole number of months from 1 to ${MAX_TERM_MONTHS}, got ${termMonths}`,
    );
  }
  return addMonthsClamped(assertBankDate(openingDate), termMonths);
}

/** Days of interest in the term: maturity date − opening date. */
export function fixedDepositTermDays(terms: FixedDepositTerms): number {
  checkTerms(terms);
  return daysBetween(terms.openingDate, fixedDepositMaturityDate(terms.openingDate, terms.termMonths));
}

/**
 * Interest accrued by the end of bank day `date`: round_half_even(P × rate × k / 365), where k is the
 * number of term days elapsed (date − opening + 1, from 0 before the opening day to the term's days on
 * and after the day before maturity).
 */
export function fixedDepositInterestAccrued(terms: FixedDepositTerms, date: string): Money {
  return interestForDays(terms, daysElapsedAtEndOf(terms, date));
}

/**
 * The interest to accrue for bank day `date` (the daily job's posting): accrued through `date` minus
 * accrued through the day before. Zero outside the term; Σ over the term = the maturity interest.
 */
export function fixedDepositDailyAccrual(terms: FixedDepositTerms, date: string): Money {
  return fixedDepositInterestAccrued(terms, date).subtract(
    fixedDepositInterestAccrued(terms, addDays(assertBankDate(date), -1)),
  );
}

/** The quote before opening, and what maturity pays: maturity date, interest, tax, maturity amount. */
export function quoteFixedDeposit(
  terms: FixedDepositTerms,
  options: { withholdingTaxRate?: RateInput } = {},
): FixedDepositQuote {
  const maturityDate = fixedDepositMaturityDate(terms.openingDate, terms.termMonths);
  const taxed = taxInterest(
    interestForDays(terms, daysBetween(terms.openingDate, maturityDate)),
    options.withholdingTaxRate ?? DEFAULT_WITHHOLDING_TAX_RATE,
  );
  return {
    maturityDate,
    interest: taxed.gross,
    tax: taxed.tax,
    maturityAmount: terms.principal.add(taxed.net),
  };
}

/** What happens on the maturity date. */
export type FixedDepositMaturity = FixedDepositQuote &
  (
    | { atMaturity: 'pay_out' /** Paid to the wallet: the maturity amount. */; payout: Money }
    | {
        atMaturity: 'roll_over';
        /** The new deposit: the maturity amount, same term, opening on the maturity date at the new rate. */
        rollover: FixedDepositTerms;
      }
  );

/**
 * Matures a deposit on its maturity date: the quote's figures, then either the payout to the wallet or
 * the terms of the deposit it rolls into (principal + net interest, the same term, the product's
 * annual rate of the maturity day, which the caller passes as `rolloverAnnualRate`).
 */
export function matureFixedDeposit(
  terms: FixedDepositTerms,
  options:
    | { atMaturity: 'pay_out'; withholdingTaxRate?: RateInput }
    | { atMaturity: 'roll_over'; rolloverAnnualRate: string; withholdingTaxRate?: RateInput },
): FixedDepositMaturity {
  const quote = quoteFixedDeposit(terms, options);
  if (options.atMaturity === 'pay_out')
    return { ...quote, atMaturity: 'pay_out', payout: quote.maturityAmount };
  const rollover: FixedDepositTerms = {
    principal: quote.maturityAmount,
    annualRate: options.rolloverAnnualRate,
    openingDate: quote.maturityDate,
    termMonths: terms.termMonths,
  };
  checkTerms(rollover);
  return { ...quote, atMaturity: 'roll_over', rollover };
}

/** What `GET /v1/accounts/{id}/close-quote` answers, and what an early close pays. */
export interface EarlyCloseQuote {
  principal: Money;
  /** Interest accrued by the end of the day before the close. */
  interestAccrued: Money;
  /** round_half_even(accrued × forfeit share): goes back to the bank. */
  interestForfeited: Money;
  /** accrued − forfeited: paid to the customer, less tax. */
  interestKept: Money;
  /** Withholding tax on `interestKept`. */
  tax: Money;
  /** principal + kept − tax: paid to the wallet. */
  total: Money;
}

/**
 * Closing before maturity on bank day `closeDate` (opening date ≤ closeDate < maturity date): the
 * interest accrued through the day before (so closing on day 45 of the term keeps 45 days' accrual),
 * `forfeitShare` of it forfeited, tax on the rest.
 */
export function quoteEarlyClose(
  terms: FixedDepositTerms,
  options: { closeDate: string; forfeitShare: string; withholdingTaxRate?: RateInput },
): EarlyCloseQuote {
  const maturityDate = fixedDepositMaturityDate(terms.openingDate, terms.termMonths);
  const elapsed = daysBetween(terms.openingDate, assertBankDate(options.closeDate));
  if (elapsed < 0 || options.closeDate >= maturityDate) {
    throw new RangeError(
      `An early close falls from ${terms.openingDate} to the day before maturity (${maturityDate}), got ${options.closeDate}`,
    );
  }
  const share = exactRate(options.forfeitShare, 'early-close forfeit share');
  if (share.greaterThan(1)) throw new RangeError(`A forfeit share is at most 1, got ${options.forfeitShare}`);
  const interestAccrued = interestForDays(terms, elapsed);
  const interestForfeited = multiplyByRate(interestAccrued, options.forfeitShare);
  const interestKept = interestAccrued.subtract(interestForfeited);
  const taxed = taxInterest(interestKept, options.withholdingTaxRate ?? DEFAULT_WITHHOLDING_TAX_RATE);
  return {
    principal: terms.principal,
    interestAccrued,
    interestForfeited,
    interestKept,
    tax: taxed.tax,
    total: terms.principal.add(taxed.net),
  };
}

/** round_half_even(P × rate × days / 365), computed exactly. */
function interestForDays(terms: FixedDepositTerms, days: number): Money {
  checkTerms(terms);
  const { minor } = roundInterestTimes365(interestTimes365(terms.principal.minor, terms.annualRate, days));
  return Money.of(minor, terms.principal.currency);
}

/** Term days elapsed at the end of `date`, from 0 to the term's length. */
function daysElapsedAtEndOf(terms: FixedDepositTerms, date: string): number {
  const termDays = fixedDepositTermDays(terms);
  const elapsed = daysBetween(terms.openingDate, assertBankDate(date)) + 1;
  return Math.min(Math.max(elapsed, 0), termDays);
}

function checkTerms(terms: FixedDepositTerms): void {
  if (!Money.isMoney(terms.principal) || terms.principal.minor <= 0n) {
    throw new RangeError('A fixed deposit needs a positive principal');
  }
  exactRate(terms.annualRate);
  fixedDepositMaturityDate(terms.openingDate, terms.termMonths);
}
