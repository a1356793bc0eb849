/**
 * Journal entries on the loan control accounts, and each loan's share of them in the loans'
 * sub-ledger (`loan_postings`). A caller says what happened to each loan's components (principal,
 * interest, fees, penalties receivable, and the interest and penalties held in suspense) and what
 * else the entry moves (a wallet, an income account); this nets everything per account into one
 * balanced journal entry and writes the sub-ledger lines beside it, in the same transaction.
 *
 * Per currency, Σ over all loans of a component's lines = its control account's balance:
 * principal → loan principal receivable, interest → loan interest receivable, fees and penalties
 * → loan fees and penalties receivable, both suspense components → interest in suspense.
 */
import type { Sql } from '../../db/database.ts';
import { newId } from '../../ids.ts';
import type { BankAccountCode } from '../ledger/chart.ts';
import type { Ledger, LockedAccount, PostedEntry, PostingInput } from '../ledger/ledger.ts';

export type Component =
  | 'principal'
  | 'interest'
  | 'fees'
  | 'penalties'
  | 'interest_suspense'
  | 'penalties_suspense';

export const COMPONENTS: readonly Component[] = [
  'principal',
  'interest',
  'fees',
  'penalties',
  'interest_suspense',
  'penalties_suspense',
];

/** One loan's share of an entry: a positive amount raises the component (a receivable, or suspense). */
export interface LoanLine {
  loanId: string;
  component: Component;
  amountMinor: bigint;
  /** The sub-ledger kind of this line, when it differs from the entry's `lineKind`. */
  kind?: string;
}

export interface LoanEntry {
  /** Journal entry kind: `loan_disbursement`, `loan_accrual`, `loan_repayment`, `loan_write_off`, … */
  kind: string;
  /** The sub-ledger kind of every line: `disbursement`, `accrual`, `penalty`, `repayment`, `write_off`. */
  lineKind: string;
  description: string;
  currency: string;
  effectiveDate: string;
  lines: readonly LoanLine[];
  /** The entry's other postings (wallet, income, expense, rail settlement). */
  others: readonly PostingInput[];
}

const CONTROL: Record<Component, BankAccountCode> = {
  principal: 'loan_principal_receivable',
  interest: 'loan_interest_receivable',
  fees: 'loan_fees_receivable',
  penalties: 'loan_fees_receivable',
  interest_suspense: 'interest_in_suspense',
  penalties_suspense: 'interest_in_suspense',
};

/** Receivables are assets (a raise is a debit); suspense is credit-normal (a raise is a credit). */
const RAISED_BY_DEBIT: Record<Component, boolean> = {
  principal: true,
  interest: true,
  fees: true,
  penalties: true,
  interest_suspense: false,
  penalties_suspense: false,
};

/** Rows per multi-row insert of sub-ledger lines. */
const LINES_PER_STATEMENT = 500;

export class LoanJournal {
  constructor(private readonly ledger: Ledger) {}

  /** The control account a component is booked on. */
  controlAccount(component: Component, currency: string): string {
    return this.ledger.bankAccount(CONTROL[component], currency);
  }

  /** Every control account of a currency (to lock them first, in the ledger's order). */
  controlAccounts(currency: string): string[] {
    return [...new Set(COMPONENTS.map((c) => this.controlAccount(c, currency)))];
  }

  /**
   * Posts the entry and its sub-ledger lines. Amounts are netted per account, so an entry that
   * moves nothing posts nothing (and answers null). Throws if the entry does not balance.
   */
  async post(tx: Sql, entry: LoanEntry, locked?: Map<string, LockedAccount>): Promise<PostedEntry | null> {
    const net = new Map<string, bigint>(); // debit-positive
    const add = (accountId: string, debitPositive: bigint) =>
      net.set(accountId, (net.get(accountId) ?? 0n) + debitPositive);
    const lines = entry.lines.filter((line) => line.amountMinor !== 0n);
    for (const line of lines) {
      const sign = RAISED_BY_DEBIT[line.component] ? 1n : -1n;
      add(this.controlAccount(line.component, entry.currency), sign * line.amountMinor);
    }
    for (const posting of entry.others) {
      if (posting.amountMinor === 0n) continue;
      add(posting.accountId, posting.side === 'debit' ? posting.amountMinor : -posting.amountMinor);
    }
    const postings: PostingInput[] = [];
    for (const [accountId, amount] of net) {
      if (amount > 0n) postings.push({ accountId, side: 'debit', amountMinor: amount });
      else if (amount < 0n) postings.push({ accountId, side: 'credit', amountMinor: -amount });
    }
    if (postings.length === 0) {
      if (lines.length > 0) throw new Error(`${entry.kind}: sub-ledger lines without a net movement`);
      return null;
    }
    const posted = await this.ledger.post(
      tx,
      {
        kind: entry.kind,
        description: entry.description,
        effectiveDate: entry.effectiveDate,
        postings,
      },
      locked,
    );
    for (let i = 0; i < lines.length; i += LINES_PER_STATEMENT) {
      const slice = lines.slice(i, i + LINES_PER_STATEMENT);
      await tx.$executeRawUnsafe(
        `INSERT INTO loan_postings (id, loan_id, entry_id, effective_date, kind, component, amount_minor) VALUES ${slice
          .map(() => '(?, ?, ?, ?, ?, ?, ?)')
          .join(', ')}`,
        ...slice.flatMap((line) => [
          newId('lpst'),
          line.loanId,
          posted.id,
          entry.effectiveDate,
          line.kind ?? entry.lineKind,
          line.component,
          line.amountMinor,
        ]),
      );
    }
    return posted;
  }

  /** A loan's balance per component, from its sub-ledger lines. */
  async balances(tx: Sql, loanId: string): Promise<Record<Component, bigint>> {
    const rows = await tx.$queryRawUnsafe<{ component: string; total: unknown }[]>(
      'SELECT component, SUM(amount_minor) AS total FROM loan_postings WHERE loan_id = ? GROUP BY component',
      loanId,
    );
    const out = Object.fromEntries(COMPONENTS.map((c) => [c, 0n])) as Record<Component, bigint>;
    for (const row of rows) out[row.component as Component] = BigInt(String(row.total ?? 0));
    return out;
  }
}
