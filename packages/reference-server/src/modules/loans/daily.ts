/**
 * Borrow's daily jobs (registered on the daily close, in API.md's order): interest accrual; due
 * dates, days past due, buckets, penalties, interest in suspense and in duplum; automatic
 * write-off. Each works in batches of loans, each batch one transaction: the loan control accounts
 * are locked first (as every loan movement locks them, so nothing deadlocks), then the batch's loan
 * rows, whose watermarks (`interest_accrued_through`, `arrears_through`) say what is done. A batch
 * interrupted half-way rolls back whole; running a day again finds every loan done and changes
 * nothing. A loan whose watermarks lag more than a day (it never happens when days close in order)
 * is caught up day by day with the same steps a repayment uses.
 *
 * Accrual posts one journal entry per batch and day with one sub-ledger line per loan, inserted
 * many rows per statement (docs/loans.md, "Daily close"): a loan's interest of a day is a function
 * of the date and the one instalment whose period holds it, so the batch reads exactly that row.
 */
import { addDays } from '../../bank-calendar.ts';
import type { Database } from '../../db/database.ts';
import { sqlTransaction } from '../../db/transaction.ts';
import { DomainError } from '../../errors.ts';
import { type DailyJob, JOB_PHASES, type JobContext } from '../../jobs/daily-close.ts';
import type { Ledger } from '../ledger/ledger.ts';
import {
  type LoadedLoan,
  type LoanBook,
  type LoanRecord,
  loanFromRow,
  OPEN_STATUSES,
  termsOf,
} from './loan-book.ts';
import { arrearsStep, interestStep, type Progress, type StepPostings } from './loan-days.ts';
import type { InstalmentState } from './loan-state.ts';
import { type LoansService, SYSTEM } from './service.ts';

const OPEN = OPEN_STATUSES.map((s) => `'${s}'`).join(', ');

/** The instalment columns the accrual batch reads beside each loan, prefixed so they do not clash. */
const CURRENT_INSTALMENT = `i.n AS i_n, i.period_start AS i_period_start, i.due_date AS i_due_date,
  i.principal_minor AS i_principal, i.interest_minor AS i_interest, i.fees_minor AS i_fees,
  i.penalties_minor AS i_penalties, i.interest_waived_minor AS i_waived, i.paid_principal_minor AS i_paid_principal,
  i.paid_interest_minor AS i_paid_interest, i.paid_fees_minor AS i_paid_fees, i.paid_penalties_minor AS i_paid_penalties,
  i.settled_on AS i_settled_on, i.closed_early_due_date AS i_ce_due, i.closed_early_interest_minor AS i_ce_interest`;

function currentInstalment(row: Record<string, unknown>): InstalmentState | null {
  if (row.i_n === null || row.i_n === undefined) return null;
  const big = (v: unknown) => BigInt(String(v));
  const principal = big(row.i_principal);
  const interest = big(row.i_interest);
  const fees = big(row.i_fees);
  return {
    n: Number(row.i_n),
    dueDate: String(row.i_due_date),
    principal,
    interest,
    fees,
    total: principal + interest + fees,
    penalties: big(row.i_penalties),
    interestWaived: big(row.i_waived),
    paid: {
      principal: big(row.i_paid_principal),
      interest: big(row.i_paid_interest),
      fees: big(row.i_paid_fees),
      penalties: big(row.i_paid_penalties),
    },
    closedEarly:
      row.i_ce_due === null || row.i_ce_due === undefined
        ? undefined
        : { dueDate: String(row.i_ce_due), interest: big(row.i_ce_interest) },
  };
}

export class LoanJobs {
  constructor(
    private readonly db: Database,
    private readonly loans: LoansService,
    private readonly book: LoanBook,
    private readonly ledger: Ledger,
    /** Loans per transaction. */
    private readonly batchSize = 1000,
  ) {}

  private get forUpdate(): string {
    return this.db.dialect === 'mysql' ? ' FOR UPDATE' : '';
  }

