/**
 * Savings interest (DOMAIN.md "Save"), as pure functions of the state a service stores per account.
 *
 * - **Accrual**, once per bank day D, on D's end-of-day balance — the balance after the last posting
 *   with effective date ≤ D — at the product's annual rate, Actual/365. Nothing is rounded: the state
 *   keeps the accrued interest × 365 as an exact decimal string (see `actual-365.ts`).
 * - **Posting**, on the last day of each month after that day's accrual: the accrued interest is rounded
 *   half-even once; what rounding leaves over stays in the state and is carried into next month. Tax is
 *   withheld from the gross (`withholding-tax.ts`). The service credits the gross from interest expense,
 *   debits the tax to tax payable, and from the next day the net interest is part of the balance the
 *   accrual sees: interest compounds monthly.
 *
 * The daily job for day D, in the order API.md's daily close runs:
 *
 * ```ts
 * const eod = balanceAtEndOf(account, D);                       // Σ postings with effective date ≤ D
 * const { state, accrued } = accrueSavingsDay(stored, { date: D, endOfDayBalance: eod, annualRate });
 * if (accrued) save(state);                                     // same transaction as the job's claim row
 * if (isSavingsPostingDay(D)) {
 *   const posting = postSavingsInterest(state, { date: D, currency });
 *   if (posting.gross.minor > 0n) post(posting);                 // one journal entry, effective date D
 *   save(posting.state);
 * }
 * ```
 *
 * Running the job for D twice changes nothing (a day already accrued is skipped, and a second posting
 * finds less than half a minor unit, which rounds to nothing). Catching up missed days means running the
 * same job for each of them in order, with each day's own end-of-day balance (`endOfDayBalances` walks
 * them from a posting history): the result is exactly what running every day would have given.
 */
import { Money } from '@wekeza/sdk';
import type { Decimal, RateInput } from '@wekeza/sdk/rates';
import { addDays, assertBankDate, daysBetween, eachDay, isLastDayOfMonth } from '../../bank-calendar.ts';
import {
  type Exact,
  exactStored,
  fromTimes365,
  interestTimes365,
  roundInterestTimes365,
} from './actual-365.ts';
import { DEFAULT_WITHHOLDING_TAX_RATE, type TaxedInterest, taxInterest } from './withholding-tax.ts';

/** What a service stores per savings account between daily jobs (two columns). */
export interface SavingsAccrualState {
  /** The last bank day whose interest has been accrued (the day before opening, until the first accrual). */
  accruedThrough: string;
  /**
   * Interest accrued and not yet posted, in minor units, times 365, as an exact decimal string: the sum of
   * end-of-day balance × annual rate over the days accrued since the last posting, plus 365 × what that
   * posting's rounding left over (which may be negative). Never rounded.
   */
  accruedTimes365: string;
}

/** One bank day to accrue. */
export interface SavingsAccrualDay {
  /** The bank day, `YYYY-MM-DD`: the day after `state.accruedThrough`, or one already accrued (a replay). */
  date: string;
  /** Minor units after the last posting with effective date ≤ `date`. */
  endOfDayBalance: bigint;
  /** The product's annual rate that day, a decimal string ("0.08" = 8 %). */
  annualRate: RateInput;
}

/** The state of a savings account opened on `openingDate`: nothing accrued, the first day to accrue is the opening day. */
export function startSavingsAccrual(openingDate: string): SavingsAccrualState {
  return { accruedThrough: addDays(assertBankDate(openingDate), -1), accruedTimes365: '0' };
}

/**
 * Accrues one day's interest: end-of-day balance × annual rate / 365, unrounded.
 *
 * A day already accrued (`date` ≤ `accruedThrough`) is a replay: the state comes back unchanged with
 * `accrued: false`. A day after the next one throws RangeError: missed days must be caught up in order,
 * each with its own balance.
 */
