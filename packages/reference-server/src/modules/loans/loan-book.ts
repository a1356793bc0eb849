/**
 * Where loans live: the `loans` row (terms, status, arrears, the daily jobs' watermarks) and its
 * instalments, read into the calculators' `LoanState` and written back. Plain SQL on `Sql`, so the
 * same code runs in a request's transaction and in the daily jobs' batches, on both databases.
 */
import type { Dialect, Sql } from '../../db/database.ts';
import type { InDuplum, PenaltyTerms } from './accrual.ts';
import { type InstalmentState, isSettled, type LoanState, type LoanStatus } from './loan-state.ts';
import type { Amortization, InterestMethod, LoanTerms } from './schedule.ts';

/** Statuses the daily jobs work on: the money is out and the loan is not finished. */
export const OPEN_STATUSES: readonly LoanStatus[] = ['disbursed', 'active', 'in_arrears'];

/** A `loans` row. */
export interface LoanRecord {
  id: string;
  loanNumber: string;
  customerId: string;
  productId: string;
  applicationId: string | null;
  walletAccountId: string;
  currency: string;
  principalMinor: bigint;
  termMonths: number;
  interestMethod: InterestMethod;
  amortization: Amortization | null;
  annualRate: string;
  processingFeeRate: string;
  processingFeeMinor: bigint;
  penaltyRate: string;
  graceDays: number;
  writeOffDays: number;
  disbursementDate: string;
  channel: string;
  status: LoanStatus;
  score: number | null;
  principalOutstandingMinor: bigint;
  daysPastDue: number;
  worstDaysPastDue: number;
  /** The last bank day whose contractual interest is posted. */
  interestAccruedThrough: string;
  /** The last bank day whose arrears step (DPD, penalties, in duplum, status) has run. */
  arrearsThrough: string;
  /** The penalty stream's unrounded remainder (accrual.ts). */
  penaltyCarry: string;
  /** The in-duplum episode of a non-performing loan; null while it performs. */
  inDuplum: InDuplum | null;
  writtenOffMinor: bigint;
  recoveredMinor: bigint;
  closedOn: string | null;
  createdAt: Date;
}

/** A loan with its instalments as the calculators see them, and the day each instalment was settled. */
export interface LoadedLoan {
  record: LoanRecord;
  state: LoanState;
  settledOn: Map<number, string | null>;
}

const big = (value: unknown): bigint => BigInt(String(value));
const int = (value: unknown): number => Number(value);
const text = (value: unknown): string => String(value);
const nullable = <T>(value: unknown, read: (v: unknown) => T): T | null =>
  value === null || value === undefined ? null : read(value);

/** A `loans` row as the database answers it (BIGINT may come back as a string or a bigint). */
export function loanFromRow(row: Record<string, unknown>): LoanRecord {
  const cap = nullable(row.in_duplum_cap_minor, big);
  return {
    id: text(row.id),
    loanNumber: text(row.loan_number),
    customerId: text(row.customer_id),
    productId: text(row.product_id),
    applicationId: nullable(row.application_id, text),
    walletAccountId: text(row.wallet_account_id),
    currency: text(row.currency),
    principalMinor: big(row.principal_minor),
    termMonths: int(row.term_months),
    interestMethod: text(row.interest_method) as InterestMethod,
    amortization: nullable(row.amortization, text) as Amortization | null,
    annualRate: text(row.annual_rate),
    processingFeeRate: text(row.processing_fee_rate),
    processingFeeMinor: big(row.processing_fee_minor),
    penaltyRate: text(row.penalty_rate),
    graceDays: int(row.grace_days),
    writeOffDays: int(row.write_off_days),
    disbursementDate: text(row.disbursement_date),
    channel: text(row.channel),
    status: text(row.status) as LoanStatus,
    score: nullable(row.score, int),
    principalOutstandingMinor: big(row.principal_outstanding_minor),
    daysPastDue: int(row.days_past_due),
    worstDaysPastDue: int(row.worst_days_past_due),
    interestAccruedThrough: text(row.interest_accrued_through),
    arrearsThrough: text(row.arrears_through),
    penaltyCarry: text(row.penalty_carry),
    inDuplum: cap === null ? null : { cap, charged: big(row.in_duplum_charged_minor) },
    writtenOffMinor: big(row.written_off_minor),
    recoveredMinor: big(row.recovered_minor),
    closedOn: nullable(row.closed_on, text),
    createdAt: row.created_at instanceof Date ? row.created_at : new Date(String(row.created_at)),
  };
}

/** The schedule-relevant terms of a loan (the product's, copied at acceptance). */
export function termsOf(loan: LoanRecord): LoanTerms {
  return {
    currency: loan.currency,
    principal: loan.principalMinor,
    termMonths: loan.termMonths,
    annualRate: loan.annualRate,
    interestMethod: loan.interestMethod,
    amortization: loan.interestMethod === 'flat' ? undefined : (loan.amortization ?? undefined),
    processingFeeRate: loan.processingFeeRate,
    disbursementDate: loan.disbursementDate,
  };
}

