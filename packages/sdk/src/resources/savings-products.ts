import type { Wekeza } from '../client.ts';
import type { SavingsProductType } from '../contract/savings.ts';
import type { ListParams, PagePromise } from '../core/pagination.ts';
import type { RequestOptions } from '../core/request-options.ts';
import { path } from '../internal/path.ts';
import type { CurrencyCode } from '../money/currency.ts';
import type { Money } from '../money/money.ts';

/** A savings or fixed-deposit product. Rates and shares are decimal strings ("0.08" = 8 %), never numbers. */
export interface SavingsProduct {
  id: string;
  name: string;
  type: SavingsProductType;
  currency: string;
  /** The rate today. */
  annualRate: string;
  minOpeningBalance: Money;
  /** Fixed deposits: the terms offered, in months. */
  termMonths?: number[] | undefined;
  /** Fixed deposits: the share of accrued interest an early close forfeits. */
  earlyCloseForfeitShare?: string | undefined;
  status: 'active' | 'retired';
  createdAt: string;
  updatedAt: string;
}

/** `POST /v1/savings-products` (admins). */
export interface SavingsProductCreateParams {
  name: string;
  type: SavingsProductType;
  currency: CurrencyCode;
  annualRate: string;
  minOpeningBalance: Money;
  /** Required for fixed deposits. */
  termMonths?: number[];
  /** Fixed deposits (default "0": no forfeit). */
  earlyCloseForfeitShare?: string;
}

/** `PUT /v1/savings-products/{id}` (admins): the rate from today's bank date on, and the status. */
export interface SavingsProductUpdateParams {
  annualRate: string;
  status: 'active' | 'retired';
  /** Why; kept in the audit log. */
  reason: string;
}

/** `/v1/savings-products`. */
export class SavingsProducts {
  constructor(private readonly client: Wekeza) {}

  /** Every product, oldest first. */
  list(params?: ListParams, options?: RequestOptions): PagePromise<SavingsProduct> {
    return this.client._list<SavingsProduct>(
      '/v1/savings-products',
      (c) => c.SavingsProductList,
      params,
      options,
    );
  }

  /** Admins: creates a product (audited). */
  create(params: SavingsProductCreateParams, options?: RequestOptions): Promise<SavingsProduct> {
    return this.client._request(
      { method: 'POST', path: '/v1/savings-products', body: params },
      (c) => c.SavingsProduct,
      options,
    );
  }

  /** Admins: changes the rate (from today on) and the status (audited). */
  update(id: string, params: SavingsProductUpdateParams, options?: RequestOptions): Promise<SavingsProduct> {
    return this.client._request(
      { method: 'PUT', path: path`/v1/savings-products/${id}`, body: params },
      (c) => c.SavingsProduct,
      options,
    );
  }
}
