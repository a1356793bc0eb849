/**
 * `@wekeza/widgets/react`: React components for every widget, through `@lit/react`. Properties
 * (`client`, `appearance`, `getSession`, …) are set as properties, and the `wk-*` events are mapped
 * to typed `onWk…` props. Importing this module registers the custom elements.
 *
 * ```tsx
 * <WkProvider mode="mock" locale="sw"><WkWalletBalance onWkReady={() => …} /></WkProvider>
 * ```
 */
import { createComponent, type EventName } from '@lit/react';
import * as React from 'react';
import type {
  WkChangeEvent,
  WkErrorEvent,
  WkReadyEvent,
  WkStatusEvent,
  WkStepUpRequiredEvent,
  WkSuccessEvent,
} from '../core/events.ts';
import { WkAmountInput as WkAmountInputElement } from '../define/wk-amount-input.ts';
// Borrow (issue 12)
import { WkCreditLimit as WkCreditLimitElement } from '../define/wk-credit-limit.ts';
import { WkDeposit as WkDepositElement } from '../define/wk-deposit.ts';
// Save, statements (issue 12)
import { WkFixedDeposit as WkFixedDepositElement } from '../define/wk-fixed-deposit.ts';
import { WkLoanApplication as WkLoanApplicationElement } from '../define/wk-loan-application.ts';
import { WkLoanStatus as WkLoanStatusElement } from '../define/wk-loan-status.ts';
import { WkLogin as WkLoginElement } from '../define/wk-login.ts';
import { WkProvider as WkProviderElement } from '../define/wk-provider.ts';
import { WkRepayment as WkRepaymentElement } from '../define/wk-repayment.ts';
import { WkSavings as WkSavingsElement } from '../define/wk-savings.ts';
import { WkStatement as WkStatementElement } from '../define/wk-statement.ts';
import { WkTransactions as WkTransactionsElement } from '../define/wk-transactions.ts';
import { WkTransferForm as WkTransferFormElement } from '../define/wk-transfer-form.ts';
import { WkWalletBalance as WkWalletBalanceElement } from '../define/wk-wallet-balance.ts';
import { WkWithdraw as WkWithdrawElement } from '../define/wk-withdraw.ts';

const common = {
  onWkReady: 'wk-ready' as EventName<WkReadyEvent>,
  onWkError: 'wk-error' as EventName<WkErrorEvent>,
};
const acting = {
  ...common,
  onWkSuccess: 'wk-success' as EventName<WkSuccessEvent>,
  onWkStepUpRequired: 'wk-step-up-required' as EventName<WkStepUpRequiredEvent>,
};

/** `<wk-provider>`: also receives every event of the widgets inside it. */
export const WkProvider = createComponent({
  tagName: 'wk-provider',
  elementClass: WkProviderElement,
  react: React,
  events: acting,
  displayName: 'WkProvider',
});

export const WkLogin = createComponent({
  tagName: 'wk-login',
  elementClass: WkLoginElement,
  react: React,
  events: acting,
  displayName: 'WkLogin',
});

export const WkWalletBalance = createComponent({
  tagName: 'wk-wallet-balance',
  elementClass: WkWalletBalanceElement,
  react: React,
  events: common,
  displayName: 'WkWalletBalance',
});

export const WkTransactions = createComponent({
  tagName: 'wk-transactions',
  elementClass: WkTransactionsElement,
  react: React,
  events: common,
  displayName: 'WkTransactions',
});

export const WkTransferForm = createComponent({
  tagName: 'wk-transfer-form',
  elementClass: WkTransferFormElement,
  react: React,
  events: acting,
  displayName: 'WkTransferForm',
});

export const WkAmountInput = createComponent({
  tagName: 'wk-amount-input',
  elementClass: WkAmountInputElement,
  react: React,
  events: { onWkChange: 'wk-change' as EventName<WkChangeEvent> },
  displayName: 'WkAmountInput',
});

// Save, statements (issue 12)
export const WkSavings = createComponent({
  tagName: 'wk-savings',
  elementClass: WkSavingsElement,
  react: React,
  events: acting,
  displayName: 'WkSavings',
});

export const WkFixedDeposit = createComponent({
  tagName: 'wk-fixed-deposit',
  elementClass: WkFixedDepositElement,
  react: React,
  events: acting,
  displayName: 'WkFixedDeposit',
});

