import type { Wekeza } from '../client.ts';
import type { ListParams, PagePromise } from '../core/pagination.ts';
import type { RequestOptions } from '../core/request-options.ts';
import { path } from '../internal/path.ts';
import type { Money } from '../money/money.ts';

/** One line of an account's history: one posting of a ledger journal entry. */
export interface Transaction {
  id: string;
  accountId: string;
  journalEntryId: string;
  /** What moved the money: `transfer`, `deposit`, … */
  kind: string;
  description: string;
  /** `credit` adds to a customer account, `debit` takes from it. */
  direction: 'credit' | 'debit';
  /** Signed from the holder's view: negative when money left the account. */
  amount: Money;
  /** Running ledger balance after this line. */
  balanceAfter: Money;
  /** Bank-local date, `YYYY-MM-DD`. */
  effectiveDate: string;
  createdAt: string;
}

/** `/v1/accounts/{id}/transactions`. */
export class Transactions {
  constructor(private readonly client: Wekeza) {}

  /** An account's history, newest first, with running balances. */
  list(accountId: string, params?: ListParams, options?: RequestOptions): PagePromise<Transaction> {
    return this.client._list<Transaction>(
      path`/v1/accounts/${accountId}/transactions`,
      (c) => c.TransactionList,
      params,
      options,
    );
  }
}
