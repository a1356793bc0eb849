import type { Wekeza } from '../client.ts';
import type { RequestOptions } from '../core/request-options.ts';
import type { Money } from '../money/money.ts';

/** `POST /v1/deposit-quotes`. */
export interface DepositQuoteCreateParams {
  productId: string;
  amount: Money;
  /** One of the product's terms. */
  termMonths: number;
}

/** What a fixed deposit opened today would pay: the figures an opening today fixes. */
export interface DepositQuote {
  productId: string;
  principal: Money;
  annualRate: string;
  openingDate: string;
  termMonths: number;
  maturityDate: string;
  /** Gross interest for the term. */
  interest: Money;
  /** Withholding tax on it. */
  tax: Money;
  /** principal + interest − tax. */
  maturityAmount: Money;
}

/** `/v1/deposit-quotes`. */
export class DepositQuotes {
  constructor(private readonly client: Wekeza) {}

  /** Quotes a fixed deposit (no side effect). */
  create(params: DepositQuoteCreateParams, options?: RequestOptions): Promise<DepositQuote> {
    return this.client._request(
      { method: 'POST', path: '/v1/deposit-quotes', body: params },
      (c) => c.DepositQuote,
      options,
    );
  }
}
