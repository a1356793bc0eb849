import type { Wekeza } from '../client.ts';
import type { Role } from '../contract/identity.ts';
import type { RequestOptions } from '../core/request-options.ts';
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

  /** A customer's profile and KYC tier (bankers and admins). */
  retrieve(id: string, options?: RequestOptions): Promise<Customer> {
    return this.client._request(
      { method: 'GET', path: path`/v1/customers/${id}` },
      (c) => c.Customer,
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
