/**
 * @wekeza/sdk/staff: the staff-only resources: Risk Ops (portfolio, scoring models, the credit
 * policy as data with its dry run, governance), staff search with the Customer 360 and KYC
 * changes, and the maker-checker configuration. A subpath of its own, so the browser core that
 * every page loads stays within its budget (scripts/size.mjs); the Admin Workbench adds it:
 *
 *     import { staff } from '@wekeza/sdk/staff';
 *     const { risk, customers } = staff(client);
 *     const run = await risk.policy.dryRun({ rules, lastN: 500 });
 *     const view = await customers.retrieve(customerId);
 *
 * The maker-checker queue itself (`client.approvals`) stays on the client.
 */
import type { Wekeza } from '../client.ts';
import { ApprovalActions } from '../resources/approval-actions.ts';
import { PortfolioResource, Risk, RiskModels, RiskPolicyResource } from '../resources/risk.ts';
import { StaffCustomers } from '../resources/staff-customers.ts';

export type { ApprovalAction, ApprovalKind } from '../resources/approvals.ts';
export type {
  CreditDecisionRecord,
  CreditOverride,
  Customer360,
  CustomerListParams,
  CustomerLoan,
  CustomerSummary,
  KycTierChange,
  KycUpdateParams,
} from '../resources/customers.ts';
export type {
  CalibrationBand,
  ModelGovernance,
  Portfolio,
  PortfolioDay,
  PortfolioFigures,
  PortfolioHistory,
  PortfolioSlice,
  RiskGovernance,
  RiskModel,
  RiskModelActivation,
  RiskModelComparison,
  RiskPolicy,
  RiskPolicyDryRun,
  RiskPolicyRules,
} from '../resources/risk.ts';
export { ApprovalActions, PortfolioResource, Risk, RiskModels, RiskPolicyResource, StaffCustomers };

/** The staff resources over a client (its credentials, retries and idempotency keys). */
export interface StaffResources {
  /** Admins, `/v1/risk/*`: `portfolio`, `models`, `policy`, `governance()`. */
  risk: Risk;
  /** Staff, `/v1/customers`: search, the Customer 360, KYC changes (bankers). */
  customers: StaffCustomers;
  /** Staff, `/v1/approval-actions`: which actions need a second person, and whose. */
  approvalActions: ApprovalActions;
}

export function staff(client: Wekeza): StaffResources {
  return {
    risk: new Risk(client),
    customers: new StaffCustomers(client),
    approvalActions: new ApprovalActions(client),
  };
}
