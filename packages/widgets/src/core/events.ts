import type { Approval, Money } from '@wekeza/sdk';
import type {
  AccessToken,
  Account,
  AccountClosure,
  Deposit,
  Loan,
  LoanApplication,
  LoanRepayment,
  Problem,
  Transfer,
  Withdrawal,
} from './types.ts';

/** `wk-ready`: the widget has its messages and first data and is interactive. */
export interface WkReadyDetail {
  /** The tag of the widget that is ready, e.g. `wk-wallet-balance`. */
  widget: string;
}

/** `wk-error`: something failed; the widget also shows a localized message. */
export interface WkErrorDetail {
  /** Problem `code` (`insufficient_funds`, `not_found`, …), or `network`, `no_client`, `unknown`. */
  code: string;
  /** The localized message the widget shows. */
  message: string;
  /** The RFC 9457 problem, when the server answered one. */
  problem?: Problem | undefined;
  /** The server request id, to quote to support. */
  requestId?: string | undefined;
  /** The original error. */
  error: unknown;
}

/** `wk-success` of `<wk-login>`: the access token; hand it to `<wk-provider token>`. */
export interface WkLoginSuccessDetail {
  kind: 'login';
  resource: AccessToken;
  token: string;
}

/** `wk-success` of `<wk-transfer-form>`: the created transfer and the journal entry that posted it. */
export interface WkTransferSuccessDetail {
  kind: 'transfer';
  resource: Transfer;
  journalEntryId: string;
  /** Paid by phone number: the recipient's name as the bank holds it, masked ("Wanjiru K."). */
  recipientName?: string;
}

/** `wk-success` of `<wk-loan-application>` when the bank decided: approved, declined or referred. */
export interface WkLoanApplicationSuccessDetail {
  kind: 'loan-application';
  resource: LoanApplication;
}

/** `wk-success` of `<wk-loan-application>` when the offer was accepted: the loan, disbursed to the wallet. */
export interface WkLoanSuccessDetail {
  kind: 'loan';
  resource: Loan;
}

/** `wk-success` of `<wk-repayment>`: the repayment, its split, and the loan after it. */
export interface WkRepaymentSuccessDetail {
  kind: 'repayment';
  resource: LoanRepayment;
}

/** `wk-success` of `<wk-deposit>`: the deposit succeeded (the money is in the wallet). */
export interface WkDepositSuccessDetail {
  kind: 'deposit';
  resource: Deposit;
}

/** `wk-success` of `<wk-withdraw>`: the withdrawal succeeded (the rail paid it out). */
export interface WkWithdrawalSuccessDetail {
  kind: 'withdrawal';
  resource: Withdrawal;
}

/** `wk-success` of `<wk-savings>` and `<wk-fixed-deposit>` when an account was opened. */
export interface WkAccountOpenedDetail {
  kind: 'savings-opened' | 'fixed-deposit-opened';
  resource: Account;
}

/** `wk-success` of `<wk-savings>` when money moved in from the wallet or out to it. */
export interface WkSavingsMovedDetail {
  kind: 'savings-moved';
  direction: 'add' | 'withdraw';
  amount: Money;
  accountId: string;
}

/** `wk-success` of `<wk-fixed-deposit>` after an early close: what was paid, and the interest given up. */
export interface WkFixedDepositClosedDetail {
  kind: 'fixed-deposit-closed';
  resource: AccountClosure;
}

/** `wk-success` of `<wk-statement>` when a file was downloaded. */
export interface WkStatementDownloadedDetail {
  kind: 'statement-downloaded';
  format: 'csv' | 'pdf';
  fileName: string;
  accountId: string;
}

export type WkSaveSuccessDetail =
  | WkAccountOpenedDetail
  | WkSavingsMovedDetail
  | WkFixedDepositClosedDetail
  | WkStatementDownloadedDetail;

export type WkSuccessDetail =
  | WkOverrideSuccessDetail
  | WkApprovalSuccessDetail
  | WkSaveSuccessDetail
  | WkLoginSuccessDetail
  | WkTransferSuccessDetail
  | WkLoanApplicationSuccessDetail
  | WkLoanSuccessDetail
  | WkRepaymentSuccessDetail
  | WkDepositSuccessDetail
  | WkWithdrawalSuccessDetail;

/**
 * `wk-status` of `<wk-deposit>` and `<wk-withdraw>`: their request's status changed (`pending` once
 * the bank took it, then `succeeded` or `failed` with `failureReason`), as heard on the event stream
 * or by polling.
 */
export interface WkStatusDetail {
  kind: 'deposit' | 'withdrawal';
  resource: Deposit | Withdrawal;
  status: 'pending' | 'succeeded' | 'failed';
  /** How the status was learnt: the live event stream, or polling `GET /v1/{deposits|withdrawals}/{id}`. */
  via: 'request' | 'stream' | 'poll';
}

/** `wk-success` of `<wk-application-review>`: the override was applied, or sent to a second banker. */
export interface WkOverrideSuccessDetail {
  kind: 'override';
  /** The application (decided at once), or the approval request a second banker must decide. */
  resource: LoanApplication | Approval;
  /** True when it waits for a second banker (maker-checker). */
  pendingApproval: boolean;
}

/** `wk-success` of `<wk-approval-queue>`: a request was approved (and carried out) or rejected. */
export interface WkApprovalSuccessDetail {
  kind: 'approval';
  resource: Approval;
}

/**
 * `wk-step-up-required`: the server answered `mfa_required`. The host runs its own second factor
 * and calls `retry(otp)`; the widget repeats the request with the code and shows the outcome.
 */
export interface WkStepUpRequiredDetail {
  problem: Problem;
  /** Repeats the request with the one-time code; resolves when the widget has shown the result. */
  retry: (otp: string) => Promise<void>;
  /** Gives up: the widget returns to its previous step. */
  cancel: () => void;
}

/** `wk-change` of `<wk-amount-input>`: the parsed model value (undefined while unparsable) and the text. */
export interface WkChangeDetail {
  value: Money | undefined;
  text: string;
}

/** `wk-select`: a staff widget's row was chosen (a customer, an application, an audit event). */
export interface WkSelectDetail {
  kind: 'customer' | 'application' | 'loan' | 'approval' | 'audit-event';
  id: string;
}

export type WkReadyEvent = CustomEvent<WkReadyDetail>;
export type WkErrorEvent = CustomEvent<WkErrorDetail>;
export type WkSuccessEvent = CustomEvent<WkSuccessDetail>;
export type WkStepUpRequiredEvent = CustomEvent<WkStepUpRequiredDetail>;
export type WkChangeEvent = CustomEvent<WkChangeDetail>;
export type WkStatusEvent = CustomEvent<WkStatusDetail>;
export type WkSelectEvent = CustomEvent<WkSelectDetail>;

/** Every event a Wekeza widget fires, by name. */
export interface WekezaEventMap {
  'wk-ready': WkReadyEvent;
  'wk-error': WkErrorEvent;
  'wk-success': WkSuccessEvent;
  'wk-step-up-required': WkStepUpRequiredEvent;
  'wk-change': WkChangeEvent;
  'wk-status': WkStatusEvent;
  'wk-select': WkSelectEvent;
}

declare global {
  interface HTMLElementEventMap extends WekezaEventMap {}
}

/** Dispatches a typed, bubbling, composed `wk-*` event from `target`. */
export function emit<K extends keyof WekezaEventMap>(
  target: EventTarget,
  type: K,
  detail: WekezaEventMap[K]['detail'],
): boolean {
  return target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}
