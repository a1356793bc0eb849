import { Money } from '@wekeza/sdk';
import type { Transaction } from '../../core/types.ts';

/** One month of a savings account: its balance at the month's last posting, and how much of it is interest. */
export interface GrowthPoint {
  /** `YYYY-MM`. */
  month: string;
  balance: Money;
  /** Net interest credited so far (gross interest − withholding tax), cumulative. */
  interest: Money;
  /** balance − interest: what the customer put in (net of withdrawals). */
  deposits: Money;
}

/** What the account has earned: gross interest posted, the tax withheld on it, and the difference. */
export interface InterestEarned {
  gross: Money;
  tax: Money;
  net: Money;
}

/** The posting kinds the bank uses for interest paid to a customer and the tax withheld from it. */
export const INTEREST_KIND = 'interest_posting';
export const TAX_KIND = 'withholding_tax';

/** Sums the interest postings and the withholding tax of an account's transactions. */
export function interestEarned(transactions: readonly Transaction[], currency: string): InterestEarned {
  let gross = Money.zero(currency);
  let tax = Money.zero(currency);
  for (const t of transactions) {
    if (t.kind === INTEREST_KIND) gross = gross.add(t.amount.abs());
    else if (t.kind === TAX_KIND) tax = tax.add(t.amount.abs());
  }
  return { gross, tax, net: gross.subtract(tax) };
}

/** Month-end figures, oldest first, from the account's transactions (any order). */
export function growthByMonth(transactions: readonly Transaction[], currency: string): GrowthPoint[] {
  const ordered = [...transactions].sort(
    (a, b) => a.effectiveDate.localeCompare(b.effectiveDate) || a.createdAt.localeCompare(b.createdAt),
  );
  const points = new Map<string, GrowthPoint>();
  let interest = Money.zero(currency);
  for (const t of ordered) {
    if (t.kind === INTEREST_KIND) interest = interest.add(t.amount.abs());
    else if (t.kind === TAX_KIND) interest = interest.subtract(t.amount.abs());
    const month = t.effectiveDate.slice(0, 7);
    points.set(month, {
      month,
      balance: t.balanceAfter,
      interest,
      deposits: t.balanceAfter.subtract(interest),
    });
  }
  return [...points.values()];
}

/** Major units as a JS number, for drawing only (never for arithmetic). */
export const forChart = (money: Money) => Number(money.toDecimalString());
