import type { Wekeza } from '../client.ts';
import type { AccountType } from '../contract/accounts.ts';
import type { ListParams, PagePromise } from '../core/pagination.ts';
import type { RequestOptions } from '../core/request-options.ts';
import { path } from '../internal/path.ts';
import type { CurrencyCode } from '../money/currency.ts';
import type { Money } from '../money/money.ts';

/** An account with its ledger and available (ledger minus holds) balance. */
export interface Account {
  id: string;
  type: AccountType;
  currency: string;
  status: 'open' | 'closed';
  balance: { ledger: Money; available: Money };
  createdAt: string;
}

/** `POST /v1/accounts`: a wallet (one per currency) or a savings account. */
export interface AccountCreateParams {
  type: 'wallet' | 'savings';
  currency: CurrencyCode;
}

/** `/v1/accounts`. */
export class Accounts {
  constructor(private readonly client: Wekeza) {}

  /** Opens an empty wallet or savings account for the calling customer. */
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

  /** One account with its balances. */
  retrieve(id: string, options?: RequestOptions): Promise<Account> {
    return this.client._request({ method: 'GET', path: path`/v1/accounts/${id}` }, (c) => c.Account, options);
  }
}
