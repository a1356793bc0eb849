/**
 * @wekeza/widgets: white-label Lit web components for Wekeza banking flows. This entry exports the
 * classes and helpers without registering anything; import `@wekeza/widgets/define/<tag>` (or
 * `@wekeza/widgets/define/all`) to register the custom elements.
 */

export {
  drawStackedBarsLazily,
  type StackedBarsChart,
  type StackedBarsData,
  type StackedSeries,
} from './charts/index.ts';
export { WkAmountInput } from './components/amount-input/amount-input.ts';
// Borrow (issue 12)
export { WkCreditLimit } from './components/credit-limit/credit-limit.ts';
// Move money in and out, and live updates (issue 14).
export { WkDeposit } from './components/deposit/deposit.ts';
// Save, statements (issue 12)
export { WkFixedDeposit } from './components/fixed-deposit/fixed-deposit.ts';
export { WkLoanApplication } from './components/loan-application/loan-application.ts';
export { WkLoanStatus } from './components/loan-status/loan-status.ts';
export { WkLogin } from './components/login/login.ts';
export { isWholeShillings, MoveElement, normalizeKenyanPhone } from './components/move/move-element.ts';
export { WkProvider } from './components/provider/provider.ts';
export { WkRepayment } from './components/repayment/repayment.ts';
export { WkSavings } from './components/savings/savings.ts';
export { bankToday, WkStatement } from './components/statement/statement.ts';
export { WkTransactions } from './components/transactions/transactions.ts';
export { type TransferPayee, WkTransferForm } from './components/transfer-form/transfer-form.ts';
export { findWalletId, WkWalletBalance } from './components/wallet-balance/wallet-balance.ts';
export { WkWithdraw } from './components/withdraw/withdraw.ts';
export {
  formatAmountText,
  formatDate,
  formatMoney,
  parseAmountText,
  roundDecimalToMinor,
  separators,
} from './core/amount-format.ts';
export {
  APPEARANCE_PROPERTIES,
  type Appearance,
  type AppearanceVariables,
  applyAppearance,
  type ColorScheme,
} from './core/appearance.ts';
export { environmentContext, type WidgetEnvironment } from './core/context.ts';
export { WekezaElement } from './core/element.ts';
export { type DescribedError, describeError, isDefinitiveFailure } from './core/errors.ts';
// Staff widgets (bankers and administrators) have their own entry, `@wekeza/widgets/staff`
// (classes) and `@wekeza/widgets/define/staff` (registration), so customer pages never carry them.
export type {
  WekezaEventMap,
  // Save, statements (issue 12)
  WkAccountOpenedDetail,
  WkApprovalSuccessDetail,
  WkChangeDetail,
  WkChangeEvent,
  WkDepositSuccessDetail,
  WkErrorDetail,
  WkErrorEvent,
  WkFixedDepositClosedDetail,
  // Borrow (issue 12)
  WkLoanApplicationSuccessDetail,
  WkLoanSuccessDetail,
  WkLoginSuccessDetail,
  WkOverrideSuccessDetail,
  WkReadyDetail,
  WkReadyEvent,
  WkRepaymentSuccessDetail,
  WkSaveSuccessDetail,
  WkSavingsMovedDetail,
  WkSelectDetail,
  WkSelectEvent,
  WkStatementDownloadedDetail,
  WkStatusDetail,
  WkStatusEvent,
  WkStepUpRequiredDetail,
  WkStepUpRequiredEvent,
  WkSuccessDetail,
  WkSuccessEvent,
  WkTransferSuccessDetail,
  WkWithdrawalSuccessDetail,
} from './core/events.ts';
export { newIdempotencyKey } from './core/idempotency.ts';
export {
  BALANCE_EVENTS,
  type LiveEvent,
  LiveEvents,
  LiveEventsController,
  type LiveEventsOptions,
  type LiveListener,
  type LiveStatus,
  liveEventsFor,
  matchesEventType,
} from './core/live-events.ts';
export {
  type Movement,
  type MovementKind,
  MovementWatch,
  type MovementWatchOptions,
} from './core/movement.ts';
export type { WidgetClient } from './core/types.ts';
export {
  INTL_LOCALES,
  isLocale,
  LOCALES,
  type Locale,
  loadMessages,
  type MessageKey,
  type Messages,
} from './i18n/index.ts';
export { tokens as tokenStyles } from './styles/tokens.ts';
