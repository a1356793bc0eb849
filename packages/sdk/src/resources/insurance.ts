import type { Wekeza } from '../client.ts';
import type { ClaimStatus, CoverType, PolicyStatus, PremiumFrequency } from '../contract/insurance.ts';
import type { ListParams, PagePromise } from '../core/pagination.ts';
import type { RequestOptions } from '../core/request-options.ts';
import { path } from '../internal/path.ts';
import type { CurrencyCode } from '../money/currency.ts';
import type { Money } from '../money/money.ts';

/** An insurance product the bank distributes for an underwriter. Rates are decimal strings, never numbers. */
export interface InsuranceProduct {
  id: string;
  name: string;
  coverType: CoverType;
  underwriter: string;
  currency: string;
  /** A fixed premium per period (or the single premium). */
  premium?: Money | undefined;
  /** Per month, of the sum insured (credit life: of the outstanding loan principal). */
  premiumRate?: string | undefined;
  frequency: PremiumFrequency;
  termMonths: number | null;
  graceDays: number;
  reinstatementDays: number;
  commissionRate: string;
  refundRule: 'pro_rata' | 'none';
  minSumInsured: Money | null;
  maxSumInsured: Money | null;
  minAge: number | null;
  maxAge: number | null;
  minKycTier: number;
  loanProducts: { loanProductId: string; mandatory: boolean }[];
  status: 'active' | 'retired';
  createdAt: string;
}

/** `POST /v1/insurance-products` (admins, audited). Give exactly one of `premium` and `premiumRate`. */
export interface InsuranceProductCreateParams {
  name: string;
  coverType: CoverType;
  underwriter: string;
  currency: CurrencyCode;
  premium?: Money;
  premiumRate?: string;
  frequency: PremiumFrequency;
  termMonths?: number;
  graceDays: number;
  reinstatementDays: number;
  commissionRate: string;
  refundRule: 'pro_rata' | 'none';
  minSumInsured?: Money;
  maxSumInsured?: Money;
  minAge?: number;
  maxAge?: number;
  minKycTier?: number;
  /** Credit life: the loan products that offer it at acceptance. */
  loanProducts?: { loanProductId: string; mandatory: boolean }[];
}

/** The credit-life cover a loan quote shows. */
export interface CreditLifeQuote {
  productId: string;
  name: string;
  underwriter: string;
  mandatory: boolean;
  premiumRate: string;
  frequency: PremiumFrequency;
  premium: Money;
  collected: 'at_disbursement' | 'monthly';
}

export interface Beneficiary {
  name: string;
  /** E.164: a claim is paid to the wallet of the customer with this phone. */
  phone: string;
  relationship: string;
  /** Decimal string; the shares sum to 1. */
  share: string;
}

/** `POST /v1/policy-quotes`. */
export interface PolicyQuoteParams {
  productId: string;
  sumInsured?: Money;
}

export interface PolicyQuote {
  productId: string;
  sumInsured: Money;
  premium: Money;
  frequency: PremiumFrequency;
  startDate: string;
  endDate: string | null;
  nextPremiumDue: string | null;
}

/** `POST /v1/policies`: the first premium is taken from `fundingAccountId` at once. */
export interface PolicyCreateParams extends PolicyQuoteParams {
  fundingAccountId: string;
  /** Life cover only. */
  beneficiaries?: Beneficiary[];
}

export interface Policy {
  id: string;
  customerId: string;
  productId: string;
  productName: string;
  coverType: CoverType;
  underwriter: string;
  status: PolicyStatus;
  /** Credit life: the loan principal outstanding today. */
  sumInsured: Money;
  premium: Money;
  frequency: PremiumFrequency;
  fundingAccountId: string;
  startDate: string;
  endDate: string | null;
  nextPremiumDue: string | null;
  nextPremium: Money | null;
  /** In grace: the last day the sweep retries. */
  graceUntil: string | null;
  /** Premiums due and unpaid: what reinstatement pays. */
  arrears: Money;
  reinstateUntil: string | null;
  lapsedOn: string | null;
  closedOn: string | null;
  loanId: string | null;
  beneficiaries: Beneficiary[];
  createdAt: string;
}

export interface PolicyCancellation extends Policy {
  /** Paid back to the funding account (the product's refund rule). */
  refund: Money;
}

export interface PolicyListParams extends ListParams {
  /** Staff: one customer's policies. */
  customerId?: string;
}

export interface ClaimAttachment {
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256?: string | undefined;
}

export interface ClaimPayout {
  to: 'wallet' | 'loan' | 'mpesa';
  name?: string | undefined;
  accountId?: string | undefined;
  loanId?: string | undefined;
  phone?: string | undefined;
  amount: Money;
  journalEntryId?: string | undefined;
  withdrawalId?: string | undefined;
}