export function penaltyTermsOf(loan: LoanRecord): PenaltyTerms {
  return { penaltyRate: loan.penaltyRate, graceDays: loan.graceDays };
}

function instalmentFromRow(row: Record<string, unknown>): InstalmentState {
  const principal = big(row.principal_minor);
  const interest = big(row.interest_minor);
  const fees = big(row.fees_minor);
  const closedEarly = nullable(row.closed_early_due_date, text);
  return {
    n: int(row.n),
    dueDate: text(row.due_date),
    principal,
    interest,
    fees,
    total: principal + interest + fees,
    penalties: big(row.penalties_minor),
    interestWaived: big(row.interest_waived_minor),
    paid: {
      principal: big(row.paid_principal_minor),
      interest: big(row.paid_interest_minor),
      fees: big(row.paid_fees_minor),
      penalties: big(row.paid_penalties_minor),
    },
    closedEarly:
      closedEarly === null
        ? undefined
        : { dueDate: closedEarly, interest: big(row.closed_early_interest_minor) },
  };
}

const INSTALMENT_COLUMNS =
  'loan_id, n, period_start, due_date, principal_minor, interest_minor, fees_minor, penalties_minor, interest_waived_minor, paid_principal_minor, paid_interest_minor, paid_fees_minor, paid_penalties_minor, settled, settled_on, closed_early_due_date, closed_early_interest_minor';

const LOAN_COLUMNS = [
  'id',
  'loan_number',
  'customer_id',
  'product_id',
  'application_id',
  'wallet_account_id',
  'currency',
  'principal_minor',
  'term_months',
  'interest_method',
  'amortization',
  'annual_rate',
  'processing_fee_rate',
  'processing_fee_minor',
  'penalty_rate',
  'grace_days',
  'write_off_days',
  'disbursement_date',
  'channel',
  'status',
  'score',
  'principal_outstanding_minor',
  'days_past_due',
  'worst_days_past_due',
  'interest_accrued_through',
  'arrears_through',
  'penalty_carry',
  'in_duplum_cap_minor',
  'in_duplum_charged_minor',
  'written_off_minor',
  'recovered_minor',
  'closed_on',
  'created_at',
] as const;

function sameInstalment(a: InstalmentState, b: InstalmentState): boolean {
  return (
    a.n === b.n &&
    a.dueDate === b.dueDate &&
    a.principal === b.principal &&
    a.interest === b.interest &&
    a.fees === b.fees &&
    a.penalties === b.penalties &&
    a.interestWaived === b.interestWaived &&
    a.paid.principal === b.paid.principal &&
    a.paid.interest === b.paid.interest &&
    a.paid.fees === b.paid.fees &&
    a.paid.penalties === b.paid.penalties &&
    a.closedEarly?.dueDate === b.closedEarly?.dueDate &&
    a.closedEarly?.interest === b.closedEarly?.interest
  );
}

/** Rows per multi-row statement: a few thousand parameters, well under every driver's limit. */
const ROWS_PER_STATEMENT = 400;

export class LoanBook {
  constructor(private readonly dialect: Dialect) {}

  private get forUpdate(): string {
    return this.dialect === 'mysql' ? ' FOR UPDATE' : '';
  }

