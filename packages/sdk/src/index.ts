/**
 * @wekeza/sdk: the typed client for the Wekeza banking API, and the money type.
 * The API contract (zod/mini schemas) is at `@wekeza/sdk/contract`; rate arithmetic (decimal.js,
 * server side) at `@wekeza/sdk/rates`, never pulled in from here.
 */

/** The transparency-log verifiers, also at `@wekeza/sdk/audit` (no server code, WebCrypto only). */
export {
  auditLeafFieldsOf,
  auditLeafHash,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
} from './audit/index.ts';
export { type ClientAuth, type ClientOptions, Wekeza } from './client.ts';
export type { AccountType, AtMaturity } from './contract/accounts.ts';
export type { ErrorCode, Problem } from './contract/common.ts';
export type { Role } from './contract/identity.ts';
export type { SavingsProductType } from './contract/savings.ts';
export type { StatementFormat } from './contract/statements.ts';
export { Download } from './core/download.ts';
export {
  AbortError,
  APIError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  type ProblemFieldError,
  RateLimitError,
  type SchemaIssue,
  SchemaValidationError,
  ServerError,
  TimeoutError,
  UnprocessableEntityError,
  ValidationError,
  WekezaError,
} from './core/errors.ts';
export { FetchHttpClient, type HttpClient, type HttpRequest, type HttpResponse } from './core/http.ts';
export { type ListParams, Page, PagePromise } from './core/pagination.ts';
export type { RequestOptions } from './core/request-options.ts';
/** A fresh Idempotency-Key (UUID v4), for hosts and widgets that hold one per user intent. */
export { idempotencyKey } from './internal/idempotency.ts';
export * from './money/index.ts';
export type {
  Account,
  AccountClosure,
  AccountCreateParams,
  Accounts,
  CloseQuote,
  WithdrawalToWallet,
  WithdrawToWalletParams,
} from './resources/accounts.ts';
export type {
  Approval,
  ApprovalAction,
  ApprovalKind,
  ApprovalStatus,
  Approvals,
} from './resources/approvals.ts';
export type {
  Audit,
  AuditCheckpoint,
  AuditEvent,
  AuditEvents,
  AuditInclusionProof,
  AuditSealingStatus,
  AuditVerification,
} from './resources/audit-events.ts';
export type {
  AccessToken,
  Auth,
  ClientCredentialsGrantParams,
  PasswordGrantParams,
  RefreshTokenGrantParams,
  TokenParams,
} from './resources/auth.ts';
export type { CreditLimit, CreditLimitResource, CreditReason } from './resources/credit-limit.ts';
export type {
  CreditDecisionRecord,
  CreditOverride,
  Customer,
  Customer360,
  CustomerListParams,
  CustomerLoan,
  CustomerSummary,
  Customers,
  KycTierChange,
  KycUpdateParams,
  SignupParams,
} from './resources/customers.ts';
export type { DepositQuote, DepositQuoteCreateParams, DepositQuotes } from './resources/deposit-quotes.ts';
export type { Deposit, DepositCreateParams, Deposits } from './resources/deposits.ts';
export type { Event, Events } from './resources/events.ts';
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
} from './resources/insurance.ts';
export type {
  LoanApplication,
  LoanApplicationCreateParams,
  LoanApplicationOverrideParams,
  LoanApplicationStatus,
  LoanApplications,
  LoanOffer,
} from './resources/loan-applications.ts';
export type { LoanProduct, LoanProductCreateParams, LoanProducts } from './resources/loan-products.ts';
export type {
  LoanQuote,
  LoanQuoteCreateParams,
  LoanQuotes,
  ScheduledInstalment,
} from './resources/loan-quotes.ts';
export type {
  Loan,
  LoanComponents,
  LoanInstalment,
  LoanPayoff,
  LoanRepayment,
  LoanRepaymentCreateParams,
  LoanStatus,
  Loans,
} from './resources/loans.ts';
export type { Me, MeResource } from './resources/me.ts';
export type { Mfa, Totp, TotpChangeParams, TotpEnrolment, TotpVerification } from './resources/mfa.ts';
export type { PartnerConsent, PartnerConsents } from './resources/partner-consents.ts';
export type { Payees, ResolvedPayee, SavedPayee, SavedPayeeCreateParams } from './resources/payees.ts';
// Risk Ops data types; the resources (staff(client).risk) are in @wekeza/sdk/staff.
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
} from './resources/risk.ts';
export type {
  Sandbox,
  SandboxClock,
  SandboxClockResource,
  SandboxDeposit,
  SandboxDepositCreateParams,
  SandboxDeposits,
} from './resources/sandbox.ts';
export type {
  SavingsProduct,
  SavingsProductCreateParams,
  SavingsProducts,
  SavingsProductUpdateParams,
} from './resources/savings-products.ts';
export type { Statement, StatementLine, StatementParams, Statements } from './resources/statements.ts';
export type { Transaction, Transactions } from './resources/transactions.ts';
export type {
  Transfer,
  TransferBatch,
  TransferBatchCreateParams,
  TransferCreateParams,
  TransferReverseParams,
  Transfers,
} from './resources/transfers.ts';
export type {
  WebhookEndpoint,
  WebhookEndpointCreated,
  WebhookEndpointCreateParams,
  WebhookEndpoints,
} from './resources/webhook-endpoints.ts';
export { type WebhookEvent, Webhooks, WebhookVerificationError } from './resources/webhooks.ts';
export type {
  WidgetSession,
  WidgetSessionCreateParams,
  WidgetSessions,
} from './resources/widget-sessions.ts';
export type {
  Withdrawal,
  WithdrawalCreateParams,
  WithdrawalDestination,
  Withdrawals,
} from './resources/withdrawals.ts';