export interface Claim {
  id: string;
  policyId: string;
  customerId: string;
  status: ClaimStatus;
  description: string;
  attachments: ClaimAttachment[];
  amount: Money | null;
  reason: string | null;
  payouts: ClaimPayout[];
  paidOn: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ClaimCreateParams {
  policyId: string;
  description: string;
  attachments?: ClaimAttachment[];
}

export interface ClaimDecisionParams {
  decision: 'approve' | 'reject';
  reason: string;
  /** Approve: what is paid (default the sum insured; credit life: the payoff when paid). */
  amount?: Money;
}

export interface ClaimListParams extends ListParams {
  status?: ClaimStatus;
}

export interface Remittance {
  id: string;
  underwriter: string;
  currency: string;
  /** YYYY-MM. */
  period: string;
  premiums: Money;
  commission: Money;
  claimsOffset: Money;
  net: Money;
  journalEntryId: string | null;
  /** The bordereau, CSV. */
  bordereauCsv: string;
  createdAt: string;
}

/** `/v1/insurance-products`. */
export class InsuranceProducts {
  constructor(private readonly client: Wekeza) {}

  /** Every product, oldest first. */
  list(params?: ListParams, options?: RequestOptions): PagePromise<InsuranceProduct> {
    return this.client._list<InsuranceProduct>(
      '/v1/insurance-products',
      (c) => c.InsuranceProductList,
      params,
      options,
    );
  }

  /** Admins: creates a product (audited). */
  create(params: InsuranceProductCreateParams, options?: RequestOptions): Promise<InsuranceProduct> {
    return this.client._request(
      { method: 'POST', path: '/v1/insurance-products', body: params },
      (c) => c.InsuranceProduct,
      options,
    );
  }
}

/** `/v1/policies` and `/v1/policy-quotes`. */
export class Policies {
  constructor(private readonly client: Wekeza) {}

  /** The premium and dates of a policy bought today (no side effect). */
  quote(params: PolicyQuoteParams, options?: RequestOptions): Promise<PolicyQuote> {
    return this.client._request(
      { method: 'POST', path: '/v1/policy-quotes', body: params },
      (c) => c.PolicyQuote,
      options,
    );
  }

  /** Buys cover; the first premium is taken at once (idempotent). */
  create(params: PolicyCreateParams, options?: RequestOptions): Promise<Policy> {
    return this.client._request(
      { method: 'POST', path: '/v1/policies', body: params },
      (c) => c.Policy,
      options,
    );
  }

  /** Your policies (staff: all, or one customer's), oldest first. */
  list(params?: PolicyListParams, options?: RequestOptions): PagePromise<Policy> {
    return this.client._list<Policy>('/v1/policies', (c) => c.PolicyList, params, options, {
      customer_id: params?.customerId,
    });
  }

  retrieve(id: string, options?: RequestOptions): Promise<Policy> {
    return this.client._request({ method: 'GET', path: path`/v1/policies/${id}` }, (c) => c.Policy, options);
  }

  /** Cancels today; the unused premium is refunded per the product's rule. */
  cancel(id: string, options?: RequestOptions): Promise<PolicyCancellation> {
    return this.client._request(
      { method: 'POST', path: path`/v1/policies/${id}/cancel` },
      (c) => c.PolicyCancellation,
      options,
    );
  }

  /** Reinstates a lapsed policy within its window by paying the arrears. */
  reinstate(id: string, options?: RequestOptions): Promise<Policy> {
    return this.client._request(
      { method: 'POST', path: path`/v1/policies/${id}/reinstate` },
      (c) => c.Policy,
      options,
    );
  }
}

/** `/v1/claims`. */
export class Claims {
  constructor(private readonly client: Wekeza) {}

  /** Files a claim on a policy in force. */
  create(params: ClaimCreateParams, options?: RequestOptions): Promise<Claim> {
    return this.client._request(
      { method: 'POST', path: '/v1/claims', body: params },
      (c) => c.Claim,
      options,
    );
  }

  /** Your claims (staff: all), oldest first. */
  list(params?: ClaimListParams, options?: RequestOptions): PagePromise<Claim> {
    return this.client._list<Claim>('/v1/claims', (c) => c.ClaimList, params, options, {
      status: params?.status,
    });
  }

  retrieve(id: string, options?: RequestOptions): Promise<Claim> {
    return this.client._request({ method: 'GET', path: path`/v1/claims/${id}` }, (c) => c.Claim, options);
  }

  /** Bankers: takes a submitted claim under review. */
  review(id: string, params?: { note?: string }, options?: RequestOptions): Promise<Claim> {
    return this.client._request(
      { method: 'POST', path: path`/v1/claims/${id}/review`, body: params ?? {} },
      (c) => c.Claim,
      options,
    );
  }

  /** Bankers: approves or rejects a claim under review, with a reason. */
  decide(id: string, params: ClaimDecisionParams, options?: RequestOptions): Promise<Claim> {
    return this.client._request(
      { method: 'POST', path: path`/v1/claims/${id}/decision`, body: params },
      (c) => c.Claim,
      options,
    );
  }

  /** Bankers: pays an approved claim. */
  pay(id: string, options?: RequestOptions): Promise<Claim> {
    return this.client._request(
      { method: 'POST', path: path`/v1/claims/${id}/pay` },
      (c) => c.Claim,
      options,
    );
  }
}

/** `/v1/insurance/remittances` (admins). */
export class InsuranceRemittances {
  constructor(private readonly client: Wekeza) {}

  /** Monthly remittances to underwriters, oldest first, with their bordereaux. */
  list(params?: ListParams, options?: RequestOptions): PagePromise<Remittance> {
    return this.client._list<Remittance>(
      '/v1/insurance/remittances',
      (c) => c.RemittanceList,
      params,
      options,
    );
  }
}
