import type { Db } from '../../db/database.ts';
import { balanceDelta, type Side } from './chart.ts';
import { walkChain } from './digest.ts';

export interface ReconciliationReport {
  ok: boolean;
  accountsChecked: number;
  /** Accounts whose cached balance differs from the sum of their postings. */
  balanceMismatches: { accountId: string; cached: bigint; fromPostings: bigint }[];
  /** Accounts whose cached posting count or holds do not match their postings / pending holds. */
  countMismatches: { accountId: string; cached: bigint; actual: bigint }[];
  heldMismatches: { accountId: string; cached: bigint; pending: bigint }[];
  /** Σ debits and Σ credits per currency over the whole ledger; equal when the books balance. */
  totals: { currency: string; debits: bigint; credits: bigint }[];
  /** Journal entries whose own postings do not balance. */
  unbalancedEntries: string[];
  /** Accounts whose posting chain does not recompute (an altered, missing or reordered posting). */
  chainBreaks: { accountId: string; accountSeq: bigint; reason: string }[];
}

const big = (value: unknown) => (value === null || value === undefined ? 0n : BigInt(value as bigint));

/**
 * Proves the books: every cached balance equals the sum of its postings, every entry balances per
 * currency, Σ debits = Σ credits per currency over the whole ledger, and every account's posting
 * chain recomputes to its head.
 */
export async function reconcile(db: Db): Promise<ReconciliationReport> {
  const accounts = await db.account.findMany({
    select: {
      id: true,
      normalSide: true,
      balanceMinor: true,
      postingCount: true,
      heldMinor: true,
      chainHead: true,
    },
  });
  const sums = await db.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT account_id, side, SUM(amount_minor) AS total, COUNT(*) AS n FROM postings GROUP BY account_id, side`,
  );
  const holds = await db.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT account_id, SUM(amount_minor) AS total FROM holds WHERE status = 'pending' GROUP BY account_id`,
  );
  const byAccount = new Map<string, { debit: bigint; credit: bigint; count: bigint }>();
  for (const row of sums) {
    const item = byAccount.get(String(row.account_id)) ?? { debit: 0n, credit: 0n, count: 0n };
    item[String(row.side) as Side] += big(row.total);
    item.count += big(row.n);
    byAccount.set(String(row.account_id), item);
  }
  const heldByAccount = new Map(holds.map((row) => [String(row.account_id), big(row.total)]));

  const report: ReconciliationReport = {
    ok: true,
    accountsChecked: accounts.length,
    balanceMismatches: [],
    countMismatches: [],
    heldMismatches: [],
    totals: [],
    unbalancedEntries: [],
    chainBreaks: [],
  };
  for (const account of accounts) {
    const sum = byAccount.get(account.id) ?? { debit: 0n, credit: 0n, count: 0n };
    const side = account.normalSide as Side;
    const fromPostings = balanceDelta(side, 'debit', sum.debit) + balanceDelta(side, 'credit', sum.credit);
    if (fromPostings !== account.balanceMinor) {
      report.balanceMismatches.push({ accountId: account.id, cached: account.balanceMinor, fromPostings });
    }
    if (sum.count !== account.postingCount)
      report.countMismatches.push({ accountId: account.id, cached: account.postingCount, actual: sum.count });
    const pending = heldByAccount.get(account.id) ?? 0n;
    if (pending !== account.heldMinor)
      report.heldMismatches.push({ accountId: account.id, cached: account.heldMinor, pending });
  }

  const totals = await db.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT currency,
            SUM(CASE WHEN side = 'debit' THEN amount_minor ELSE 0 END) AS debits,
            SUM(CASE WHEN side = 'credit' THEN amount_minor ELSE 0 END) AS credits
       FROM postings GROUP BY currency ORDER BY currency`,
  );
  report.totals = totals.map((row) => ({
    currency: String(row.currency),
    debits: big(row.debits),
    credits: big(row.credits),
  }));

  const unbalanced = await db.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT entry_id FROM postings GROUP BY entry_id, currency
     HAVING SUM(CASE WHEN side = 'debit' THEN amount_minor ELSE -amount_minor END) <> 0 OR COUNT(*) < 2`,
  );
  report.unbalancedEntries = unbalanced.map((row) => String(row.entry_id));

  for (const account of accounts) {
    if (account.postingCount === 0n) continue;
    const walked = await walkChain(db, account.id, account.postingCount);
    if (walked.broken)
      report.chainBreaks.push({
        accountId: account.id,
        accountSeq: walked.broken.seq,
        reason: walked.broken.reason,
      });
    else if (walked.head !== account.chainHead)
      report.chainBreaks.push({
        accountId: account.id,
        accountSeq: account.postingCount,
        reason: 'the head differs',
      });
  }

  report.ok =
    report.chainBreaks.length === 0 &&
    report.balanceMismatches.length === 0 &&
    report.countMismatches.length === 0 &&
    report.heldMismatches.length === 0 &&
    report.unbalancedEntries.length === 0 &&
    report.totals.every((t) => t.debits === t.credits);
  return report;
}
