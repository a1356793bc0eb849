/**
 * An account statement as the renderers take it: a header known before the first line (a few reads:
 * the account, its owner, two balances and, for the PDF, a line count), then the lines as an async
 * iterable, read once, in order, so a statement of any length streams through constant memory.
 *
 * Every renderer reads its lines through `checkedLines`, which holds the statement to its promise:
 * opening balance + Σ line amounts = closing balance, each line's running balance included. A line
 * that breaks it (a posting that arrived between the queries, a wrong opening balance) throws
 * `StatementMismatchError` and the output is abandoned rather than finished wrong.
 */
import { assertCurrencyCode } from '@wekeza/sdk';
import { assertBankDate } from '../../bank-calendar.ts';

export type StatementAccountType = 'wallet' | 'savings' | 'fixed_deposit';

/** Everything a statement shows above its lines. */
export interface StatementHeader {
  /** The bank's display name (PDF heading, camt.053 account servicer). */
  bankName: string;
  /** The bank's BIC, when it has one (camt.053 `Svcr/FinInstnId/BICFI`). */
  bankBic?: string;
  /** The bank's national identifier, e.g. its Central Bank of Kenya bank code (camt.053 `Svcr/FinInstnId/Othr/Id`). */
  bankCode?: string;
  /** The account holder's name. */
  customerName: string;
  accountId: string;
  accountType: StatementAccountType;
  /** ISO 4217 code: every amount of the statement is in it. */
  currency: string;
  /** First bank day of the period, `YYYY-MM-DD`. */
  from: string;
  /** Last bank day of the period, `YYYY-MM-DD` (inclusive). */
  to: string;
  /** Minor units at the end of the day before `from`: Σ the account's postings dated before `from`. */
  openingBalance: bigint;
  /** Minor units at the end of `to`: Σ its postings dated on or before `to`. */
  closingBalance: bigint;
  /** When the statement was produced (a wall-clock instant, shown in UTC). */
  generatedAt: Date;
  /**
   * How many lines the iterable will yield, when the caller knows it (a COUNT over the same rows):
   * the PDF then knows its page count up front and prints "Page x of y" (without it, "Page x"). Every
   * renderer checks the count it is given.
   */
  lineCount?: number;
  /** A unique id for this statement (camt.053 `MsgId` and `Stmt/Id`, at most 35 characters); random when absent. */
  statementId?: string;
}

/** One posting on the account, in booking order. */
export interface StatementLine {
  /** The posting's effective (booking) date, `YYYY-MM-DD`, within the period. */
  date: string;
  description: string;
  /** Signed minor units from the account holder's view: positive = money in, negative = money out. */
  amount: bigint;
  /** Running balance after this line, minor units. */
  balance: bigint;
  /** The ledger journal entry this posting belongs to. */
  entryId: string;
  /** The journal entry's kind (`transfer`, `deposit`, `interest_posting`, …): camt.053's bank transaction code. */
  kind?: string;
}

/** A statement whose lines do not add up, or that does not match its own header. */
export class StatementMismatchError extends Error {
  override name = 'StatementMismatchError';
}

/** Throws RangeError when the header is unusable (bad dates, unknown currency, negative count). */
export function checkStatementHeader(header: StatementHeader): void {
  assertBankDate(header.from);
  assertBankDate(header.to);
  if (header.to < header.from)
    throw new RangeError(`Statement period ends (${header.to}) before it starts (${header.from})`);
  assertCurrencyCode(header.currency);
  if (typeof header.openingBalance !== 'bigint' || typeof header.closingBalance !== 'bigint') {
    throw new RangeError('Opening and closing balances are bigint minor units');
  }
  if (!(header.generatedAt instanceof Date) || Number.isNaN(header.generatedAt.getTime())) {
    throw new RangeError('generatedAt must be a valid Date');
  }
  if (header.lineCount !== undefined && (!Number.isSafeInteger(header.lineCount) || header.lineCount < 0)) {
    throw new RangeError(`lineCount must be a non-negative integer, got ${header.lineCount}`);
  }
}

/**
 * The lines, checked as they pass: each dated within the period and not before the previous one, each
 * balance = the previous balance (the opening balance first) + its amount; after the last, the balance
 * is the closing balance and the count is `lineCount` when given. Throws StatementMismatchError.
 */
export async function* checkedLines(
  header: StatementHeader,
  lines: AsyncIterable<StatementLine> | Iterable<StatementLine>,
): AsyncGenerator<StatementLine> {
  checkStatementHeader(header);
  let balance = header.openingBalance;
  let previousDate = header.from;
  let count = 0;
  for await (const line of lines) {
    count += 1;
    if (typeof line.amount !== 'bigint' || typeof line.balance !== 'bigint') {
      throw new StatementMismatchError(`Line ${count}: amount and balance must be bigint minor units`);
    }
    assertBankDate(line.date);
    if (line.date < previousDate || line.date > header.to) {
      throw new StatementMismatchError(
        `Line ${count} (${line.entryId}) is dated ${line.date}: out of order or outside ${header.from}..${header.to}`,
      );
    }
    balance += line.amount;
    if (line.balance !== balance) {
      throw new StatementMismatchError(
        `Line ${count} (${line.entryId}): running balance ${line.balance} but the lines add up to ${balance}`,
      );
    }
    if (header.lineCount !== undefined && count > header.lineCount) {
      throw new StatementMismatchError(`More lines than the ${header.lineCount} announced`);
    }
    previousDate = line.date;
    yield line;
  }
  if (balance !== header.closingBalance) {
    throw new StatementMismatchError(
      `Opening balance + lines = ${balance}, but the closing balance is ${header.closingBalance}`,
    );
  }
  if (header.lineCount !== undefined && count !== header.lineCount) {
    throw new StatementMismatchError(`${count} lines, but ${header.lineCount} were announced`);
  }
}
