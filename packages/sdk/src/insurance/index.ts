/**
 * @wekeza/sdk/insurance: the Insure resources (products, policies, claims, remittances). A subpath
 * of its own, so the browser core that every page loads stays within its budget (scripts/size.mjs);
 * an app that sells cover adds it:
 *
 *     import { insurance } from '@wekeza/sdk/insurance';
 *     const { policies } = insurance(client);
 *     const policy = await policies.create({ productId, fundingAccountId, sumInsured });
 */
import type { Wekeza } from '../client.ts';
import { Claims, InsuranceProducts, InsuranceRemittances, Policies } from '../resources/insurance.ts';

export type {
  Beneficiary,
  Claim,
  ClaimAttachment,
  ClaimCreateParams,
  ClaimDecisionParams,
  ClaimListParams,
  ClaimPayout,
  CreditLifeQuote,
  InsuranceProduct,
  InsuranceProductCreateParams,
  Policy,
  PolicyCancellation,
  PolicyCreateParams,
  PolicyListParams,
  PolicyQuote,
  PolicyQuoteParams,
  Remittance,
} from '../resources/insurance.ts';
export { Claims, InsuranceProducts, InsuranceRemittances, Policies };

/** The Insure resources over a client (its credentials, retries and idempotency keys). */
export interface InsuranceResources {
  /** `/v1/insurance-products`. */
  products: InsuranceProducts;
  /** `/v1/policy-quotes`, `/v1/policies`. */
  policies: Policies;
  /** `/v1/claims` (bankers: review, decision, payment). */
  claims: Claims;
  /** `/v1/insurance/remittances` (admins). */
  remittances: InsuranceRemittances;
}

export function insurance(client: Wekeza): InsuranceResources {
  return {
    products: new InsuranceProducts(client),
    policies: new Policies(client),
    claims: new Claims(client),
    remittances: new InsuranceRemittances(client),
  };
}