  /** Locks a loan's row for the rest of the transaction (after any accounts and customers) and reads it. */
  async lock(tx: Sql, id: string): Promise<LoanRecord | null> {
    const [row] = await tx.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT * FROM loans WHERE id = ?${this.forUpdate}`,
      id,
    );
    return row ? loanFromRow(row) : null;
  }

  async lockByNumber(tx: Sql, loanNumber: string): Promise<LoanRecord | null> {
    const [row] = await tx.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT * FROM loans WHERE loan_number = ?${this.forUpdate}`,
      loanNumber,
    );
    return row ? loanFromRow(row) : null;
  }

  async read(tx: Sql, id: string): Promise<LoanRecord | null> {
    const [row] = await tx.$queryRawUnsafe<Record<string, unknown>[]>('SELECT * FROM loans WHERE id = ?', id);
    return row ? loanFromRow(row) : null;
  }

  /** Several loans' instalments at once, in the calculators' form. */
  async loadStates(tx: Sql, loans: readonly LoanRecord[]): Promise<Map<string, LoadedLoan>> {
    const out = new Map<string, LoadedLoan>();
    for (let i = 0; i < loans.length; i += ROWS_PER_STATEMENT) {
      const slice = loans.slice(i, i + ROWS_PER_STATEMENT);
      const rows = await tx.$queryRawUnsafe<Record<string, unknown>[]>(
        `SELECT ${INSTALMENT_COLUMNS} FROM loan_instalments WHERE loan_id IN (${slice.map(() => '?').join(', ')}) ORDER BY loan_id, n`,
        ...slice.map((l) => l.id),
      );
      const byLoan = new Map<string, Record<string, unknown>[]>();
      for (const row of rows) {
        const list = byLoan.get(text(row.loan_id)) ?? [];
        list.push(row);
        byLoan.set(text(row.loan_id), list);
      }
      for (const record of slice) {
        const own = byLoan.get(record.id) ?? [];
        out.set(record.id, {
          record,
          state: { terms: termsOf(record), instalments: own.map(instalmentFromRow) },
          settledOn: new Map(own.map((row) => [int(row.n), nullable(row.settled_on, text)])),
        });
      }
    }
    return out;
  }

  async load(tx: Sql, record: LoanRecord): Promise<LoadedLoan> {
    return (await this.loadStates(tx, [record])).get(record.id) as LoadedLoan;
  }

  async insertLoan(tx: Sql, loan: LoanRecord): Promise<void> {
    const values: Record<(typeof LOAN_COLUMNS)[number], unknown> = {
      id: loan.id,
      loan_number: loan.loanNumber,
      customer_id: loan.customerId,
      product_id: loan.productId,
      application_id: loan.applicationId,
      wallet_account_id: loan.walletAccountId,
      currency: loan.currency,
      principal_minor: loan.principalMinor,
      term_months: loan.termMonths,
      interest_method: loan.interestMethod,
      amortization: loan.amortization,
      annual_rate: loan.annualRate,
      processing_fee_rate: loan.processingFeeRate,
      processing_fee_minor: loan.processingFeeMinor,
      penalty_rate: loan.penaltyRate,
      grace_days: loan.graceDays,
      write_off_days: loan.writeOffDays,
      disbursement_date: loan.disbursementDate,
      channel: loan.channel,
      status: loan.status,
      score: loan.score,
      principal_outstanding_minor: loan.principalOutstandingMinor,
      days_past_due: loan.daysPastDue,
      worst_days_past_due: loan.worstDaysPastDue,
      interest_accrued_through: loan.interestAccruedThrough,
      arrears_through: loan.arrearsThrough,
      penalty_carry: loan.penaltyCarry,
      in_duplum_cap_minor: loan.inDuplum?.cap ?? null,
      in_duplum_charged_minor: loan.inDuplum?.charged ?? null,
      written_off_minor: loan.writtenOffMinor,
      recovered_minor: loan.recoveredMinor,
      closed_on: loan.closedOn,
      created_at: loan.createdAt,
    };
    await tx.$executeRawUnsafe(
      `INSERT INTO loans (${LOAN_COLUMNS.join(', ')}) VALUES (${LOAN_COLUMNS.map(() => '?').join(', ')})`,
      ...LOAN_COLUMNS.map((c) => values[c]),
    );
  }

  /** Writes the loan row's changing fields (status, outstanding, arrears, watermarks, in duplum). */
  async updateLoan(tx: Sql, loan: LoanRecord): Promise<void> {
    await tx.$executeRawUnsafe(
      `UPDATE loans SET status = ?, principal_outstanding_minor = ?, days_past_due = ?, worst_days_past_due = ?,
              interest_accrued_through = ?, arrears_through = ?, penalty_carry = ?, in_duplum_cap_minor = ?,
              in_duplum_charged_minor = ?, written_off_minor = ?, recovered_minor = ?, closed_on = ?
        WHERE id = ?`,
      loan.status,
      loan.principalOutstandingMinor,
      loan.daysPastDue,
      loan.worstDaysPastDue,
      loan.interestAccruedThrough,
      loan.arrearsThrough,
      loan.penaltyCarry,
      loan.inDuplum?.cap ?? null,
      loan.inDuplum?.charged ?? null,
      loan.writtenOffMinor,
      loan.recoveredMinor,
      loan.closedOn,
      loan.id,
    );
  }

  /**
   * `updateLoan` for many loans at once (the daily jobs): one statement per 200 loans, joining the
   * new values as a derived table.
   */
  async updateLoans(tx: Sql, loans: readonly LoanRecord[]): Promise<void> {
    for (let i = 0; i < loans.length; i += 200) {
      const slice = loans.slice(i, i + 200);
      const values = slice
        .map((_, k) =>
          k === 0
            ? `SELECT ? AS id, ? AS status, ? AS principal_outstanding_minor, ? AS days_past_due,
                        ? AS worst_days_past_due, ? AS interest_accrued_through, ? AS arrears_through,
                        ? AS penalty_carry, ? AS in_duplum_cap_minor, ? AS in_duplum_charged_minor`
            : 'SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?',
        )
        .join(' UNION ALL ');
      const params = slice.flatMap((loan) => [
        loan.id,
        loan.status,
        loan.principalOutstandingMinor,
        loan.daysPastDue,
        loan.worstDaysPastDue,
        loan.interestAccruedThrough,
        loan.arrearsThrough,
        loan.penaltyCarry,
        loan.inDuplum?.cap ?? null,
        loan.inDuplum?.charged ?? null,
      ]);
      const set = `status = v.status, principal_outstanding_minor = v.principal_outstanding_minor,
        days_past_due = v.days_past_due, worst_days_past_due = v.worst_days_past_due,
        interest_accrued_through = v.interest_accrued_through, arrears_through = v.arrears_through,
        penalty_carry = v.penalty_carry, in_duplum_cap_minor = v.in_duplum_cap_minor,
        in_duplum_charged_minor = v.in_duplum_charged_minor`;
      await tx.$executeRawUnsafe(
        this.dialect === 'mysql'
          ? `UPDATE loans l JOIN (${values}) v ON v.id = l.id SET ${set.replace(/(\w+) = v\./g, 'l.$1 = v.')}`
          : `UPDATE loans SET ${set} FROM (${values}) AS v WHERE loans.id = v.id`,
        ...params,
      );
    }
  }

  /**
   * Writes what changed between two states of loans' instalments: changed instalments are replaced,
   * instalments a prepayment or payoff removed are deleted. An instalment newly settled gets `day`
   * as its settled date (kept in `settledOn`).
   */
  async saveInstalments(
    tx: Sql,
    changes: readonly { loaded: LoadedLoan; after: LoanState; day: string }[],
  ): Promise<void> {
    const removed: [string, number][] = [];
    const written: unknown[][] = [];
    for (const { loaded, after, day } of changes) {
      const before = new Map(loaded.state.instalments.map((inst) => [inst.n, inst]));
      after.instalments.forEach((inst, index) => {
        const old = before.get(inst.n);
        before.delete(inst.n);
        if (old && sameInstalment(old, inst)) return;
        if (old) removed.push([loaded.record.id, inst.n]);
        const settled = isSettled(inst);
        const settledOn = settled ? (loaded.settledOn.get(inst.n) ?? day) : null;
        loaded.settledOn.set(inst.n, settledOn);
        const periodStart =
          index === 0 ? after.terms.disbursementDate : (after.instalments[index - 1]?.dueDate as string);
        written.push([
          loaded.record.id,
          inst.n,
          periodStart,
          inst.dueDate,
          inst.principal,
          inst.interest,
          inst.fees,
          inst.penalties,
          inst.interestWaived,
          inst.paid.principal,
          inst.paid.interest,
          inst.paid.fees,
          inst.paid.penalties,
          settled,
          settledOn,
          inst.closedEarly?.dueDate ?? null,
          inst.closedEarly?.interest ?? null,
        ]);
      });
      for (const n of before.keys()) {
        removed.push([loaded.record.id, n]);
        loaded.settledOn.delete(n);
      }
      loaded.state = after;
    }
    for (let i = 0; i < removed.length; i += ROWS_PER_STATEMENT) {
      const slice = removed.slice(i, i + ROWS_PER_STATEMENT);
      await tx.$executeRawUnsafe(
        `DELETE FROM loan_instalments WHERE ${slice.map(() => '(loan_id = ? AND n = ?)').join(' OR ')}`,
        ...slice.flat(),
      );
    }
    await this.insertRows(tx, written);
  }

  private async insertRows(tx: Sql, rows: unknown[][]): Promise<void> {
    const placeholders = `(${new Array(17).fill('?').join(', ')})`;
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
      const slice = rows.slice(i, i + ROWS_PER_STATEMENT);
      await tx.$executeRawUnsafe(
        `INSERT INTO loan_instalments (${INSTALMENT_COLUMNS}) VALUES ${slice.map(() => placeholders).join(', ')}`,
        ...slice.flat(),
      );
    }
  }

  /** Appends a status to the loan's history (the next sequence number). */
  async recordStatus(
    tx: Sql,
    loanId: string,
    status: LoanStatus,
    bankDate: string,
    at: Date,
    reason: string | null = null,
  ): Promise<void> {
    const [row] = await tx.$queryRawUnsafe<{ last: unknown }[]>(
      'SELECT MAX(seq) AS last FROM loan_status_history WHERE loan_id = ?',
      loanId,
    );
    const seq = row?.last === null || row?.last === undefined ? 1 : Number(row.last) + 1;
    await tx.$executeRawUnsafe(
      'INSERT INTO loan_status_history (loan_id, seq, status, bank_date, reason, changed_at) VALUES (?, ?, ?, ?, ?, ?)',
      loanId,
      seq,
      status,
      bankDate,
      reason,
      at,
    );
  }
}
