import type { Wekeza } from '../client.ts';
import type { ListParams, PagePromise } from '../core/pagination.ts';
import type { RequestOptions } from '../core/request-options.ts';
import { path } from '../internal/path.ts';
import type { Money } from '../money/money.ts';
import type { Approval } from './approvals.ts';
import type { CreditReason } from './credit-limit.ts';
import type { ScheduledInstalment } from './loan-quotes.ts';
import type { Loan } from './loans.ts';

export type LoanApplicationStatus = 'approved' | 'declined' | 'referred' | 'pending_approval' | 'accepted';

/** The loan on offer, with its full repayment schedule. */
export interface LoanOffer {
  amount: Money;
  termMonths: number;
  disbursementDate: string;
  fee: Money;
  netDisbursed: Money;
  totalInterest: Money;
  totalRepayable: Money;
  totalCostOfCredit: Money;
  apr: string;
  schedule: ScheduledInstalment[];
  /** The last bank day it can be accepted. */
  expiresOn: string;
}

/** An application: the bank's automated decision (kept), any banker override, and the offer. */
export interface LoanApplication {
  id: string;
  status: LoanApplicationStatus;
  decision: 'approved' | 'declined' | 'referred';
  customerId: string;
  productId: string;
  amount: Money;
  termMonths: number;
  purpose: string | null;
  decisionId: string;
  score: number;
  pd: string;
  grade: string;
  limit: Money;
  modelVersion: string;
  policyVersion: string;
  reasons: CreditReason[];
  offer: LoanOffer | null;
  override: {
    decision: 'approve' | 'decline';
    reason: string;
    by: string;
    approvedBy: string | null;
    at: string;
  } | null;
  loanId: string | null;
  createdAt: string;
  updatedAt: string;
}

/** `POST /v1/loan-applications`. */
export interface LoanApplicationCreateParams {
  productId: string;
  amount: Money;
  termMonths: number;
  purpose?: string;
}

/** `POST /v1/loan-applications/{id}/override` (bankers). */
export interface LoanApplicationOverrideParams {
  decision: 'approve' | 'decline';
  /** Required; kept in the audit log. */
  reason: string;
  amount?: Money;
  termMonths?: number;
}

/** `/v1/loan-applications`. */
export class LoanApplications {
  constructor(private readonly client: Wekeza) {}

  /** Applies; decided at once (approved with an offer, declined, or referred to a banker). */
  create(params: LoanApplicationCreateParams, options?: RequestOptions): Promise<LoanApplication> {
    return this.client._request(
      { method: 'POST', path: '/v1/loan-applications', body: params },
      (c) => c.LoanApplication,
      options,
    );
  }

  /** Your applications (staff: all), newest first. */
  list(
    params?: ListParams & { status?: LoanApplicationStatus },
    options?: RequestOptions,
  ): PagePromise<LoanApplication> {
    return this.client._list<LoanApplication>(
      '/v1/loan-applications',
      (c) => c.LoanApplicationList,
      params,
      options,
      { status: params?.status },
    );
  }

  retrieve(id: string, options?: RequestOptions): Promise<LoanApplication> {
    return this.client._request(
      { method: 'GET', path: path`/v1/loan-applications/${id}` },
      (c) => c.LoanApplication,
      options,
    );
  }

  /** Accepts an approved offer: the loan is disbursed to your wallet (answers it `active`), with credit-life cover if asked. */
  accept(id: string, params?: { creditLife?: boolean }, options?: RequestOptions): Promise<Loan> {
    return this.client._request(
      {
        method: 'POST',
        path: path`/v1/loan-applications/${id}/accept`,
        ...(params ? { body: params } : {}),
      },
      (c) => c.Loan,
      options,
    );
  }

  /**
   * Bankers: approves or declines with a reason. Answers the application, or (above the bank's
   * threshold) the approval a second banker must decide: tell them apart with `'kind' in result`.
   */
  override(
    id: string,
    params: LoanApplicationOverrideParams,
    options?: RequestOptions,
  ): Promise<LoanApplication | Approval> {
    return this.client._request(
      { method: 'POST', path: path`/v1/loan-applications/${id}/override`, body: params },
      (c) => c.LoanApplicationOverride,
      options,
    );
  }
}
