/**
 * Statements from the ledger (API.md "Accounts"): for any customer account, its owner's or (audited)
 * a banker's or an administrator's, in any of the four formats, streamed — lines are read a page at a
 * time, in effective-date order, and handed to the renderer as it asks for them.
 *
 * One consistent read without a long transaction: the account's posting count N is read first, and
 * everything after — the opening and closing balances, the line count (for the PDF's "Page x of y"),
 * the pages of lines — is computed over the account's postings 1..N only. Postings are immutable and
 * numbered under the account's lock, so that set is fixed the moment N is read, and the renderers'
 * check (opening + lines = closing, count as announced) holds however many postings arrive meanwhile.
 */

import { isBankDate } from '../../bank-calendar.ts';
import type { BankClock } from '../../bank-clock.ts';
import type { Clock } from '../../clock.ts';
import type { Database, Sql } from '../../db/database.ts';
import { sqlTransaction } from '../../db/transaction.ts';
import { validationFailed } from '../../errors.ts';
import type { AccountRow, AccountsService } from '../accounts/service.ts';
import type { AuditLog } from '../audit/log.ts';
import type { Principal } from '../identity/service.ts';
import type { StatementFormat } from './render.ts';
import type { StatementAccountType, StatementHeader, StatementLine } from './statement.ts';

export interface StatementRequest {
  from?: string | undefined;
  to?: string | undefined;
  format: StatementFormat;
}

/**
 * Lines read per query. Each page's query joins the account's postings to their entries and sorts by
 * effective date (postings carry no date of their own to index), so a page costs a scan of the
 * account: on MariaDB few large pages are far cheaper (100,000 lines: 4.6 s at 10,000 a page, 21 s at
 * 2,000); on SQLite the scan is cheap and a large raw result is not (+70 MB at 10,000), so pages are
 * smaller there. docs/benchmarks.md has the figures.
 */
export const STATEMENT_PAGE = { mysql: 10_000, sqlite: 2_000 } as const;

const big = (value: unknown) => (value === null || value === undefined ? 0n : BigInt(String(value)));

export class StatementService {
  constructor(
    private readonly db: Database,
    private readonly accounts: AccountsService,
    private readonly audit: AuditLog,
    private readonly bankClock: BankClock,
    private readonly clock: Clock,
    private readonly bank: { name: string; bic?: string | undefined; code?: string | undefined },
    private readonly pageSize: number = STATEMENT_PAGE[db.dialect],
  ) {}

  /**
   * The statement of an account the principal may see, for `from`..`to` (default: this month so
   * far): its header, read now, and its lines, read as they are iterated. Staff reads are audited.
   */
  async open(
    principal: Principal,
    accountId: string,
    request: StatementRequest,
  ): Promise<{ header: StatementHeader; lines: AsyncIterable<StatementLine> }> {
    const account = await this.accounts.visible(principal, accountId);
    const today = this.bankClock.today();
    const to = request.to ?? today;
    const from = request.from ?? `${to.slice(0, 8)}01`;
    for (const [name, date] of [
      ['from', from],
      ['to', to],
    ] as const)
      if (!isBankDate(date))
        throw validationFailed([{ path: `query.${name}`, message: 'is not a calendar date' }]);
    if (to > today)
      throw validationFailed([{ path: 'query.to', message: `is after today's bank date (${today})` }]);
    if (from > to) throw validationFailed([{ path: 'query.from', message: 'is after `to`' }]);
    if (principal.role === 'banker' || principal.role === 'admin') {
      await sqlTransaction(this.db, (tx) =>
        this.audit.record(tx, principal, {
          action: 'statement.read',
          subject: { type: 'account', id: account.id },
          after: { customer_id: account.ownerId, from, to, format: request.format },
        }),
      );
    }
    const { header, throughSeq } = await this.header(account, from, to);
    return { header, lines: this.lines(account, header, throughSeq) };
  }

  /** Header figures over postings 1..N of the account (N: its posting count as read), in one aggregate. */
  async header(
    account: AccountRow,
    from: string,
    to: string,
  ): Promise<{ header: StatementHeader & { lineCount: number }; throughSeq: bigint }> {
    const sql: Sql = this.db.sql;
    const throughSeq = account.postingCount;
    const signed = 'CASE WHEN p.side = ? THEN p.amount_minor ELSE -p.amount_minor END';
    const [sums] = await sql.$queryRawUnsafe<{ opening: unknown; closing: unknown; line_count: unknown }[]>(
      `SELECT COALESCE(SUM(CASE WHEN e.effective_date < ? THEN ${signed} ELSE 0 END), 0) AS opening,
              COALESCE(SUM(CASE WHEN e.effective_date <= ? THEN ${signed} ELSE 0 END), 0) AS closing,
              COALESCE(SUM(CASE WHEN e.effective_date >= ? AND e.effective_date <= ? THEN 1 ELSE 0 END), 0) AS line_count
         FROM postings p JOIN journal_entries e ON e.id = p.entry_id
        WHERE p.account_id = ? AND p.account_seq <= ?`,
      from,
      account.normalSide,
      to,
      account.normalSide,
      from,
      to,
      account.id,
      throughSeq,
    );
    const [owner] = await sql.$queryRawUnsafe<{ full_name: string }[]>(
      'SELECT full_name FROM users WHERE id = ?',
      account.ownerId,
    );
    const header = {
      bankName: this.bank.name,
      ...(this.bank.bic ? { bankBic: this.bank.bic } : {}),
      ...(this.bank.code ? { bankCode: this.bank.code } : {}),
      customerName: String(owner?.full_name ?? ''),
      accountId: account.id,
      accountType: account.type as StatementAccountType,
      currency: account.currency,
      from,
      to,
      openingBalance: big(sums?.opening),
      closingBalance: big(sums?.closing),
      generatedAt: this.clock.now(),
      lineCount: Number(sums?.line_count ?? 0),
    };
    return { header, throughSeq };
  }

  /**
   * The lines of the period in (effective date, posting number) order, a page at a time by keyset,
   * each with the running balance from the opening balance. Never more than a page in memory.
   */
  async *lines(
    account: AccountRow,
    header: StatementHeader,
    throughSeq: bigint,
  ): AsyncGenerator<StatementLine> {
    let balance = header.openingBalance;
    let cursor = { date: header.from, seq: 0n };
    for (;;) {
      const rows = await this.db.sql.$queryRawUnsafe<Record<string, unknown>[]>(
        `SELECT p.account_seq, p.side, p.amount_minor, e.id AS entry_id, e.kind, e.description, e.effective_date
           FROM postings p JOIN journal_entries e ON e.id = p.entry_id
          WHERE p.account_id = ? AND p.account_seq <= ?
            AND e.effective_date >= ? AND e.effective_date <= ?
            AND (e.effective_date > ? OR (e.effective_date = ? AND p.account_seq > ?))
          ORDER BY e.effective_date, p.account_seq
          LIMIT ${this.pageSize}`,
        account.id,
        throughSeq,
        header.from,
        header.to,
        cursor.date,
        cursor.date,
        cursor.seq,
      );
      for (const row of rows) {
        const amount =
          String(row.side) === account.normalSide ? big(row.amount_minor) : -big(row.amount_minor);
        balance += amount;
        yield {
          date: String(row.effective_date),
          description: String(row.description),
          amount,
          balance,
          entryId: String(row.entry_id),
          kind: String(row.kind),
        };
      }
      if (rows.length < this.pageSize) return;
      const last = rows[rows.length - 1] as Record<string, unknown>;
      cursor = { date: String(last.effective_date), seq: big(last.account_seq) };
    }
  }
}
