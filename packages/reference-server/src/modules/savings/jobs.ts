/**
 * Save's part of the daily close (API.md "Sandbox": accruals first, month-end posting later,
 * maturities after that). Each job walks the accounts whose watermark is behind the day being closed,
 * one transaction per account, so a job interrupted half-way is simply run again: the accounts it
 * finished are past the watermark and are not selected twice.
 */
import type { Sql } from '../../db/database.ts';
import { sqlTransaction } from '../../db/transaction.ts';
import { type DailyJob, JOB_PHASES, type JobContext } from '../../jobs/daily-close.ts';
import { type SavingsContext, SYSTEM } from './context.ts';
import { isSavingsPostingDay } from './interest.ts';
import type { SavingsService } from './service.ts';

/** Accounts per selection; the lease is renewed after each batch. */
const BATCH = 200;

export interface SavingsJobs {
  /** `savings.accrue_interest`: day D's interest on D's end-of-day balance, at D's rate. */
  accrueSavings: DailyJob;
  /** `fixed_deposits.accrue_interest`: the interest a deposit has earned by the end of D, booked. */
  accrueFixedDeposits: DailyJob;
  /** `savings.post_interest`: on a month's last day, the month's interest posted with its tax. */
  postSavingsInterest: DailyJob;
  /** `fixed_deposits.mature`: deposits whose maturity date is D paid out or rolled over. */
  matureFixedDeposits: DailyJob;
}

export function savingsJobs(service: SavingsService, s: SavingsContext): SavingsJobs {
  const { savings, deposits } = service;
  return {
    accrueSavings: {
      name: 'savings.accrue_interest',
      phase: JOB_PHASES.accrual,
      run: (ctx) =>
        eachAccount(
          ctx,
          `SELECT s.account_id, a.currency FROM savings_accounts s JOIN accounts a ON a.id = s.account_id
            WHERE s.accrued_through < ? AND s.closed_on IS NULL AND s.account_id > ?
            ORDER BY s.account_id LIMIT ${BATCH}`,
          [ctx.bankDate],
          async (tx, accountId) => {
            await s.ledger.lock(tx, [accountId]);
            const row = await savings.row(tx, accountId);
            if (row) await savings.accrue(tx, row, ctx.bankDate);
          },
        ),
    },
    accrueFixedDeposits: {
      name: 'fixed_deposits.accrue_interest',
      phase: JOB_PHASES.accrual,
      run: (ctx) =>
        eachAccount(
          ctx,
          `SELECT f.account_id, a.currency FROM fixed_deposits f JOIN accounts a ON a.id = f.account_id
            WHERE f.status = 'active' AND f.accrued_through < ? AND f.account_id > ?
            ORDER BY f.account_id LIMIT ${BATCH}`,
          [ctx.bankDate],
          async (tx, accountId, currency) => {
            const locked = await s.ledger.lock(tx, [accountId, ...deposits.bankLocks(currency)]);
            const row = await deposits.row(tx, accountId);
            if (row) await deposits.accrue(tx, row, currency, ctx.bankDate, locked);
          },
        ),
    },
    postSavingsInterest: {
      name: 'savings.post_interest',
      phase: JOB_PHASES.interestPosting,
      run: async (ctx) => {
        if (!isSavingsPostingDay(ctx.bankDate)) return;
        await eachAccount(
          ctx,
          `SELECT s.account_id, a.currency FROM savings_accounts s JOIN accounts a ON a.id = s.account_id
            WHERE s.posted_through < ? AND s.accrued_through = ? AND s.closed_on IS NULL AND s.account_id > ?
            ORDER BY s.account_id LIMIT ${BATCH}`,
          [ctx.bankDate, ctx.bankDate],
          async (tx, accountId, currency) => {
            const locked = await s.ledger.lock(tx, [accountId, ...savings.interestLocks(currency)]);
            const row = await savings.row(tx, accountId);
            if (
              !row ||
              row.closedOn ||
              row.accruedThrough !== ctx.bankDate ||
              row.postedThrough >= ctx.bankDate
            )
              return;
            await savings.postInterest(tx, SYSTEM, row, row, locked, {
              through: ctx.bankDate,
              effectiveDate: ctx.bankDate,
            });
          },
        );
      },
    },
    matureFixedDeposits: {
      name: 'fixed_deposits.mature',
      phase: JOB_PHASES.maturities,
      run: (ctx) =>
        eachAccount(
          ctx,
          `SELECT f.account_id, a.currency FROM fixed_deposits f JOIN accounts a ON a.id = f.account_id
            WHERE f.status = 'active' AND f.maturity_date <= ? AND f.account_id > ?
            ORDER BY f.account_id LIMIT ${BATCH}`,
          [ctx.bankDate],
          async (tx, accountId) => {
            await deposits.mature(tx, accountId, ctx.bankDate);
          },
        ),
    },
  };
}

/** Selects accounts in id order, `BATCH` at a time, and runs `work` on each in a transaction of its own. */
async function eachAccount(
  ctx: JobContext,
  select: string,
  values: unknown[],
  work: (tx: Sql, accountId: string, currency: string) => Promise<void>,
): Promise<void> {
  let after = '';
  for (;;) {
    const rows = await ctx.db.sql.$queryRawUnsafe<{ account_id: string; currency: string }[]>(
      select,
      ...values,
      after,
    );
    for (const row of rows) {
      await sqlTransaction(ctx.db, (tx) => work(tx, String(row.account_id), String(row.currency)));
    }
    if (rows.length < BATCH) return;
    after = String(rows[rows.length - 1]?.account_id);
    await ctx.heartbeat();
  }
}
