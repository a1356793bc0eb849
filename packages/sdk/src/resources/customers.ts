import type { Role } from '../contract/identity.ts';

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
