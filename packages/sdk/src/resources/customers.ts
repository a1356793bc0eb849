import type { Wekeza } from '../client.ts';
import type { Role } from '../contract/identity.ts';
import type * as wire from '../contract/index.ts';
import type { ListParams, PagePromise } from '../core/pagination.ts';
import type { RequestOptions } from '../core/request-options.ts';
import type { FromWire } from '../internal/case.ts';
import { path } from '../internal/path.ts';

/** `POST /v1/signup` (through `client.signup`). A national ID opens KYC tier 1. */
export interface SignupParams {
  /** E.164, e.g. `+254712345678`. */
  phone: string;
  email: string;
  /** At least 10 characters. */
  password: string;
  fullName: string;
  nationalId?: string;
}

/** A customer profile. */
export interface Customer {
  id: string;
  email: string;
  phone: string | null;
  fullName: string;
  /** 0 (no ID), 1 (national ID), 2 (full KYC). */
  kycTier: number;
  roles: Role[];
  /** The customer's home-currency wallet, opened at signup. */
  walletAccountId?: string | null | undefined;
  createdAt: string;
}

/** `POST /v1/customers/{id}/kyc` (bankers). */
export interface KycUpdateParams {
  /** The new tier, higher than the current one. */
  tier: 0 | 1 | 2;
  /** What was checked; kept in the audit log. */
  evidence: string;
}

/** A customer in a staff search result. */
export type CustomerSummary = FromWire<wire.CustomerSummary>;
/** One KYC tier change with its evidence (history is never rewritten). */
export type KycTierChange = FromWire<wire.KycTierChange>;
/** A loan as the Customer 360 lists it. */
export type CustomerLoan = FromWire<wire.CustomerLoan>;
/** A stored credit scoring: score, PD, grade, model and policy versions, reasons, features. */
export type CreditDecisionRecord = FromWire<wire.CreditDecisionRecord>;
/** A banker's override of an application's decision. */
export type CreditOverride = FromWire<wire.CreditOverride>;
/** Everything staff see about one customer (`GET /v1/customers/{id}`; the read is audited). */
export type Customer360 = FromWire<wire.Customer360>;

/** `GET /v1/customers?query=` (staff). */
export interface CustomerListParams extends ListParams {
  /** Part of a name (2+ characters), or a phone, e-mail, national ID, account id, loan id or loan number. */
  query?: string;
}

/** `/v1/customers` (staff). */
export class Customers {
  constructor(private readonly client: Wekeza) {}

  /** Partner back ends: onboards a customer (and their wallet), linked to the partner. */
  onboard(params: SignupParams, options?: RequestOptions): Promise<Customer> {
    return this.client._request(
      { method: 'POST', path: '/v1/customers', body: params },
      (c) => c.Customer,
      options,
    );
  }

  /** Staff: finds customers by name, phone, e-mail, national ID, account or loan (paged; audited). */
  list(params?: CustomerListParams, options?: RequestOptions): PagePromise<CustomerSummary> {
    return this.client._list<CustomerSummary>(
      '/v1/customers',
      (c) => c.CustomerSearchResult,
      params,
      options,
      { query: params?.query },
    );
  }

  /**
   * Staff: the Customer 360 — profile, KYC tier and history, accounts, loans with DPD, every credit
   * decision, overrides and recent activity (bankers and admins; audited).
   */
  retrieve(id: string, options?: RequestOptions): Promise<Customer360> {
    return this.client._request(
      { method: 'GET', path: path`/v1/customers/${id}` },
      (c) => c.Customer360,
      options,
    );
  }

  /** Raises a customer's KYC tier on evidence (bankers; audited). */
  updateKyc(id: string, params: KycUpdateParams, options?: RequestOptions): Promise<Customer> {
    return this.client._request(
      { method: 'POST', path: path`/v1/customers/${id}/kyc`, body: params },
      (c) => c.Customer,
      options,
    );
  }
}
