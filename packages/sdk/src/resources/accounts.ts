import type { Wekeza } from '../client.ts';
import type { AccountType, AtMaturity } from '../contract/accounts.ts';
import type { ListParams, PagePromise } from '../core/pagination.ts';
import type { RequestOptions } from '../core/request-options.ts';
import { path } from '../internal/path.ts';
import type { CurrencyCode } from '../money/currency.ts';
import type { Money } from '../money/money.ts';

/**
 * An account with its ledger and available (ledger minus holds) balance. Savings accounts and fixed
 * deposits also carry their product, rate and the interest accrued so far; fixed deposits their term.
 */
export interface Account {
  id: string;
  type: AccountType;
  currency: string;
  status: 'open' | 'closed';
  balance: { ledger: Money; available: Money };
  createdAt: string;
  productId?: string | undefined;
  /** Annual rate as a decimal string ("0.08" = 8 %): the product's today (savings), fixed for the term (fixed deposit). */
  interestRate?: string | undefined;
  /** Savings: the opening day; fixed deposit: the current term's first day. */
  openedOn?: string | undefined;
  /** Interest accrued and not yet paid (savings: rounded for display, posted at month end). */
  accruedInterest?: Money | undefined;
  accruedThrough?: string | undefined;
  /** Fixed deposit: the amount of the current term. */
  principal?: Money | undefined;
  termMonths?: number | undefined;
  maturityDate?: string | undefined;
  atMaturity?: AtMaturity | undefined;
  /** Fixed deposit: principal + interest − tax at maturity. */
  maturityAmount?: Money | undefined;
  closedOn?: string | undefined;
}

/**
 * `POST /v1/accounts`: a wallet (one per currency, empty), a savings account (on `productId` or the
 * default savings product; funded from your wallet when `amount` is given), or a fixed deposit
 * (`productId`, `termMonths`, `amount` from your wallet; `atMaturity` default `pay_out`).
 */
export interface AccountCreateParams {
  type: AccountType;
  currency: CurrencyCode;
  productId?: string;
  termMonths?: number;
  /** The wallet the opening amount comes from (default: your wallet in the currency). */
  fundingAccountId?: string;
  amount?: Money;
  atMaturity?: AtMaturity;
}

/** What closing an account today would pay (`closeQuote`), or paid (`close`, with its journal entries). */
export interface CloseQuote {
  accountId: string;
  closeDate: string;
  /** The balance before interest. */
  principal: Money;
  /** Interest accrued through the day before the close. */
  interestAccrued: Money;
  /** A fixed deposit closed before maturity: the product's share, back to the bank. */
  interestForfeited: Money;
  interestKept: Money;
  /** Withholding tax on the interest kept. */
  tax: Money;
  /** principal + interest kept − tax: paid to the wallet. */
  total: Money;
  paidToAccountId: string;
}

export interface AccountClosure extends CloseQuote {
  /** The entries the close posted, in order. */
  journalEntryIds: string[];
}

/** `POST /v1/accounts/{id}/withdrawals-to-wallet`. */
export interface WithdrawToWalletParams {
  /** Positive, in the account's currency. */
  amount: Money;
}

/** Money moved from a savings account to your wallet; `id` is its journal entry. */
export interface WithdrawalToWallet {
  id: string;
  status: 'completed';
  fromAccountId: string;
  toAccountId: string;
  amount: Money;
  journalEntryId: string;
  effectiveDate: string;
  createdAt: string;
}

/** `/v1/accounts`. */
export class Accounts {
  constructor(private readonly client: Wekeza) {}

  /** Opens a wallet, a savings account or a fixed deposit for the calling customer. */
  create(params: AccountCreateParams, options?: RequestOptions): Promise<Account> {
    return this.client._request(
      { method: 'POST', path: '/v1/accounts', body: params },
      (c) => c.Account,
      options,
    );
  }

  /** The caller's accounts, oldest first; await for a page or `for await` over all of them. */
  list(params?: ListParams, options?: RequestOptions): PagePromise<Account> {
    return this.client._list<Account>('/v1/accounts', (c) => c.AccountList, params, options);
  }

  /** One account with its balances (and its interest, for savings and fixed deposits). */
  retrieve(id: string, options?: RequestOptions): Promise<Account> {
    return this.client._request({ method: 'GET', path: path`/v1/accounts/${id}` }, (c) => c.Account, options);
  }

  /** What closing a savings account or fixed deposit today would pay; the close runs the same code. */
  closeQuote(id: string, options?: RequestOptions): Promise<CloseQuote> {
    return this.client._request(
      { method: 'GET', path: path`/v1/accounts/${id}/close-quote` },
      (c) => c.CloseQuote,
      options,
    );
  }

  /** Closes a savings account or fixed deposit, paying everything to your wallet. */
  close(id: string, options?: RequestOptions): Promise<AccountClosure> {
    return this.client._request(
      { method: 'POST', path: path`/v1/accounts/${id}/close` },
      (c) => c.AccountClosure,
      options,
    );
  }

  /** Moves money from a savings account to your wallet. */
  withdrawToWallet(
    id: string,
    params: WithdrawToWalletParams,
    options?: RequestOptions,
  ): Promise<WithdrawalToWallet> {
    return this.client._request(
      { method: 'POST', path: path`/v1/accounts/${id}/withdrawals-to-wallet`, body: params },
      (c) => c.WithdrawalToWallet,
      options,
    );
  }
}
