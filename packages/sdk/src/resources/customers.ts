import type { Wekeza } from '../client.ts';
import type { Role } from '../contract/identity.ts';
import type * as wire from '../contract/index.ts';
import type { ListParams } from '../core/pagination.ts';
import type { RequestOptions } from '../core/request-options.ts';
import type { FromWire } from '../internal/case.ts';

/** `POST /v1/signup` (through `client.signup`). A national ID opens KYC tier 1. */
export interface SignupParams {
  /** E.164, e.g. `+254712345678`. */
  phone: string;
  email: string;
  /** At least 10 characters. */
  password: string;
  fullName: string;
  nationalId?: string;
  /** YYYY-MM-DD; age-banded insurance cover needs it. */
  dateOfBirth?: string;
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
  /** YYYY-MM-DD, when the customer gave it (age-banded insurance cover needs it). */
  dateOfBirth?: string | undefined;
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

/**
 * `/v1/customers`: onboarding by partner back ends. Staff search, the Customer 360 and KYC changes
 * are in `@wekeza/sdk/staff` (`staff(client).customers`).
 */
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
}