  /** Interest accrual: every open loan's contractual interest of the day. */
  readonly accrual: DailyJob = {
    name: 'loans.accrue_interest',
    phase: JOB_PHASES.accrual,
    run: (context) => this.accrue(context),
  };

  /** Due dates, DPD and buckets, penalties, interest in suspense, in duplum, arrears status. */
  readonly arrears: DailyJob = {
    name: 'loans.arrears',
    phase: JOB_PHASES.dueDates,
    run: (context) => this.runArrears(context),
  };

  /** Automatic write-off at the product's `write_off_days` (last in the daily close). */
  readonly writeOff: DailyJob = {
    name: 'loans.write_off',
    phase: JOB_PHASES.writeOffs,
    run: (context) => this.runWriteOffs(context),
  };

  private async currencies(): Promise<string[]> {
    const rows = await this.db.sql.$queryRawUnsafe<{ currency: string }[]>(
      `SELECT DISTINCT currency FROM loans WHERE status IN (${OPEN}) ORDER BY currency`,
    );
    return rows.map((r) => String(r.currency));
  }

  private async accrue({ bankDate, heartbeat }: JobContext): Promise<void> {
    const yesterday = addDays(bankDate, -1);
    for (const currency of await this.currencies()) {
      let after = '';
      for (;;) {
        const last = await sqlTransaction(this.db, async (tx) => {
          const locked = await this.ledger.lock(tx, this.loans.bankAccountsFor(currency));
          const rows = await tx.$queryRawUnsafe<Record<string, unknown>[]>(
            `SELECT l.*, ${CURRENT_INSTALMENT}
               FROM loans l
               LEFT JOIN loan_instalments i ON i.loan_id = l.id AND i.period_start < ? AND i.due_date >= ?
              WHERE l.currency = ? AND l.status IN (${OPEN}) AND l.id > ? AND l.interest_accrued_through < ?
              ORDER BY l.id LIMIT ${this.batchSize}${this.forUpdate}`,
            bankDate,
            bankDate,
            currency,
            after,
            bankDate,
          );
          if (rows.length === 0) return null;
          const steps: StepPostings[] = [];
          const accrued: string[] = [];
          const changedInstalments: { loaded: LoadedLoan; after: Progress['state']; day: string }[] = [];
          const changedLoans: LoanRecord[] = [];
          const lagging: LoanRecord[] = [];
          for (const row of rows) {
            const loan = loanFromRow(row);
            if (loan.interestAccruedThrough !== yesterday || loan.arrearsThrough < yesterday) {
              lagging.push(loan);
              continue;
            }
            const current = currentInstalment(row);
            // The one instalment whose period holds the day decides its interest (accrual.ts).
            const state = {
              terms: {
                ...termsOf(loan),
                disbursementDate: String(row.i_period_start ?? loan.disbursementDate),
              },
              instalments: current ? [current] : [],
            };
            const progress: Progress = { loan, state };
            const cap = loan.inDuplum;
            steps.push(interestStep(progress, bankDate));
            accrued.push(loan.id);
            if (progress.state !== state && current)
              changedInstalments.push({
                loaded: {
                  record: loan,
                  state,
                  settledOn: new Map([
                    [current.n, row.i_settled_on === null ? null : String(row.i_settled_on)],
                  ]),
                },
                after: progress.state,
                day: bankDate,
              });
            if (cap !== loan.inDuplum) changedLoans.push(loan);
          }
          await this.loans.postDay(tx, { currency }, bankDate, steps, locked);
          await this.book.saveInstalments(tx, changedInstalments);
          await this.book.updateLoans(tx, changedLoans);
          for (let i = 0; i < accrued.length; i += 500) {
            const slice = accrued.slice(i, i + 500);
            await tx.$executeRawUnsafe(
              `UPDATE loans SET interest_accrued_through = ? WHERE id IN (${slice.map(() => '?').join(', ')})`,
              bankDate,
              ...slice,
            );
          }
          for (const loan of lagging)
            await this.loans.bringUpToDate(tx, await this.book.load(tx, loan), bankDate, locked);
          return String(rows.at(-1)?.id);
        });
        if (last === null) break;
        after = last;
        await heartbeat();
      }
    }
  }

