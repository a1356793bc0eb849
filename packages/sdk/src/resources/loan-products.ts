import type { Wekeza } from '../client.ts';
import type { ListParams, PagePromise } from '../core/pagination.ts';
import type { RequestOptions } from '../core/request-options.ts';
import type { CurrencyCode } from '../money/currency.ts';
import type { Money } from '../money/money.ts';

/** A loan product: pricing, amount and term ranges, penalties and the write-off threshold. */
export interface LoanProduct {
  id: string;
  name: string;
  currency: string;
  interestMethod: 'declining_balance' | 'flat';
  amortization: 'equal_instalments' | 'equal_principal' | null;
  /** Decimal strings: `"0.18"` = 18 % a year. */
  annualRate: string;
  processingFeeRate: string;
  penaltyRate: string;
  minAmount: Money;
  maxAmount: Money;
  minTermMonths: number;
  maxTermMonths: number;
  graceDays: number;
  writeOffDays: number;
  status: 'active' | 'retired';
  createdAt: string;
}

/** `POST /v1/loan-products` (admins). Rates are decimal strings, never numbers. */
export interface LoanProductCreateParams {
  name: string;
  currency: CurrencyCode;
  interestMethod: 'declining_balance' | 'flat';
  /** Declining balance only (default equal instalments). */
  amortization?: 'equal_instalments' | 'equal_principal';
  annualRate: string;
  minAmount: Money;
  maxAmount: Money;
  minTermMonths: number;
  maxTermMonths: number;
  /** Share of the principal deducted at disbursement. */
  processingFeeRate: string;
  /** Annual rate on overdue principal and interest. */
  penaltyRate: string;
  graceDays: number;
  writeOffDays: number;
}

/** `/v1/loan-products`. */
export class LoanProducts {
  constructor(private readonly client: Wekeza) {}

  /** The products on offer, oldest first. */
  list(params?: ListParams, options?: RequestOptions): PagePromise<LoanProduct> {
    return this.client._list<LoanProduct>('/v1/loan-products', (c) => c.LoanProductList, params, options);
  }

  /** Admins: adds a product (audited). */
  create(params: LoanProductCreateParams, options?: RequestOptions): Promise<LoanProduct> {
    return this.client._request(
      { method: 'POST', path: '/v1/loan-products', body: params },
      (c) => c.LoanProduct,
      options,
    );
  }
}
