/**
 * End-of-day balances read from the ledger (DOMAIN.md "Save"): the balance at the end of bank day D
 * is the sum of the account's postings whose journal entry is dated on or before D.
 *
 * Postings are numbered in the order they were written (`account_seq`), and that order is not the
 * order of their dates: a daily job catching up a missed day posts with that day's date after
 * postings of later days (a month-end interest posting written on 3 April is dated 31 March). So a
 * day's balance is never "the balance after the last posting written by then"; it is summed by date.
 */
import type { Sql } from '../../db/database.ts';
import { type BalanceMovement, endOfDayBalances } from './interest.ts';

const big = (value: unknown) => (value === null || value === undefined ? 0n : BigInt(value as bigint));

/**
 * The net movement of a customer deposit account (credit-normal: credits add) per effective date,
 * for every date up to `through`, in date order. One aggregate over the account's postings.
 */
export async function movementsByDate(
  tx: Sql,
  accountId: string,
  through: string,
): Promise<BalanceMovement[]> {
  const rows = await tx.$queryRawUnsafe<{ effective_date: string; delta: unknown }[]>(
    `SELECT e.effective_date AS effective_date,
            SUM(CASE WHEN p.side = 'credit' THEN p.amount_minor ELSE -p.amount_minor END) AS delta
       FROM postings p JOIN journal_entries e ON e.id = p.entry_id
      WHERE p.account_id = ? AND e.effective_date <= ?
      GROUP BY e.effective_date
      ORDER BY e.effective_date`,
    accountId,
    through,
  );
  return rows.map((row) => ({ effectiveDate: String(row.effective_date), amount: big(row.delta) }));
}

/** The end-of-day balance of every day from `from` to `to`, from the ledger, as one read. */
export async function endOfDayBalancesFromLedger(
  tx: Sql,
  accountId: string,
  from: string,
  to: string,
): Promise<{ date: string; endOfDayBalance: bigint }[]> {
  const movements = await movementsByDate(tx, accountId, to);
  let opening = 0n;
  const inRange: BalanceMovement[] = [];
  for (const movement of movements) {
    if (movement.effectiveDate < from) opening += movement.amount;
    else inRange.push(movement);
  }
  return [...endOfDayBalances(opening, inRange, from, to)];
}