export const WkStatement = createComponent({
  tagName: 'wk-statement',
  elementClass: WkStatementElement,
  react: React,
  events: acting,
  displayName: 'WkStatement',
});

// Borrow (issue 12)
export const WkCreditLimit = createComponent({
  tagName: 'wk-credit-limit',
  elementClass: WkCreditLimitElement,
  react: React,
  events: common,
  displayName: 'WkCreditLimit',
});

export const WkLoanApplication = createComponent({
  tagName: 'wk-loan-application',
  elementClass: WkLoanApplicationElement,
  react: React,
  events: acting,
  displayName: 'WkLoanApplication',
});

export const WkLoanStatus = createComponent({
  tagName: 'wk-loan-status',
  elementClass: WkLoanStatusElement,
  react: React,
  events: common,
  displayName: 'WkLoanStatus',
});

export const WkRepayment = createComponent({
  tagName: 'wk-repayment',
  elementClass: WkRepaymentElement,
  react: React,
  events: acting,
  displayName: 'WkRepayment',
});

// Move money in and out (issue 14).
const moving = { ...acting, onWkStatus: 'wk-status' as EventName<WkStatusEvent> };

export const WkDeposit = createComponent({
  tagName: 'wk-deposit',
  elementClass: WkDepositElement,
  react: React,
  events: moving,
  displayName: 'WkDeposit',
});

export const WkWithdraw = createComponent({
  tagName: 'wk-withdraw',
  elementClass: WkWithdrawElement,
  react: React,
  events: moving,
  displayName: 'WkWithdraw',
});

// Staff widgets (bankers and administrators).
import type { WkSelectEvent } from '../core/events.ts';
import { WkApplicationReview as WkApplicationReviewElement } from '../define/wk-application-review.ts';
import { WkApprovalQueue as WkApprovalQueueElement } from '../define/wk-approval-queue.ts';
import { WkAuditLog as WkAuditLogElement } from '../define/wk-audit-log.ts';
import { WkCustomer360 as WkCustomer360Element } from '../define/wk-customer-360.ts';
import { WkCustomerSearch as WkCustomerSearchElement } from '../define/wk-customer-search.ts';
import { WkModelGovernance as WkModelGovernanceElement } from '../define/wk-model-governance.ts';
import { WkPolicyEditor as WkPolicyEditorElement } from '../define/wk-policy-editor.ts';
import { WkPortfolio as WkPortfolioElement } from '../define/wk-portfolio.ts';

const selecting = { ...common, onWkSelect: 'wk-select' as EventName<WkSelectEvent> };
const deciding = { ...selecting, onWkSuccess: 'wk-success' as EventName<WkSuccessEvent> };

export const WkCustomerSearch = createComponent({
  tagName: 'wk-customer-search',
  elementClass: WkCustomerSearchElement,
  react: React,
  events: selecting,
  displayName: 'WkCustomerSearch',
});

export const WkCustomer360 = createComponent({
  tagName: 'wk-customer-360',
  elementClass: WkCustomer360Element,
  react: React,
  events: selecting,
  displayName: 'WkCustomer360',
});

export const WkApplicationReview = createComponent({
  tagName: 'wk-application-review',
  elementClass: WkApplicationReviewElement,
  react: React,
  events: deciding,
  displayName: 'WkApplicationReview',
});

export const WkApprovalQueue = createComponent({
  tagName: 'wk-approval-queue',
  elementClass: WkApprovalQueueElement,
  react: React,
  events: deciding,
  displayName: 'WkApprovalQueue',
});

export const WkAuditLog = createComponent({
  tagName: 'wk-audit-log',
  elementClass: WkAuditLogElement,
  react: React,
  events: selecting,
  displayName: 'WkAuditLog',
});

export const WkPortfolio = createComponent({
  tagName: 'wk-portfolio',
  elementClass: WkPortfolioElement,
  react: React,
  events: common,
  displayName: 'WkPortfolio',
});

export const WkModelGovernance = createComponent({
  tagName: 'wk-model-governance',
  elementClass: WkModelGovernanceElement,
  react: React,
  events: deciding,
  displayName: 'WkModelGovernance',
});

export const WkPolicyEditor = createComponent({
  tagName: 'wk-policy-editor',
  elementClass: WkPolicyEditorElement,
  react: React,
  events: deciding,
  displayName: 'WkPolicyEditor',
});
