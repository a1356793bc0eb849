import type { Wekeza } from '@wekeza/sdk';

/**
 * What a widget needs from an SDK client. A `Wekeza` instance is one; tests and hosts may pass
 * anything of the same shape. Widgets never call `fetch` themselves: every request goes through it.
 */
export type WidgetClient = Pick<
  Wekeza,
  | 'auth'
  | 'me'
  | 'accounts'
  | 'transactions'
  | 'transfers'
  // Borrow (issue 12)
  | 'creditLimit'
  | 'loanProducts'
  | 'loanQuotes'
  | 'loanApplications'
  | 'loans'
  // Save, statements, pay by phone (issue 12)
  | 'payees'
  | 'savingsProducts'
  | 'depositQuotes'
  | 'statements'
> &
  // Move money in and out, and live updates (issue 14).
  Partial<Pick<Wekeza, 'deposits' | 'withdrawals' | 'events'>>;

export type {
  AccessToken,
  Account,
  // Save, statements, pay by phone (issue 12)
  AccountClosure,
  CloseQuote,
  // Borrow (issue 12)
  CreditLimit,
  CreditReason,
  Deposit,
  DepositCreateParams,
  DepositQuote,
  Loan,
  LoanApplication,
  LoanInstalment,
  LoanPayoff,
  LoanProduct,
  LoanQuote,
  LoanRepayment,
  Me,
  Problem,
  ResolvedPayee,
  SavingsProduct,
  ScheduledInstalment,
  Statement,
  StatementLine,
  Transaction,
  Transfer,
  TransferCreateParams,
  Withdrawal,
  WithdrawalCreateParams,
  WithdrawalDestination,
} from '@wekeza/sdk';
