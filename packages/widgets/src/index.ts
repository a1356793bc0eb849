/**
 * @wekeza/widgets: white-label Lit web components for Wekeza banking flows. This entry exports the
 * classes and helpers without registering anything; import `@wekeza/widgets/define/<tag>` (or
 * `@wekeza/widgets/define/all`) to register the custom elements.
 */
export { WkAmountInput } from './components/amount-input/amount-input.ts';
export { WkLogin } from './components/login/login.ts';
export { WkProvider } from './components/provider/provider.ts';
export { WkTransactions } from './components/transactions/transactions.ts';
export { WkTransferForm } from './components/transfer-form/transfer-form.ts';
export { findWalletId, WkWalletBalance } from './components/wallet-balance/wallet-balance.ts';
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
  WkApprovalSuccessDetail,
  WkChangeDetail,
  WkChangeEvent,
  WkErrorDetail,
  WkErrorEvent,
  WkLoginSuccessDetail,
  WkOverrideSuccessDetail,
  WkReadyDetail,
  WkReadyEvent,
  WkSelectDetail,
  WkSelectEvent,
  WkStepUpRequiredDetail,
  WkStepUpRequiredEvent,
  WkSuccessDetail,
  WkSuccessEvent,
  WkTransferSuccessDetail,
} from './core/events.ts';
export { newIdempotencyKey } from './core/idempotency.ts';
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
