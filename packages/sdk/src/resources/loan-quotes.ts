import type { Wekeza } from '../client.ts';
import type { RequestOptions } from '../core/request-options.ts';
import type { Money } from '../money/money.ts';
import type { CreditLifeQuote } from './insurance.ts';

/** One instalment of a quote or an offer. */
export interface ScheduledInstalment {
  n: number;
  dueDate: string;
  principal: Money;
  interest: Money;
  fees: Money;
  total: Money;
}

/** A loan's cost and schedule if disbursed on `disbursementDate` (today's bank date). */
export interface LoanQuote {
  productId: string;
  amount: Money;
  termMonths: number;
  disbursementDate: string;
  /** Processing fee, deducted at disbursement. */
  fee: Money;
  netDisbursed: Money;
  totalInterest: Money;
  totalRepayable: Money;
  /** totalRepayable − netDisbursed. */
  totalCostOfCredit: Money;
  /** 12 × the monthly IRR, a decimal string with 4 places. */
  apr: string;
  schedule: ScheduledInstalment[];
  /** The credit-life cover the loan product offers (Insure), priced on this schedule. */
  creditLife?: CreditLifeQuote | undefined;
}

/** `POST /v1/loan-quotes`. */
export interface LoanQuoteCreateParams {
  productId: string;
  amount: Money;
  termMonths: number;
}

/** `/v1/loan-quotes`. */
export class LoanQuotes {
  constructor(private readonly client: Wekeza) {}

  /** The schedule, fee, net disbursed, total cost and APR for any terms; no side effect. */
  create(params: LoanQuoteCreateParams, options?: RequestOptions): Promise<LoanQuote> {
    return this.client._request(
      { method: 'POST', path: '/v1/loan-quotes', body: params },
      (c) => c.LoanQuote,
      options,
    );
  }
}