  private async runArrears({ bankDate, heartbeat }: JobContext): Promise<void> {
    const yesterday = addDays(bankDate, -1);
    for (const currency of await this.currencies()) {
      let after = '';
      for (;;) {
        // Only loans with an instalment already due and not settled have anything to do today.
        const candidates = await this.db.sql.$queryRawUnsafe<{ loan_id: string }[]>(
          `SELECT DISTINCT i.loan_id FROM loan_instalments i JOIN loans l ON l.id = i.loan_id
            WHERE i.settled = 0 AND i.due_date < ? AND l.currency = ? AND l.status IN (${OPEN})
              AND l.arrears_through < ? AND i.loan_id > ?
            ORDER BY i.loan_id LIMIT ${this.batchSize}`,
          bankDate,
          currency,
          bankDate,
          after,
        );
        if (candidates.length === 0) break;
        const ids = candidates.map((c) => String(c.loan_id));
        await sqlTransaction(this.db, async (tx) => {
          const locked = await this.ledger.lock(tx, this.loans.bankAccountsFor(currency));
          const rows = await tx.$queryRawUnsafe<Record<string, unknown>[]>(
            `SELECT * FROM loans WHERE id IN (${ids.map(() => '?').join(', ')}) AND status IN (${OPEN})
               AND arrears_through < ? ORDER BY id${this.forUpdate}`,
            ...ids,
            bankDate,
          );
          const loaded = await this.book.loadStates(tx, rows.map(loanFromRow));
          const steps: StepPostings[] = [];
          const changes: { loaded: LoadedLoan; after: Progress['state']; day: string }[] = [];
          for (const item of loaded.values()) {
            if (item.record.interestAccruedThrough < bankDate || item.record.arrearsThrough < yesterday)
              await this.loans.bringUpToDate(tx, item, bankDate, locked);
            const progress: Progress = { loan: item.record, state: item.state };
            const step = arrearsStep(progress, bankDate);
            steps.push(step);
            if (step.transition)
              await this.loans.transition(tx, item.record, step.transition, bankDate, SYSTEM, 'daily close');
            changes.push({ loaded: item, after: progress.state, day: bankDate });
          }
          await this.loans.postDay(tx, { currency }, bankDate, steps, locked);
          await this.book.saveInstalments(tx, changes);
          await this.book.updateLoans(
            tx,
            [...loaded.values()].map((item) => item.record),
          );
        });
        after = ids.at(-1) as string;
        await heartbeat();
      }
    }
    // Every other open loan had nothing overdue: its arrears step for the day is done as it is.
    await this.db.sql.$executeRawUnsafe(
      `UPDATE loans SET arrears_through = ? WHERE status IN (${OPEN}) AND arrears_through < ?`,
      bankDate,
      bankDate,
    );
  }

  private async runWriteOffs({ bankDate, heartbeat }: JobContext): Promise<void> {
    const due = await this.db.sql.$queryRawUnsafe<{ id: string; days_past_due: unknown }[]>(
      `SELECT id, days_past_due FROM loans WHERE status IN (${OPEN}) AND days_past_due >= write_off_days ORDER BY id`,
    );
    for (const row of due) {
      try {
        await sqlTransaction(this.db, (tx) =>
          this.loans.writeOff(
            tx,
            SYSTEM,
            String(row.id),
            `automatic: ${Number(row.days_past_due)} days past due`,
            bankDate,
          ),
        );
      } catch (error) {
        // Paid off or written off by hand since it was read: nothing left to do for it.
        if (!(error instanceof DomainError && error.code === 'conflict')) throw error;
      }
      await heartbeat();
    }
  }
}
