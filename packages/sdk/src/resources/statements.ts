import type { Wekeza } from '../client.ts';
import type { StatementFormat } from '../contract/statements.ts';
import type { Download } from '../core/download.ts';
import type { RequestOptions } from '../core/request-options.ts';
import { path } from '../internal/path.ts';
import type { Money } from '../money/money.ts';

/** The period: bank dates `YYYY-MM-DD`, both included (default: this month so far). */
export interface StatementParams {
  from?: string;
  /** At most today's bank date. */
  to?: string;
}

export interface StatementLine {
  /** The posting's effective (booking) date. */
  date: string;
  description: string;
  /** Signed from the holder's view: negative when money left. */
  amount: Money;
  /** Running balance after this line. */
  balance: Money;
  /** The ledger journal entry. */
  entryId: string;
}

/** A statement: openingBalance + Σ line amounts = closingBalance = the ledger's balance at `to`. */
export interface Statement {
  accountId: string;
  currency: string;
  from: string;
  to: string;
  openingBalance: Money;
  closingBalance: Money;
  lines: StatementLine[];
}

/** `/v1/accounts/{id}/statement`. */
export class Statements {
  constructor(private readonly client: Wekeza) {}

  /** The statement as typed JSON, every amount a `Money` (bankers' and admins' reads are audited). */
  retrieve(accountId: string, params?: StatementParams, options?: RequestOptions): Promise<Statement> {
    return this.client._request(
      {
        method: 'GET',
        path: path`/v1/accounts/${accountId}/statement`,
        query: { from: params?.from, to: params?.to, format: 'json' },
      },
      (c) => c.Statement,
      options,
    );
  }

  /**
   * The statement as a file, unread: `csv` (RFC 4180), `pdf`, `camt053` (ISO 20022 XML) or `json`.
   * Read it once with `stream()`, `bytes()`, `blob()` or `text()`; `fileName` is the server's.
   */
  download(
    accountId: string,
    params: StatementParams & { format: StatementFormat },
    options?: RequestOptions,
  ): Promise<Download> {
    return this.client._download(
      {
        method: 'GET',
        path: path`/v1/accounts/${accountId}/statement`,
        query: { from: params.from, to: params.to, format: params.format },
      },
      options,
    );
  }
}