export function accrueSavingsDay(
  state: SavingsAccrualState,
  day: SavingsAccrualDay,
): { state: SavingsAccrualState; accrued: boolean } {
  const gap = daysBetween(state.accruedThrough, assertBankDate(day.date));
  if (gap <= 0) return { state, accrued: false };
  if (gap > 1) {
    throw new RangeError(
      `Cannot accrue ${day.date}: interest is accrued through ${state.accruedThrough}; accrue ${addDays(state.accruedThrough, 1)} first`,
    );
  }
  if (typeof day.endOfDayBalance !== 'bigint' || day.endOfDayBalance < 0n) {
    throw new RangeError(`A savings balance is a non-negative bigint, got ${String(day.endOfDayBalance)}`);
  }
  const accrued = stateTimes365(state).plus(interestTimes365(day.endOfDayBalance, day.annualRate));
  return { state: { accruedThrough: day.date, accruedTimes365: accrued.toFixed() }, accrued: true };
}

/** Interest accrued and not yet posted, in minor units (display only: rounded to 40 significant digits). */
export function accruedSavingsInterest(state: SavingsAccrualState): Decimal {
  return fromTimes365(stateTimes365(state));
}

/** Savings interest is posted on the last day of each month. */
export function isSavingsPostingDay(date: string): boolean {
  return isLastDayOfMonth(date);
}

/** A month-end posting: gross interest, the tax withheld, the net the customer keeps, and the state after it. */
export interface SavingsInterestPosting extends TaxedInterest {
  state: SavingsAccrualState;
}

/**
 * Posts the interest accrued through `date` (which must be the day last accrued): gross =
 * round_half_even(accrued), once; tax = round_half_even(gross × withholding rate); net = gross − tax.
 * The returned state keeps what rounding left over (at most half a minor unit, either sign) for the
 * next posting. When the gross is zero there is nothing to post and the state is unchanged.
 */
export function postSavingsInterest(
  state: SavingsAccrualState,
  options: { date: string; currency: string; withholdingTaxRate?: RateInput },
): SavingsInterestPosting {
  if (assertBankDate(options.date) !== state.accruedThrough) {
    throw new RangeError(
      `Cannot post interest on ${options.date}: interest is accrued through ${state.accruedThrough}`,
    );
  }
  const { minor, remainderTimes365 } = roundInterestTimes365(stateTimes365(state));
  // Balances never go negative and the carry is at most half a minor unit, so the gross cannot be
  // negative; zero (a tiny or empty balance) posts nothing and carries everything.
  const gross = Money.of(minor > 0n ? minor : 0n, options.currency);
  const taxed = taxInterest(gross, options.withholdingTaxRate ?? DEFAULT_WITHHOLDING_TAX_RATE);
  const next =
    minor > 0n
      ? { accruedThrough: state.accruedThrough, accruedTimes365: remainderTimes365.toFixed() }
      : state;
  return { ...taxed, state: next };
}

/** A dated change to an account's balance: one posting, signed from the account holder's view. */
export interface BalanceMovement {
  effectiveDate: string;
  amount: bigint;
}

/**
 * The end-of-day balance of every day from `from` to `to`, given the balance at the end of the day
 * before `from` and the movements dated `from`..`to` in date order — what a catch-up of missed days
 * feeds, day by day, to `accrueSavingsDay`. Throws RangeError on a movement out of order or range.
 */
export function* endOfDayBalances(
  openingBalance: bigint,
  movements: Iterable<BalanceMovement>,
  from: string,
  to: string,
): Generator<{ date: string; endOfDayBalance: bigint }> {
  const iterator = movements[Symbol.iterator]();
  let pending = iterator.next();
  let balance = openingBalance;
  let previousDate = assertBankDate(from);
  for (const date of eachDay(from, assertBankDate(to))) {
    while (!pending.done && pending.value.effectiveDate <= date) {
      const movement = pending.value;
      // ISO dates compare as strings once they are known to be dates.
      if (assertBankDate(movement.effectiveDate) < previousDate) {
        throw new RangeError(`Movement dated ${movement.effectiveDate} is out of order or before ${from}`);
      }
      balance += movement.amount;
      previousDate = movement.effectiveDate;
      pending = iterator.next();
    }
    yield { date, endOfDayBalance: balance };
  }
  if (!pending.done) throw new RangeError(`Movement dated ${pending.value.effectiveDate} is after ${to}`);
}

function stateTimes365(state: SavingsAccrualState): Exact {
  return exactStored(state.accruedTimes365, 'accrued interest × 365');
}
