/**
 * The staff widgets' classes and helpers (re-exported from `@wekeza/widgets`); import
 * `@wekeza/widgets/define/staff` to register them all.
 */
export { type ChartSeries, type ChartSpec, defineChart, loadUPlot, WkChart } from './charts/chart.ts';
export { WkApplicationReview } from './components/application-review/application-review.ts';
export { WkApprovalQueue } from './components/approval-queue/approval-queue.ts';
export { WkAuditLog } from './components/audit-log/audit-log.ts';
export { WkCustomer360 } from './components/customer-360/customer-360.ts';
export { WkCustomerSearch } from './components/customer-search/customer-search.ts';
export { WkModelGovernance } from './components/model-governance/model-governance.ts';
export { WkPolicyEditor } from './components/policy-editor/policy-editor.ts';
export { WkPortfolio } from './components/portfolio/portfolio.ts';
export { checkInclusion, type InclusionCheck } from './core/audit-proof.ts';
export { loadStaffMessages, type StaffClient, StaffElement } from './core/staff.ts';
export type { StaffMessageKey, StaffMessages } from './i18n/staff/en.ts';
